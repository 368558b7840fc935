package scope_test

import (
	"slices"
	"testing"

	"github.com/atriumhq/atrium/core/scope"
)

func TestPartners(t *testing.T) {
	ids := []int64{3, 7}
	only := scope.Only(ids)
	ids[0] = 99 // the scope keeps its own copy
	for _, tc := range []struct {
		name       string
		s          scope.Partners
		everyone   bool
		none       bool
		has, hasnt []int64
		ids        []int64
	}{
		{"zero counts nothing", scope.Partners{}, false, true, nil, []int64{1, 3}, nil},
		{"all", scope.All(), true, false, []int64{1, 3, 1 << 40}, []int64{0, -1}, nil},
		{"only", only, false, false, []int64{3, 7}, []int64{0, 1, 99}, []int64{3, 7}},
		{"only nobody", scope.Only(nil), false, true, nil, []int64{1}, nil},
		{"only non-ids", scope.Only([]int64{0, -4}), false, true, nil, []int64{0, -4}, []int64{0, -4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.s.Everyone() != tc.everyone || tc.s.None() != tc.none {
				t.Fatalf("everyone %v none %v", tc.s.Everyone(), tc.s.None())
			}
			for _, id := range tc.has {
				if !tc.s.Has(id) {
					t.Errorf("does not have %d", id)
				}
			}
			for _, id := range tc.hasnt {
				if tc.s.Has(id) {
					t.Errorf("has %d", id)
				}
			}
			if got := tc.s.IDs(); !slices.Equal(got, tc.ids) {
				t.Errorf("ids %v, want %v", got, tc.ids)
			}
		})
	}
}
