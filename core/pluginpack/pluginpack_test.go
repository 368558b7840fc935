package pluginpack

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"aead.dev/minisign"
	"github.com/atriumhq/atrium/core/pluginhost"
)

// publisher is a key pair as keygen writes it, and the trusted-key entry an
// admin would make of its public half.
type publisher struct {
	key   minisign.PrivateKey
	entry Key
}

func newPublisher(t *testing.T, name, password string) publisher {
	t.Helper()
	secret, public, id, err := GenerateKey(password)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	kf := filepath.Join(dir, "key")
	os.WriteFile(kf, secret, 0o600)
	k, err := ReadSecretKey(kf, password)
	if err != nil {
		t.Fatal(err)
	}
	entry, err := Trust(dir, name, string(public))
	if err != nil {
		t.Fatal(err)
	}
	if entry.ID != id {
		t.Fatalf("trusted key id %s, keygen said %s", entry.ID, id)
	}
	return publisher{key: k, entry: entry}
}

// source writes a plugin folder: a manifest and an "executable" (Open does
// not run it; the install test below uses a real one).
func source(t *testing.T, exe []byte) string {
	t.Helper()
	dir := t.TempDir()
	m := fmt.Sprintf("id: test/fault\nname: Fault\nversion: 1.2.0\nprotocols: [1]\nexecutables:\n  %s/%s: {path: bin/testplugin}\n  plan9/amd64: {path: bin/absent}\nprovides: {blocks: [test/fault, test/cached], rooms: [test/board]}\n",
		runtime.GOOS, runtime.GOARCH)
	os.WriteFile(filepath.Join(dir, "plugin.yaml"), []byte(m), 0o644)
	os.MkdirAll(filepath.Join(dir, "bin"), 0o755)
	os.WriteFile(filepath.Join(dir, "bin", "testplugin"), exe, 0o755)
	return dir
}

// write puts a package and, unless sig is nil, its signature in a folder.
func write(t *testing.T, archive, sig []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "test-fault-1.2.0.tar.gz")
	os.WriteFile(f, archive, 0o644)
	if sig != nil {
		os.WriteFile(f+SignatureSuffix, sig, 0o644)
	}
	return f
}

// rawTar builds an archive entry by entry, as an attacker would, with a
// CHECKSUMS that lists every plain file.
func rawTar(t *testing.T, entries ...tar.Header) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	var sums strings.Builder
	for _, h := range entries {
		body := []byte("content of " + h.Name)
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(body))
			s := sha256.Sum256(body)
			fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(s[:]), strings.TrimPrefix(filepath.Clean(h.Name), "/"))
		}
		if h.Mode == 0 {
			h.Mode = 0o644
		}
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			tw.Write(body)
		}
	}
	s := sums.String()
	tw.WriteHeader(&tar.Header{Name: ChecksumsFile, Mode: 0o644, Size: int64(len(s)), Typeflag: tar.TypeReg})
	tw.Write([]byte(s))
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

