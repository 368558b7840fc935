package i18n_test

import (
	"testing"

	"github.com/atriumhq/atrium/core/i18n"
)

func TestEnvironment(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"nothing set", nil, "en"},
		{"LANG alone", map[string]string{"LANG": "de_DE.UTF-8"}, "de"},
		{"a territory the portal has no file for", map[string]string{"LANG": "es_MX.UTF-8"}, "es"},
		{"a modifier", map[string]string{"LANG": "de_DE@euro"}, "de"},
		{"a bare language", map[string]string{"LANG": "es"}, "es"},
		{"LC_MESSAGES before LANG", map[string]string{"LC_MESSAGES": "es_ES.UTF-8", "LANG": "de_DE.UTF-8"}, "es"},
		{"LC_ALL before all", map[string]string{"LC_ALL": "de_AT.UTF-8", "LC_MESSAGES": "es_ES.UTF-8", "LANG": "es_ES.UTF-8"}, "de"},
		{"the C locale", map[string]string{"LANG": "C"}, "en"},
		{"C.UTF-8", map[string]string{"LANG": "C.UTF-8"}, "en"},
		{"POSIX decides even over a later German", map[string]string{"LC_ALL": "POSIX", "LANG": "de_DE.UTF-8"}, "en"},
		{"an empty LC_ALL is not set", map[string]string{"LC_ALL": "", "LANG": "de_DE.UTF-8"}, "de"},
		{"a language the portal does not ship", map[string]string{"LANG": "fr_FR.UTF-8"}, "en"},
	} {
		got := i18n.Environment(func(k string) string { return tc.env[k] })
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}
