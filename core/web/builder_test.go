package web

import (
	"maps"
	"net/url"
	"testing"
)

// TestFormTitles: the settings form's title fields change only the
// languages they offer; an empty one removes the translation (its readers
// see the room's title); a language the form has no field for keeps its
// title, and so does one whose field was not sent.
func TestFormTitles(t *testing.T) {
	for _, tc := range []struct {
		name string
		form url.Values
		old  map[string]string
		want map[string]string
	}{
		{"a new translation, trimmed", url.Values{"title.de": {"  Schulungen "}, "title.es": {""}}, nil, map[string]string{"de": "Schulungen"}},
		{"changed and emptied", url.Values{"title.de": {"Training"}, "title.es": {" "}}, map[string]string{"de": "Schulungen", "es": "Formación"}, map[string]string{"de": "Training"}},
		{"every field empty", url.Values{"title.de": {""}, "title.es": {""}}, map[string]string{"de": "Schulungen"}, nil},
		{"a language without a field is kept", url.Values{"title.de": {""}, "title.es": {"Formación"}}, map[string]string{"fr": "Formation", "de": "Schulungen"}, map[string]string{"fr": "Formation", "es": "Formación"}},
		{"fields not sent keep their titles", url.Values{"title": {"Training"}}, map[string]string{"de": "Schulungen"}, map[string]string{"de": "Schulungen"}},
		{"English is the room's title, not a translation", url.Values{"title.en": {"Training"}}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before map[string]string
			if tc.old != nil {
				before = maps.Clone(tc.old)
			}
			got := formTitles(tc.form, tc.old)
			if !maps.Equal(got, tc.want) || (got == nil) != (tc.want == nil) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			if !maps.Equal(tc.old, before) {
				t.Errorf("the room's titles were changed in place: %v", tc.old)
			}
		})
	}
}
