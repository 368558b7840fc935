package schemaform

import (
	"net/url"
	"strings"
)

// Prefixed returns the form with every input name put under prefix
// ("config.") and every id made unique to it, for a page whose form holds
// more than the block's config (its id, its audience). [Unprefixed] undoes
// it on the submitted values before [Decode]. Problems and paths stay
// config paths; the edit buttons keep the name OpField.
func (f Form) Prefixed(prefix string) Form {
	if prefix == "" {
		return f
	}
	idPart := strings.TrimPrefix(inputID(prefix), "cfg")
	f.Fields = prefixFields(f.Fields, prefix, idPart)
	return f
}

func prefixFields(fs []Field, prefix, idPart string) []Field {
	if fs == nil {
		return nil
	}
	out := make([]Field, len(fs))
	for i, x := range fs {
		for _, s := range []*string{&x.Name, &x.CountName, &x.ChoiceName} {
			if *s != "" {
				*s = prefix + *s
			}
		}
		for _, s := range []*string{&x.ID, &x.HelpID, &x.ErrorID} {
			if rest, ok := strings.CutPrefix(*s, "cfg"); ok {
				*s = "cfg" + idPart + rest
			}
		}
		x.setDescribedBy()
		x.Fields = prefixFields(x.Fields, prefix, idPart)
		x.Items = prefixFields(x.Items, prefix, idPart)
		x.Translations = prefixFields(x.Translations, prefix, idPart)
		out[i] = x
	}
	return out
}

// Unprefixed returns the submitted values whose names start with prefix,
// without it, and the edit button's value: what Decode takes.
func Unprefixed(form url.Values, prefix string) url.Values {
	out := url.Values{}
	for k, v := range form {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			out[rest] = v
		}
	}
	if op, ok := form[OpField]; ok {
		out[OpField] = op
	}
	return out
}
