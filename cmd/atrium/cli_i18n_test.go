package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	coreI18n "github.com/atriumhq/atrium/core/i18n"
)

// cliStep is one command of a language test and a text its output must
// hold in each language.
type cliStep struct {
	args []string
	want map[string]string // language tag -> text in stdout or stderr
}

// cliSteps run against one fresh database, in order: they validate and
// list rooms, list commission rules, run the doctor, and make the CLI
// refuse twice, so progress lines, results, counts, the doctor's checks
// and the CLI's own errors are all seen.
func cliSteps(dir string) []cliStep {
	return []cliStep{
		{[]string{"rooms", "validate", "-f", dir}, map[string]string{
			"en": "2 documents are valid.", "de": "2 Dokumente sind gültig.", "es": "2 documentos son válidos."}},
		{[]string{"rooms", "list"}, map[string]string{
			"en": "No rooms yet.", "de": "Noch keine Räume.", "es": "Todavía no hay salas."}},
		{[]string{"rooms", "apply", "--dry-run", "-f", dir}, map[string]string{
			"en": "room training: would be created", "de": "Raum training: würde angelegt", "es": "sala training: se crearía"}},
		{[]string{"program", "rules", "list"}, map[string]string{
			"en": "No commission rules yet.", "de": "Noch keine Provisionsregeln.", "es": "Todavía no hay reglas de comisión."}},
		{[]string{"doctor", "--smtp-addr", "", "--public-url", ""}, map[string]string{
			"en": "no plugins are installed.", "de": "keine Plugins sind installiert.", "es": "no hay plugins instalados."}},
		{[]string{"rooms", "apply"}, map[string]string{
			"en": "Error: name the room files or folders with -f", "de": "Fehler: nennen Sie die Raumdateien oder -ordner mit -f",
			"es": "Error: indique los archivos o carpetas de salas con -f"}},
		{[]string{"rooms", "rollback", "training", "x"}, map[string]string{
			"en": `"x" is not a revision number`, "de": `"x" ist keine Revisionsnummer`, "es": `"x" no es un número de revisión`}},
	}
}

// runSteps runs the steps with LANG=lang and returns each step's output
// lines, stdout and stderr together.
func runSteps(t *testing.T, lang, tag string, steps []cliStep) [][]string {
	t.Helper()
	db := dbFlags(t)
	var lines [][]string
	for _, s := range steps {
		_, out, errs := cliIn(t, lang, db, "", s.args...)
		if !strings.Contains(out+errs, s.want[tag]) {
			t.Errorf("LANG=%s atrium %s: want %q in\n%s%s", lang, strings.Join(s.args, " "), s.want[tag], out, errs)
		}
		var ls []string
		for _, l := range strings.Split(out+errs, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				ls = append(ls, l)
			}
		}
		lines = append(lines, ls)
	}
	return lines
}

// TestCLISpeaksTheLocalesLanguage runs commands with a German and a Spanish
// LANG: each prints what the language says, and no line of what the same
// command prints in English.
func TestCLISpeaksTheLocalesLanguage(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{"training.yaml": trainingYAML, "support.yaml": supportYAML})
	steps := cliSteps(dir)
	english := runSteps(t, "C", "en", steps)
	for _, tc := range []struct{ lang, tag string }{
		{"de_DE.UTF-8", "de"},
		{"es_ES.UTF-8", "es"},
	} {
		t.Run(tc.tag, func(t *testing.T) {
			t.Parallel()
			for i, ls := range runSteps(t, tc.lang, tc.tag, steps) {
				for _, l := range ls {
					if slices.Contains(english[i], l) {
						t.Errorf("LANG=%s atrium %s printed an English line: %q", tc.lang, strings.Join(steps[i].args, " "), l)
					}
				}
			}
		})
	}
}

// TestCLISpeaksEnglishWithoutALocale: the C locale, no locale at all, and a
// language the portal does not ship give English, and LC_ALL and
// LC_MESSAGES come before LANG, as in every command-line program.
func TestCLISpeaksEnglishWithoutALocale(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{"support.yaml": supportYAML})
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"LANG=C", map[string]string{"LANG": "C"}, "1 document is valid."},
		{"no locale", nil, "1 document is valid."},
		{"POSIX", map[string]string{"LANG": "POSIX"}, "1 document is valid."},
		{"an unshipped language", map[string]string{"LANG": "fr_FR.UTF-8"}, "1 document is valid."},
		{"LC_ALL=C over a German LANG", map[string]string{"LC_ALL": "C", "LANG": "de_DE.UTF-8"}, "1 document is valid."},
		{"LC_MESSAGES over LANG", map[string]string{"LC_MESSAGES": "de_AT.UTF-8", "LANG": "es_ES.UTF-8"}, "1 Dokument ist gültig."},
	} {
		code, out, errs := cliEnv(t, tc.env, nil, "", "rooms", "validate", "-f", dir, "--data", t.TempDir())
		if code != 0 || strings.TrimSpace(out) != tc.want {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want %q", tc.name, code, out, errs, tc.want)
		}
	}
}

// cliMessage finds the catalogue ids the CLI names in its code.
var cliMessage = regexp.MustCompile(`"(cli\.[a-z0-9.-]+)"`)

// TestCLIMessagesAreInEveryCatalogue fails when the CLI names a message a
// language lacks (the reader would see its id), or a catalogue keeps a cli.
// message no code names any more.
func TestCLIMessagesAreInEveryCatalogue(t *testing.T) {
	t.Parallel()
	// The doctor's checks are worded in core/doctor, in the CLI's language.
	var files []string
	for _, pattern := range []string{"*.go", "../../core/doctor/*.go"} {
		fs, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fs...)
	}
	used := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range cliMessage.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
		}
	}
	if len(used) < 100 {
		t.Fatalf("found only %d cli. messages in the code: the pattern no longer finds them", len(used))
	}
	cat := coreI18n.Catalog()
	for _, lang := range cat.Languages() {
		ids := cat.IDs(lang)
		for id := range used {
			if _, found := slices.BinarySearch(ids, id); !found {
				t.Errorf("%s.json lacks %s", lang, id)
			}
		}
		for _, id := range ids {
			if strings.HasPrefix(id, "cli.") && !used[id] {
				t.Errorf("%s.json has %s, which no command uses", lang, id)
			}
		}
	}
}
