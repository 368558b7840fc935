package i18n

import "strings"

// Environment returns the language a command-line program speaks, chosen as
// POSIX programs choose theirs: the first of LC_ALL, LC_MESSAGES and LANG
// that is set decides ("de_DE.UTF-8" is German), matched against the
// languages the portal ships. "C", "POSIX", a language the portal does not
// ship, or none set, is English, so scripts that run the program without a
// locale keep reading what they always read.
func Environment(getenv func(string) string) string {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			return posixLanguage(v)
		}
	}
	return "en"
}

// posixLanguage turns a POSIX locale name (language_TERRITORY.codeset@modifier)
// into the shipped language it names, else English.
func posixLanguage(name string) string {
	if i := strings.IndexAny(name, ".@"); i >= 0 {
		name = name[:i]
	}
	if name == "" || name == "C" || name == "POSIX" {
		return "en"
	}
	if lang, ok := portal.Match(strings.ReplaceAll(name, "_", "-")); ok {
		return lang
	}
	return "en"
}
