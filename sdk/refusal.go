package sdk

import (
	"errors"
	"sort"
	"strings"
)

// Refusals says how a form shows a host call's refusal (a [CallError]),
// so that every room answers a refused form the same way: each field's
// problem beside its field, with what the viewer typed kept; a problem on
// something the form has no field for (the people chosen, an audience) in
// the form's own error too; a refusal naming no field beside Main; and a
// record that is gone, or not the viewer's, said plainly.
//
// The sentences are the plugin's, so that they can be translated with the
// rest of its text.
type Refusals struct {
	// Main is the field a refusal naming no field is shown beside, so that
	// the form is shown again with what was typed ("" for none).
	Main string
	// Rename maps the host's field names onto the form's where they
	// differ ("partnerId" onto "partner").
	Rename map[string]string
	// OnForm are the field names the form draws.
	OnForm map[string]bool
	// CheckFields leads the form's error when fields are refused: "Please
	// check the highlighted fields."
	CheckFields string
	// Gone is the error for something that no longer exists or is not the
	// viewer's.
	Gone string
}

// Result turns err into what the viewer sees, and reports false when err
// is not a refusal the form can show (a failure of the portal, say).
func (r Refusals) Result(err error) (ActionResult, bool) {
	var ce *CallError
	if !errors.As(err, &ce) {
		return ActionResult{}, false
	}
	switch ce.Code {
	case CodeInvalid:
		if len(ce.Fields) == 0 {
			res := ActionResult{Error: ce.Message}
			if r.Main != "" {
				res.FieldErrors = map[string]string{r.Main: ce.Message}
			}
			return res, true
		}
		res := ActionResult{FieldErrors: map[string]string{}}
		keys := make([]string, 0, len(ce.Fields))
		for k := range ce.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var loose []string
		for _, k := range keys {
			name := k
			if n, ok := r.Rename[k]; ok {
				name = n
			}
			res.FieldErrors[name] = ce.Fields[k]
			if !r.OnForm[name] {
				loose = append(loose, ce.Fields[k])
			}
		}
		if len(loose) == len(keys) {
			res.Error = strings.Join(loose, " ")
		} else {
			res.Error = strings.Join(append([]string{r.CheckFields}, loose...), " ")
		}
		return res, true
	case CodeNotFound:
		return ActionResult{Error: r.Gone}, true
	case CodePermission, CodeConflict:
		return ActionResult{Error: ce.Message}, true
	}
	return ActionResult{}, false
}
