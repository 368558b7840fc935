package sdk

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

func TestRefusals(t *testing.T) {
	r := Refusals{Main: "body", Rename: map[string]string{"partnerId": "partner"}, OnForm: map[string]bool{"body": true, "partner": true},
		CheckFields: "Check the fields.", Gone: "It is gone."}
	for _, tc := range []struct {
		name string
		err  error
		want ActionResult
		ok   bool
	}{
		{"fields beside their fields, renamed", &CallError{Code: CodeInvalid, Fields: map[string]string{"partnerId": "Choose a partner.", "body": "Write something."}},
			ActionResult{Error: "Check the fields.", FieldErrors: map[string]string{"partner": "Choose a partner.", "body": "Write something."}}, true},
		{"a field the form lacks is said in the form's error", &CallError{Code: CodeInvalid, Fields: map[string]string{"body": "Too long.", "people": "Nobody left."}},
			ActionResult{Error: "Check the fields. Nobody left.", FieldErrors: map[string]string{"body": "Too long.", "people": "Nobody left."}}, true},
		{"only fields the form lacks", &CallError{Code: CodeInvalid, Fields: map[string]string{"people": "Nobody left."}},
			ActionResult{Error: "Nobody left.", FieldErrors: map[string]string{"people": "Nobody left."}}, true},
		{"no field: beside main", &CallError{Code: CodeInvalid, Message: "Slow down."},
			ActionResult{Error: "Slow down.", FieldErrors: map[string]string{"body": "Slow down."}}, true},
		{"gone", fmt.Errorf("load: %w", &CallError{Code: CodeNotFound, Message: "no such thread"}), ActionResult{Error: "It is gone."}, true},
		{"not allowed", &CallError{Code: CodePermission, Message: "Staff only."}, ActionResult{Error: "Staff only."}, true},
		{"a failure of the portal is not a refusal", errors.New("database down"), ActionResult{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := r.Result(tc.err)
			if ok != tc.ok || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, %v; want %+v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}
