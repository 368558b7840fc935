package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	coreI18n "github.com/atriumhq/atrium/core/i18n"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/spf13/cobra"
)

// cli runs the atrium command with args against a test database and returns
// its exit code, standard output and standard error. It runs in the C
// locale, so what the tests read is English whatever the machine's locale.
func cli(t *testing.T, dbArgs []string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	return cliIn(t, "C", dbArgs, stdin, args...)
}

// cliIn is cli with LANG set to lang.
func cliIn(t *testing.T, lang string, dbArgs []string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	return cliEnv(t, map[string]string{"LANG": lang}, dbArgs, stdin, args...)
}

// cliEnv is cli with the locale variables of env (LC_ALL, LC_MESSAGES,
// LANG); those it lacks are unset.
func cliEnv(t *testing.T, env map[string]string, dbArgs []string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runIn(context.Background(), func(k string) string { return env[k] }, append(args, dbArgs...), strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// dbFlags returns the --data/--database-url flags of a fresh test database.
func dbFlags(t *testing.T) []string {
	cfg := storetest.Config(t)
	flags := []string{"--data", cfg.DataDir, "--log-level", "error"}
	if cfg.DatabaseURL != "" {
		flags = append(flags, "--database-url", cfg.DatabaseURL)
	}
	return flags
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const trainingYAML = `apiVersion: atrium/v1
kind: Room
slug: training
title: Training Portal
icon: graduation-cap
partnerTypes: [referral, reseller]
position: 40
audience:
  minTier: silver
  stages: [training, active, strategic]
blocks:
  - id: welcome
    type: text
    config:
      markdown: "## Welcome"
  - id: intro
    type: video
    audience: { roles: [sales] }
    config: { url: "https://www.youtube.com/watch?v=aqz-KE-bpKQ", title: "Getting started" }
  - id: next
    type: action-bar
    config:
      buttons:
        - { label: Support, room: support }
`

const supportYAML = `apiVersion: atrium/v1
kind: Room
slug: support
title: Support
partnerTypes: [referral, reseller, distributor, implementation]
position: 90
blocks:
  - id: how
    type: text
    config: { markdown: "Email support@acme.example" }
`

func TestRoomsApplyValidateExportList(t *testing.T) {
	t.Parallel()
	db := dbFlags(t)
	dir := writeFiles(t, map[string]string{"training.yaml": trainingYAML, "support.yaml": supportYAML})

	code, out, errs := cli(t, db, "", "rooms", "validate", "-f", dir)
	if code != 0 || !strings.Contains(out, "2 documents are valid") {
		t.Fatalf("validate: %d %q %q", code, out, errs)
	}
	code, out, _ = cli(t, db, "", "rooms", "list")
	if code != 0 || !strings.Contains(out, "No rooms yet") {
		t.Fatalf("validate must not write: list says %q", out)
	}
	code, out, errs = cli(t, db, "", "rooms", "apply", "-f", dir)
	if code != 0 || !strings.Contains(out, "room support: created") || !strings.Contains(out, "room training: created") ||
		!strings.Contains(out, "2 created, 0 changed, 0 unchanged, 0 deleted.") {
		t.Fatalf("first apply: %d %q %q", code, out, errs)
	}
	code, out, _ = cli(t, db, "", "rooms", "apply", "-f", dir)
	if code != 0 || !strings.Contains(out, "0 created, 0 changed, 2 unchanged, 0 deleted.") {
		t.Fatalf("second apply changed something: %q", out)
	}
	code, out, _ = cli(t, db, "", "rooms", "list")
	if code != 0 || !strings.Contains(out, "training") || !strings.Contains(out, "referral,reseller") {
		t.Fatalf("list: %q", out)
	}

	// Export round-trips: applying the export changes nothing.
	exported := t.TempDir()
	if code, _, errs := cli(t, db, "", "rooms", "export", "-o", exported); code != 0 {
		t.Fatalf("export: %q", errs)
	}
	for _, f := range []string{"program.yaml", "training.yaml", "support.yaml"} {
		if _, err := os.Stat(filepath.Join(exported, f)); err != nil {
			t.Errorf("export did not write %s", f)
		}
	}
	code, out, _ = cli(t, db, "", "rooms", "apply", "-f", exported)
	if code != 0 || !strings.Contains(out, "0 created, 0 changed, 2 unchanged") || strings.Contains(out, "program: changed") {
		t.Fatalf("applying the export changed something: %q", out)
	}
	// Export to standard output is one stream of documents.
	code, out, _ = cli(t, db, "", "rooms", "export")
	if code != 0 || strings.Count(out, "kind: Room") != 2 || !strings.Contains(out, "kind: Program") {
		t.Fatalf("export to stdout: %q", out)
	}

	// A change, a dry run, then prune.
	changed := strings.Replace(supportYAML, "Email support@acme.example", "Call us", 1)
	dir2 := writeFiles(t, map[string]string{"support.yaml": changed})
	code, out, _ = cli(t, db, "", "rooms", "apply", "-f", dir2, "--prune", "--dry-run")
	if code != 0 || !strings.Contains(out, "room support: would be changed") || !strings.Contains(out, "room training: would be deleted") {
		t.Fatalf("dry run: %q", out)
	}
	code, out, _ = cli(t, db, "", "rooms", "apply", "-f", dir2, "--prune")
	if code != 0 || !strings.Contains(out, "0 created, 1 changed, 0 unchanged, 1 deleted.") {
		t.Fatalf("prune: %q", out)
	}
}

func TestRoomsApplyReportsEveryProblemAndChangesNothing(t *testing.T) {
	t.Parallel()
	db := dbFlags(t)
	bad := map[string]string{
		"broken.yaml": "apiVersion: atrium/v1\nkind: Room\nslug: [\n",
		"typo.yaml":   "apiVersion: atrium/v1\nkind: Room\nslug: typo\ntitle: T\npartnerTypes: [referral]\nblokcs: []\n",
		"rooms.yaml": `apiVersion: atrium/v1
kind: Room
slug: good
title: Good
partnerTypes: [referral]
audience: { minTier: gould }
blocks:
  - id: a
    type: quiz
  - id: a
    type: text
    config: { markdown: "" }
  - id: v
    type: video
    config: { url: "https://evil.example/video", title: "x" }
`,
	}
	dir := writeFiles(t, bad)
	code, _, errs := cli(t, db, "", "rooms", "apply", "-f", dir)
	if code == 0 {
		t.Fatal("apply of broken files succeeded")
	}
	for _, want := range []string{
		"nothing was changed",
		"broken.yaml:3: invalid YAML",
		"typo.yaml:6: blokcs: unknown field",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("errors do not mention %q:\n%s", want, errs)
		}
	}
	// The file-level problems stop before the database is touched; fix them
	// to see the database-level ones.
	delete(bad, "broken.yaml")
	delete(bad, "typo.yaml")
	code, _, errs = cli(t, db, "", "rooms", "apply", "-f", writeFiles(t, bad))
	if code == 0 {
		t.Fatal("apply of invalid rooms succeeded")
	}
	for _, want := range []string{
		`rooms.yaml:6: audience.minTier: unknown tier "gould"`,
		`rooms.yaml:9: blocks[0].type: unknown block type "quiz"`,
		`rooms.yaml:10: blocks[1].id: duplicate block id "a"`,
		`rooms.yaml:12: blocks[1].config.markdown:`,
		`rooms.yaml:15: blocks[2].config: url:`,
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("errors do not mention %q:\n%s", want, errs)
		}
	}
	if _, out, _ := cli(t, db, "", "rooms", "list"); !strings.Contains(out, "No rooms yet") {
		t.Errorf("a failed apply stored rooms: %q", out)
	}
}

func TestFlagsFromEnvironment(t *testing.T) {
	cfg := storetest.Config(t)
	t.Setenv("ATRIUM_DATA", cfg.DataDir)
	t.Setenv("ATRIUM_DATABASE_URL", cfg.DatabaseURL)
	code, out, errs := cli(t, nil, "", "migrate", "status")
	if code != 0 || !strings.Contains(out, "0 pending") {
		t.Fatalf("migrate status from ATRIUM_* variables: %d %q %q", code, out, errs)
	}
	want := "sqlite " + filepath.Join(cfg.DataDir, "atrium.db")
	if cfg.DatabaseURL != "" {
		want = "postgres "
	}
	if !strings.Contains(out, want) {
		t.Errorf("status does not name the database from the environment: %q", out)
	}
	t.Setenv("ATRIUM_LOG_LEVEL", "loud")
	t.Setenv("ATRIUM_ADDR", "x")
	// A bad value names the variable.
	t.Setenv("ATRIUM_POLL", "soon")
	if code, _, errs := cli(t, nil, "", "serve"); code == 0 || !strings.Contains(errs, "ATRIUM_POLL") {
		t.Errorf("a bad ATRIUM_POLL was accepted: %q", errs)
	}
}

func TestUsersAndTokens(t *testing.T) {
	t.Parallel()
	db := dbFlags(t)
	code, out, errs := cli(t, db, "", "users", "create", "--email", "Ada@Example.com", "--name", "Ada Admin", "--role", "admin")
	if code != 0 || !strings.Contains(out, "Created ada@example.com (admin)") || !strings.Contains(out, "/invite/") {
		t.Fatalf("create with invitation: %d %q %q", code, out, errs)
	}
	code, _, errs = cli(t, db, "", "users", "create", "--email", "ada@example.com", "--name", "Again")
	if code == 0 || !strings.Contains(errs, "--email: A user with this email already exists.") {
		t.Errorf("duplicate email: %q", errs)
	}
	code, _, errs = cli(t, db, "short\n", "users", "create", "--email", "bob@example.com", "--name", "Bob", "--role", "admin", "--password-stdin")
	if code == 0 || !strings.Contains(errs, "Use at least 12 characters") {
		t.Errorf("weak password accepted: %q", errs)
	}
	code, out, errs = cli(t, db, "correct horse battery staple\n", "users", "create", "--email", "bob@example.com", "--name", "Bob", "--role", "admin", "--password-stdin")
	if code != 0 || !strings.Contains(out, "with the given password") {
		t.Fatalf("create with password: %q %q", out, errs)
	}
	code, out, errs = cli(t, db, "", "tokens", "create", "--email", "bob@example.com", "--name", "CRM sync")
	if code != 0 || !strings.HasPrefix(out, "atr_") || !strings.Contains(errs, "cannot be shown again") {
		t.Fatalf("token: %q %q", out, errs)
	}
	if code, _, errs := cli(t, db, "", "tokens", "create", "--email", "nobody@example.com"); code == 0 || !strings.Contains(errs, "no user") {
		t.Errorf("token for nobody: %q", errs)
	}
}

func TestMigrateAndVersionAndOpenAPI(t *testing.T) {
	t.Parallel()
	db := dbFlags(t)
	if code, out, _ := cli(t, db, "", "migrate", "up"); code != 0 || !strings.Contains(out, "up to date") {
		t.Errorf("migrate up on a migrated database: %q", out)
	}
	if code, out, _ := cli(t, nil, "", "version"); code != 0 || !strings.HasPrefix(out, "atrium ") {
		t.Errorf("version: %q", out)
	}
	code, out, _ := cli(t, nil, "", "openapi")
	if code != 0 || !strings.Contains(out, `"openapi":"3.1.0"`) || !strings.Contains(out, "/api/v1/rooms/{name}") {
		t.Errorf("openapi: %.200s", out)
	}
}

// What the CLI applies shows on a running portal within a few seconds,
// through the same data folder or database.
func TestRunningPortalSeesCLIChanges(t *testing.T) {
	p := startDemo(t)
	db := []string{"--data", p.g.data, "--log-level", "error"}
	if p.g.databaseURL != "" {
		db = append(db, "--database-url", p.g.databaseURL)
	}
	c := p.client(t, "sarah@northwind.example")
	if status, _ := fetch(t, c, p.URL+"/rooms/news"); status != 404 {
		t.Fatalf("news room before apply: %d", status)
	}
	news := `apiVersion: atrium/v1
kind: Room
slug: news
title: Partner News
partnerTypes: [referral]
position: 15
blocks:
  - id: hello
    type: text
    config: { markdown: "Fresh from the CLI" }
`
	if code, _, errs := cli(t, db, "", "rooms", "apply", "-f", writeFiles(t, map[string]string{"news.yaml": news})); code != 0 {
		t.Fatalf("apply: %s", errs)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		status, body := fetch(t, c, p.URL+"/rooms/news")
		if status == 200 && strings.Contains(body, "Fresh from the CLI") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the portal did not show the applied room within 5s (status %d)", status)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Every command is registered once: a command added twice shows twice in
// the help and runs whichever cobra finds first.
func TestCommandsAreRegisteredOnce(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		seen := map[string]bool{}
		for _, sub := range c.Commands() {
			if seen[sub.Name()] {
				t.Errorf("%q has the subcommand %q twice", c.CommandPath(), sub.Name())
			}
			seen[sub.Name()] = true
			walk(sub)
		}
	}
	walk(newRoot(coreI18n.Locale("en"), strings.NewReader(""), io.Discard, io.Discard))
}