func TestOpen(t *testing.T) {
	t.Parallel()
	acme := newPublisher(t, "Acme Corp", "")
	other := newPublisher(t, "Somebody Else", "")
	trusted := []Key{acme.entry}
	src := source(t, []byte("#!/bin/sh\necho plugin\n"))
	signed, err := Pack(src, &acme.key)
	if err != nil {
		t.Fatal(err)
	}
	if want := "test-fault-1.2.0.tar.gz"; signed.Name != want {
		t.Errorf("package name %q, want %q", signed.Name, want)
	}
	again, _ := Pack(src, nil)
	if !bytes.Equal(again.Archive, signed.Archive) {
		t.Error("packing the same folder twice gave different archives")
	}
	byOther, _ := Pack(src, &other.key)
	otherPlugin, _ := Pack(source(t, []byte("another plugin")), nil)
	tampered := bytes.Clone(signed.Archive)
	tampered[len(tampered)/2] ^= 0xff
	sign := func(archive []byte) []byte { return minisign.Sign(acme.key, archive) }
	manifestEntry := tar.Header{Name: "plugin.yaml", Typeflag: tar.TypeReg}
	traversal := func(h tar.Header) []byte { return rawTar(t, manifestEntry, h) }

	tests := []struct {
		name          string
		archive, sig  []byte
		allowUnsigned bool
		wantErr       error  // nil: opens
		wantMsg       string // in the error
		wantTrust     pluginhost.Trust
	}{
		{name: "signed by a trusted publisher", archive: signed.Archive, sig: signed.Signature, wantTrust: pluginhost.TrustSigned},
		{name: "signed by a key nobody trusted", archive: byOther.Archive, sig: byOther.Signature, wantErr: ErrUntrusted, wantMsg: other.entry.ID},
		{name: "signed by a key nobody trusted, allowed", archive: byOther.Archive, sig: byOther.Signature, allowUnsigned: true, wantTrust: pluginhost.TrustUntrusted},
		{name: "changed after signing", archive: tampered, sig: signed.Signature, wantErr: ErrBadSignature, wantMsg: "Acme Corp"},
		{name: "changed after signing, even when unsigned is allowed", archive: tampered, sig: signed.Signature, allowUnsigned: true, wantErr: ErrBadSignature},
		{name: "another package's signature", archive: otherPlugin.Archive, sig: signed.Signature, allowUnsigned: true, wantErr: ErrBadSignature},
		{name: "garbled signature", archive: signed.Archive, sig: []byte("untrusted comment: x\nnot base64\n"), allowUnsigned: true, wantErr: ErrBadSignature},
		{name: "unsigned", archive: signed.Archive, wantErr: ErrUnsigned, wantMsg: "--allow-unsigned"},
		{name: "unsigned, allowed", archive: signed.Archive, allowUnsigned: true, wantTrust: pluginhost.TrustUnsigned},
		{name: "entry climbing out", archive: traversal(tar.Header{Name: "../../evil", Typeflag: tar.TypeReg}), wantMsg: `"../../evil" would be written outside the package`},
		{name: "entry climbing out from a folder", archive: traversal(tar.Header{Name: "bin/../../evil", Typeflag: tar.TypeReg}), wantMsg: "outside the package"},
		{name: "absolute entry", archive: traversal(tar.Header{Name: "/etc/cron.d/evil", Typeflag: tar.TypeReg}), wantMsg: "outside the package"},
		{name: "symbolic link", archive: traversal(tar.Header{Name: "bin/link", Linkname: "/etc/passwd", Typeflag: tar.TypeSymlink}), wantMsg: "not a plain file"},
		{name: "hard link", archive: traversal(tar.Header{Name: "bin/link", Linkname: "../x", Typeflag: tar.TypeLink}), wantMsg: "not a plain file"},
		{name: "no checksums", archive: func() []byte {
			var buf bytes.Buffer
			gz := gzip.NewWriter(&buf)
			tw := tar.NewWriter(gz)
			tw.WriteHeader(&tar.Header{Name: "plugin.yaml", Mode: 0o644, Typeflag: tar.TypeReg})
			tw.Close()
			gz.Close()
			return buf.Bytes()
		}(), wantMsg: "no CHECKSUMS"},
		{name: "not an archive", archive: []byte("hello"), wantMsg: "not a gzipped tar file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sig := tt.sig
			if sig == nil && tt.wantErr == nil && tt.wantMsg != "" {
				sig = sign(tt.archive) // a hostile archive from a trusted publisher: signed, still refused
			}
			f := write(t, tt.archive, sig)
			o, err := Open(context.Background(), f, Options{Keys: trusted, AllowUnsigned: tt.allowUnsigned})
			if tt.wantErr == nil && tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("open: %v", err)
				}
				defer o.Close()
				if o.Origin.Trust != tt.wantTrust || o.Origin.Source != f {
					t.Errorf("origin %+v, want trust %s from %s", o.Origin, tt.wantTrust, f)
				}
				if tt.wantTrust == pluginhost.TrustSigned && (o.Origin.Publisher != "Acme Corp" || o.Origin.KeyID != acme.entry.ID) {
					t.Errorf("origin %+v, want Acme Corp's key %s", o.Origin, acme.entry.ID)
				}
				got, _ := os.ReadFile(filepath.Join(o.Dir, "bin", "testplugin"))
				if string(got) != "#!/bin/sh\necho plugin\n" {
					t.Errorf("unpacked executable %q", got)
				}
				if st, err := os.Stat(filepath.Join(o.Dir, "bin", "testplugin")); err != nil || st.Mode()&0o100 == 0 {
					t.Errorf("the executable lost its mode: %v %v", st, err)
				}
				return
			}
			if err == nil {
				o.Close()
				t.Fatal("opened; want a refusal")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not say %q", err, tt.wantMsg)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(os.TempDir()), "evil")); err == nil {
		t.Error("an entry escaped the unpacking folder")
	}
}

