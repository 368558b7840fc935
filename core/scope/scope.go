// Package scope says which partners a staff member may count in the
// portal's reports. The engagement and the revenue reports, the dashboard
// and the REST API all take the same [Partners] value, built once from the
// signed-in viewer: [All] for an admin, [Only] with the partners they
// manage for a partner manager.
package scope

import "slices"

// Partners is a set of partners a viewer may count. The zero value counts
// nothing, so a forgotten scope shows no figures rather than everyone's.
type Partners struct {
	all bool
	ids []int64
}

// All is the scope of an admin: every partner.
func All() Partners { return Partners{all: true} }

// Only is the scope of a viewer who may count these partners only. No ids
// means no partners.
func Only(ids []int64) Partners { return Partners{ids: slices.Clone(ids)} }

// Everyone reports whether the scope is every partner.
func (p Partners) Everyone() bool { return p.all }

// IDs returns the partners of a limited scope, and nil for [All].
func (p Partners) IDs() []int64 {
	if p.all {
		return nil
	}
	return slices.Clone(p.ids)
}

// None reports whether the scope counts no partner at all.
func (p Partners) None() bool {
	return !p.all && !slices.ContainsFunc(p.ids, func(id int64) bool { return id > 0 })
}

// Has reports whether the scope includes a partner.
func (p Partners) Has(id int64) bool { return id > 0 && (p.all || slices.Contains(p.ids, id)) }
