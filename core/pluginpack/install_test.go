package pluginpack

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/atriumhq/atrium/core/pluginhost"
)

// Installing a signed package runs the host's install on what was
// unpacked (the plugin checker, one start of the executable) and records
// who signed it; a refused package leaves the installed copy as it was.
func TestInstallSignedPackage(t *testing.T) {
	t.Parallel()
	exe := filepath.Join(t.TempDir(), "testplugin")
	if out, err := exec.Command("go", "build", "-o", exe, "../pluginhost/testdata/testplugin").CombinedOutput(); err != nil {
		t.Fatalf("build the test plugin: %v\n%s", err, out)
	}
	b, _ := os.ReadFile(exe)
	acme := newPublisher(t, "Acme Corp", "")
	signed, err := Pack(source(t, b), &acme.key)
	if err != nil {
		t.Fatal(err)
	}
	plugins := t.TempDir()
	install := func(dir string, o pluginhost.Origin) (pluginhost.Manifest, error) {
		return pluginhost.InstallFrom(dir, plugins, o)
	}
	good := write(t, signed.Archive, signed.Signature)
	if _, _, err := Install(context.Background(), good, Options{Keys: []Key{acme.entry}}, install); err != nil {
		t.Fatal(err)
	}
	installed := filepath.Join(plugins, "test", "fault")
	before := snapshot(t, installed)

	tampered := append([]byte{}, signed.Archive...)
	tampered[len(tampered)-40] ^= 1
	otherExe, _ := Pack(source(t, append(b, 0)), nil) // runs, but not what was signed
	tests := []struct {
		name    string
		archive []byte
		sig     []byte
		allow   bool
		want    error
	}{
		{"tampered", tampered, signed.Signature, true, ErrBadSignature},
		{"executable swapped", otherExe.Archive, signed.Signature, true, ErrBadSignature},
		{"unsigned", otherExe.Archive, nil, false, ErrUnsigned},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ran := false
			_, _, err := Install(context.Background(), write(t, tt.archive, tt.sig), Options{Keys: []Key{acme.entry}, AllowUnsigned: tt.allow},
				func(dir string, o pluginhost.Origin) (pluginhost.Manifest, error) { ran = true; return install(dir, o) })
			if !errors.Is(err, tt.want) {
				t.Fatalf("install = %v, want %v", err, tt.want)
			}
			if ran {
				t.Error("the host's install ran (and started the executable) before the signature was checked")
			}
			if after := snapshot(t, installed); after != before {
				t.Errorf("the installed copy changed:\n%s\nwas\n%s", after, before)
			}
		})
	}

	all, err := pluginhost.Installed(plugins)
	if err != nil || len(all) != 1 {
		t.Fatalf("installed: %+v %v", all, err)
	}
	if s := all[0]; s.Trust != pluginhost.TrustSigned || s.Publisher != "Acme Corp" || s.KeyID != acme.entry.ID || s.Source != good {
		t.Errorf("status %+v, want signed by Acme Corp from %s", s, good)
	}

	// The same package from an https URL: the signature comes from beside
	// it, and the plugin is installed again, signed.
	mux := http.NewServeMux()
	mux.HandleFunc("/acme/nps.tar.gz", func(w http.ResponseWriter, r *http.Request) { w.Write(signed.Archive) })
	mux.HandleFunc("/acme/nps.tar.gz.minisig", func(w http.ResponseWriter, r *http.Request) { w.Write(signed.Signature) })
	mux.HandleFunc("/evil/nps.tar.gz", func(w http.ResponseWriter, r *http.Request) { w.Write(tampered) })
	mux.HandleFunc("/evil/nps.tar.gz.minisig", func(w http.ResponseWriter, r *http.Request) { w.Write(signed.Signature) })
	srv := httptest.NewTLSServer(mux)
	defer srv.Close()
	if _, _, err := Install(context.Background(), srv.URL+"/evil/nps.tar.gz", Options{Keys: []Key{acme.entry}, Client: srv.Client()}, install); !errors.Is(err, ErrBadSignature) {
		t.Errorf("install a tampered package from a URL: %v", err)
	}
	if _, o, err := Install(context.Background(), srv.URL+"/acme/nps.tar.gz", Options{Keys: []Key{acme.entry}, Client: srv.Client()}, install); err != nil || o.Trust != pluginhost.TrustSigned {
		t.Fatalf("install from a URL: %v %+v", err, o)
	}
	all, _ = pluginhost.Installed(plugins)
	if s := all[0]; s.Source != srv.URL+"/acme/nps.tar.gz" || s.State != "installed" {
		t.Errorf("status %+v, want installed from the URL", s)
	}

	// Unsigned, with the admin's explicit word: installed, and shown so.
	if _, _, err := Install(context.Background(), write(t, otherExe.Archive, nil), Options{AllowUnsigned: true}, install); err != nil {
		t.Fatal(err)
	}
	all, _ = pluginhost.Installed(plugins)
	if s := all[0]; s.Trust != pluginhost.TrustUnsigned || s.Publisher != "" {
		t.Errorf("status %+v, want unsigned", s)
	}
}

// snapshot is every file of an installed plugin with its content.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var s string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			s += p + "\n" + string(b) + "\n"
		}
		return nil
	})
	if s == "" {
		t.Fatalf("nothing installed in %s", dir)
	}
	return s
}
