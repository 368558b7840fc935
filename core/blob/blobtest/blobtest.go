// Package blobtest gives tests a real object store: a folder, and an
// S3-compatible server (versitygw with its posix backend) on a loopback port.
// Without versitygw installed the S3 variant is skipped locally and fails
// under CI=true, where .ci/run installs it.
package blobtest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/blob"
)

// Backend names one kind of store a test runs against.
type Backend struct {
	Name string
	Open func(t testing.TB) *blob.Store
}

// Backends lists the stores every blob-using test runs against.
var Backends = []Backend{
	{"file", Dir},
	{"s3", S3},
}

// Each runs fn once per backend as a subtest.
func Each(t *testing.T, fn func(t *testing.T, s *blob.Store)) {
	for _, b := range Backends {
		t.Run(b.Name, func(t *testing.T) { fn(t, b.Open(t)) })
	}
}

// Dir opens a store in a fresh temporary folder.
func Dir(t testing.TB) *blob.Store {
	t.Helper()
	s, err := blob.Open(context.Background(), "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Binary finds versitygw on PATH or in GOPATH/bin.
func Binary() string {
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		home, _ := os.UserHomeDir()
		gopath = filepath.Join(home, "go")
	}
	p := filepath.Join(gopath, "bin", "versitygw")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}

// The credentials of the test server, for tests that configure a portal
// through the AWS environment variables.
const (
	AccessKey = "atriumtest"
	SecretKey = "atriumtestsecret"
	bucket    = "atrium"
)

// S3 starts versitygw serving a fresh folder and opens a store on it through
// an s3:// URL, exactly as an operator would configure one.
func S3(t testing.TB) *blob.Store {
	t.Helper()
	u := S3URL(t)
	t.Setenv("AWS_ACCESS_KEY_ID", AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", SecretKey)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	s, err := blob.Open(context.Background(), u, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// S3URL starts versitygw and returns the blob URL for its bucket. The caller
// must put the test credentials in the environment (see [S3]).
func S3URL(t testing.TB) string {
	t.Helper()
	bin := Binary()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("versitygw is not installed (go install github.com/versity/versitygw/cmd/versitygw@v1.8.0)")
		}
		t.Skip("versitygw is not installed; skipping the S3 backend")
	}
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, bucket), 0o750); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--access", AccessKey, "--secret", SecretKey,
		"--port", addr, "posix", "--sidecar", t.TempDir(), root)
	logf, err := os.Create(filepath.Join(t.TempDir(), "versitygw.log"))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		logf.Close()
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logf.Name())
			t.Fatalf("versitygw did not start on %s: %v\n%s", addr, err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Sprintf("s3://%s?endpoint=http://%s&region=us-east-1&use_path_style=true", bucket, addr)
}
