package main

import (
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/store/storetest"
)

// A relative data folder (the default is ./atrium-data) means the same
// folder to every command and to the plugin processes they start: the
// plugin is installed, listed, and started to check a room file's config.
func TestRelativeDataFolder(t *testing.T) {
	src := buildNPS(t)
	cfg := storetest.Config(t)
	t.Chdir(t.TempDir())
	flags := []string{"--data", "atrium-data", "--log-level", "error"}
	if cfg.DatabaseURL != "" {
		flags = append(flags, "--database-url", cfg.DatabaseURL)
	}
	room := writeFiles(t, map[string]string{"feedback.yaml": `apiVersion: atrium/v1
kind: Room
slug: feedback
title: Feedback
partnerTypes: [referral]
position: 90
blocks:
  - id: nps
    type: acme/nps
    config: {question: 42}
`})
	steps := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"plugins", "install", src}, 0, "Installed acme/nps"},
		{[]string{"plugins", "list"}, 0, "installed"},
		// The plugin runs, or the block type would be unknown rather than
		// its config refused by the plugin's schema.
		{[]string{"rooms", "validate", "-f", room}, 1, "question"},
	}
	for _, s := range steps {
		code, out, errOut := cli(t, flags, "", s.args...)
		if code != s.code || !strings.Contains(out+errOut, s.want) || strings.Contains(out+errOut, "no such file") ||
			strings.Contains(out+errOut, "unknown") {
			t.Errorf("%v: exit %d, output %q %q; want exit %d and %q", s.args, code, out, errOut, s.code, s.want)
		}
	}
}
