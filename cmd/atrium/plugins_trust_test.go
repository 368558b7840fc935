package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A publisher makes a key and signs a package; the admin installs it once
// the key is trusted, and an unsigned package only when they say so. Each
// plugin's trust shows in plugins list.
func TestPluginPackagesCLI(t *testing.T) {
	src := buildNPS(t)
	keys, dist := t.TempDir(), t.TempDir()
	pkg := filepath.Join(dist, "acme-nps-1.0.0.tar.gz")
	unsigned := filepath.Join(t.TempDir(), "acme-nps-1.0.0.tar.gz")
	flags := []string{"--data", t.TempDir(), "--log-level", "error"}
	steps := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"plugins", "keygen", "--name", filepath.Join(keys, "acme")}, 0, `trust add ` + filepath.Join(keys, "acme.pub") + ` --name "acme"`},
		{[]string{"plugins", "keygen", "--name", filepath.Join(keys, "acme")}, 1, "never overwrites"},
		{[]string{"plugins", "pack", src}, 1, "--key"},
		{[]string{"plugins", "pack", src, "--key", filepath.Join(keys, "acme.key"), "--out", dist}, 0, pkg + ".minisig"},
		{[]string{"plugins", "trust", "list"}, 0, "No trusted publisher keys"},
		{[]string{"plugins", "install", pkg}, 1, "signed by a key the portal does not trust"},
		{[]string{"plugins", "list"}, 0, "No plugins"},
		{[]string{"plugins", "trust", "add", filepath.Join(keys, "acme.pub"), "--name", "Acme Corp"}, 0, "Trusted key"},
		{[]string{"plugins", "trust", "add", "not-a-key", "--name", "X"}, 1, "not a minisign public key"},
		{[]string{"plugins", "trust", "list"}, 0, "Acme Corp"},
		{[]string{"plugins", "install", pkg}, 0, "Installed acme/nps 1.0.0 (signed by Acme Corp)"},
		{[]string{"plugins", "list"}, 0, "signed by Acme Corp"},
		{[]string{"plugins", "pack", src, "--unsigned", "--out", filepath.Dir(unsigned)}, 0, unsigned},
		{[]string{"plugins", "install", unsigned}, 1, "not signed"},
		{[]string{"plugins", "list"}, 0, "signed by Acme Corp"},
		{[]string{"plugins", "install", unsigned, "--allow-unsigned"}, 0, "(unsigned)"},
		{[]string{"plugins", "list"}, 0, "unsigned"},
		{[]string{"plugins", "install", "http://plugins.example/acme-nps-1.0.0.tar.gz"}, 1, "only https"},
		{[]string{"plugins", "install", src}, 0, "unsigned: from a folder"},
		{[]string{"plugins", "trust", "remove", "acme corp"}, 0, "Removed key"},
		{[]string{"plugins", "trust", "remove", "acme corp"}, 1, "no trusted key"},
	}
	for _, s := range steps {
		code, out, errOut := cli(t, flags, "", s.args...)
		if code != s.code || !strings.Contains(out+errOut, s.want) {
			t.Errorf("%v: exit %d, output %q %q; want exit %d and %q", s.args, code, out, errOut, s.code, s.want)
		}
	}
	if st, err := os.Stat(filepath.Join(keys, "acme.key")); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the secret key file: %v %v, want mode 0600", st, err)
	}
}
