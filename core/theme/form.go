package theme

import (
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk/ui"
)

// FieldView is a form field ready to draw: its ids, its current value and
// error (a submitted form's first), and the attributes that tie them together.
type FieldView struct {
	Name, Label, Placeholder, Help, Autocomplete string
	// Type is one of the kit's field types; anything else is "text".
	Type      string
	Required  bool
	MaxLength int
	// Multiple lets a file field take several files.
	Multiple bool

	// ID is the input's id (its label's for); HelpID and ErrorID are the ids
	// of the help and error text, DescribedBy lists those present.
	ID, HelpID, ErrorID, DescribedBy string

	Value   string
	Error   string
	Checked bool // a checkbox's state
	Options []OptionView
}

// OptionView is a choice of a select, radio or checkboxes field; ID is
// its input's id in a group.
type OptionView struct {
	Value, Label, ID string
	Selected         bool
}

var fieldTypes = map[string]bool{
	"text": true, "email": true, "tel": true, "url": true, "number": true, "date": true,
	"textarea": true, "select": true, "checkbox": true, "hidden": true, "password": true,
	"file": true, "radio": true, "checkboxes": true,
}

// field is the "field" template func: a Field of the form drawn by v.
func field(v View, f ui.Field) FieldView {
	x := v.X
	fv := FieldView{
		Name: f.Name, Label: f.Label, Placeholder: f.Placeholder, Help: f.Help,
		Autocomplete: f.Autocomplete, Type: f.Type, Required: f.Required, MaxLength: max(f.MaxLength, 0),
		ID: v.ID(f.Name), Value: f.Value, Error: f.Error, Multiple: f.Multiple && f.Type == "file",
	}
	if !fieldTypes[fv.Type] {
		fv.Type = "text"
	}
	values, errs := x.Values, x.Errors
	if !x.replays(v.C) {
		values, errs = nil, nil
	}
	submitted, replay := values[f.Name]
	if e := errs[f.Name]; e != "" {
		fv.Error = e
	}
	switch fv.Type {
	case "password":
		fv.Value = "" // never sent back to the browser
	case "file":
		// A browser fills no file input in; what was submitted are
		// tokens of stored files, not something to show.
		fv.Value = ""
	case "hidden":
		// The tree's value, not the browser's: hidden fields carry what the
		// block put there.
	case "checkbox":
		if values != nil {
			fv.Checked = replay && len(submitted) > 0 && submitted[0] != ""
		} else {
			fv.Checked = truthy(f.Value)
		}
	case "checkboxes":
		// Several values: a submitted form's (none ticked is an answer
		// too), else the tree's.
		chosen := f.Values
		if values != nil {
			chosen = submitted
		}
		picked := map[string]bool{}
		for _, c := range chosen {
			picked[c] = true
		}
		for i, o := range f.Options {
			fv.Options = append(fv.Options, OptionView{Value: o.Value, Label: o.Label, ID: fv.ID + "-" + strconv.Itoa(i), Selected: picked[o.Value]})
		}
	default:
		if replay && len(submitted) > 0 {
			fv.Value = submitted[0]
		}
	}
	var describedBy []string
	if fv.Help != "" {
		fv.HelpID = fv.ID + "-help"
		describedBy = append(describedBy, fv.HelpID)
	}
	if fv.Error != "" {
		fv.ErrorID = fv.ID + "-error"
		describedBy = append(describedBy, fv.ErrorID)
	}
	fv.DescribedBy = strings.Join(describedBy, " ")
	if fv.Type != "checkboxes" {
		for i, o := range f.Options {
			fv.Options = append(fv.Options, OptionView{Value: o.Value, Label: o.Label, ID: fv.ID + "-" + strconv.Itoa(i), Selected: o.Value == fv.Value})
		}
	}
	return fv
}

func truthy(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "on", "1", "yes", "checked":
		return true
	}
	return false
}

// multipart reports whether a form has a file field, so it must be sent
// as multipart/form-data.
func multipart(c any) bool {
	var fields []ui.Field
	switch f := c.(type) {
	case ui.Form:
		fields = f.Fields
	case *ui.Form:
		if f != nil {
			fields = f.Fields
		}
	}
	for _, fd := range fields {
		if fd.Type == "file" {
			return true
		}
	}
	return false
}

// formError is the message about a form as a whole: the submitted form's,
// else the tree's.
func formError(x *BlockContext, f ui.Form) string {
	if x.FormError != "" && x.replays(f) {
		return x.FormError
	}
	return f.Error
}

// replays reports whether a submitted form's values and errors belong to
// the form c (a ui.Form; a field is drawn with its form's view).
func (x *BlockContext) replays(c any) bool {
	if x.FormAction == "" {
		return true
	}
	var a ui.Action
	switch f := c.(type) {
	case ui.Form:
		a = f.Action
	case *ui.Form:
		if f == nil {
			return false
		}
		a = f.Action
	default:
		return false
	}
	return a.Name == x.FormAction && (x.FormState == "" || a.State == x.FormState)
}