func TestOpenLimits(t *testing.T) {
	t.Parallel()
	src := source(t, bytes.Repeat([]byte("x"), 64<<10))
	p, err := Pack(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := write(t, p.Archive, nil)
	tests := []struct {
		name string
		opt  Options
		want string
	}{
		{"archive too big", Options{MaxArchive: int64(len(p.Archive)) - 1}, "more than the"},
		{"unpacks too big", Options{MaxUnpacked: 32 << 10}, "bytes unpacked"},
		{"too many files", Options{MaxFiles: 2}, "more than 2 entries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opt.AllowUnsigned = true
			if _, err := Open(context.Background(), f, tt.opt); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("open = %v, want %q", err, tt.want)
			}
		})
	}
}

// A package is installed from an https URL, its signature fetched from
// beside it; plain http is refused, and so is a redirect to it.
func TestOpenURL(t *testing.T) {
	t.Parallel()
	acme := newPublisher(t, "Acme Corp", "")
	p, err := Pack(source(t, []byte("exe")), &acme.key)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/signed/pkg.tar.gz", func(w http.ResponseWriter, r *http.Request) { w.Write(p.Archive) })
	mux.HandleFunc("/signed/pkg.tar.gz.minisig", func(w http.ResponseWriter, r *http.Request) { w.Write(p.Signature) })
	mux.HandleFunc("/unsigned/pkg.tar.gz", func(w http.ResponseWriter, r *http.Request) { w.Write(p.Archive) })
	mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://127.0.0.1:1/pkg.tar.gz", http.StatusFound)
	})
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	tests := []struct {
		name, url string
		allow     bool
		want      string // error; "" opens
	}{
		{"signed", srv.URL + "/signed/pkg.tar.gz?token=secret", false, ""},
		{"unsigned", srv.URL + "/unsigned/pkg.tar.gz", false, "not signed"},
		{"unsigned, allowed", srv.URL + "/unsigned/pkg.tar.gz", true, ""},
		{"missing", srv.URL + "/nothing.tar.gz", true, "file does not exist"},
		{"plain http", strings.Replace(srv.URL, "https", "http", 1) + "/signed/pkg.tar.gz", true, "only https"},
		{"redirected to http", srv.URL + "/away", true, "not https"},
		{"unreachable", "https://127.0.0.1:1/pkg.tar.gz?token=secret", true, "127.0.0.1:1/pkg.tar.gz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o, err := Open(context.Background(), tt.url, Options{Keys: []Key{acme.entry}, AllowUnsigned: tt.allow, Client: srv.Client()})
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("open = %v, want %q", err, tt.want)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("the error shows the URL's query: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer o.Close()
			if strings.Contains(o.Origin.Source, "secret") {
				t.Errorf("the recorded source keeps the URL's query: %s", o.Origin.Source)
			}
		})
	}
}

// A secret key protected by a password is not read without it. (Reading
// it with the password costs scrypt's gigabyte, which the suite spares.)
func TestSecretKeyNeedsItsPassword(t *testing.T) {
	t.Parallel()
	_, priv, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := priv.MarshalText()
	// Mark the key as scrypt-encrypted, as minisign -G writes it, without
	// paying for the encryption.
	f := filepath.Join(t.TempDir(), "acme.key")
	os.WriteFile(f, encryptedLooking(t, text), 0o600)
	if _, err := ReadSecretKey(f, ""); err == nil || !strings.Contains(err.Error(), PasswordEnv) {
		t.Errorf("read = %v, want a request for the password", err)
	}
}

func TestTrustedKeys(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, public, id, err := GenerateKey("")
	if err != nil {
		t.Fatal(err)
	}
	if keys, err := Keys(dir); err != nil || len(keys) != 0 {
		t.Fatalf("keys of a new portal: %v %v", keys, err)
	}
	// The base64 line alone is a key too, as publishers often print it.
	line := strings.Split(strings.TrimSpace(string(public)), "\n")[1]
	tests := []struct {
		name, key, keyName, want string
	}{
		{"pub file", string(public), "Acme", ""},
		{"base64 line renames", line, "Acme Corp", ""},
		{"no name", line, " ", "name the key's publisher"},
		{"not a key", "hello", "X", "not a minisign public key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Trust(dir, tt.keyName, tt.key)
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("trust = %v, want %q", err, tt.want)
			}
		})
	}
	keys, _ := Keys(dir)
	if len(keys) != 1 || keys[0].ID != id || keys[0].Name != "Acme Corp" {
		t.Fatalf("keys %+v, want one, %s, named Acme Corp", keys, id)
	}
	if _, err := Untrust(dir, "acme corp"); err != nil {
		t.Fatal(err)
	}
	if _, err := Untrust(dir, id); !errors.Is(err, ErrNoKey) {
		t.Errorf("removing a removed key: %v", err)
	}
	if keys, _ := Keys(dir); len(keys) != 0 {
		t.Errorf("keys after removing: %+v", keys)
	}
}

// encryptedLooking sets a minisign secret key's KDF field to scrypt, as an
// encrypted key has it.
func encryptedLooking(t *testing.T, text []byte) []byte {
	t.Helper()
	lines := strings.SplitN(strings.TrimSpace(string(text)), "\n", 2)
	raw, err := base64.StdEncoding.DecodeString(lines[1])
	if err != nil {
		t.Fatal(err)
	}
	raw[2], raw[3] = 'S', 'c' // "Sc": scrypt
	return []byte(lines[0] + "\n" + base64.StdEncoding.EncodeToString(raw) + "\n")
}

// A package signed with the minisign command (its default, pre-hashed
// signatures; testdata/minisign, made with minisign 0.11: minisign -G -W,
// then minisign -Sm) installs as signed: publishers may sign with the tool
// they already have.
func TestOpenMinisignCommandSignature(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("testdata", "minisign")
	pub, err := os.ReadFile(filepath.Join(dir, "publisher.pub"))
	if err != nil {
		t.Fatal(err)
	}
	k, err := Trust(t.TempDir(), "Minisign user", string(pub))
	if err != nil {
		t.Fatal(err)
	}
	o, err := Open(context.Background(), filepath.Join(dir, "test-fault-1.2.0.tar.gz"), Options{Keys: []Key{k}})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if o.Origin.Trust != pluginhost.TrustSigned || o.Origin.Publisher != "Minisign user" {
		t.Errorf("origin %+v, want signed by Minisign user", o.Origin)
	}
	if b, _ := os.ReadFile(filepath.Join(o.Dir, "bin", "testplugin")); string(b) != "#!/bin/sh\necho plugin\n" {
		t.Errorf("unpacked %q", b)
	}
}
