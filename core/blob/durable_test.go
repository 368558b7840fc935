package blob

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// An upload acknowledged by a folder store must survive a power cut: the
// temporary file is flushed before it is renamed to its key, and the
// folders holding the new name are flushed after.
func TestFolderWriteIsDurable(t *testing.T) {
	root := t.TempDir()
	s, err := OpenDir(root)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	target := filepath.Join(s.dir, "files", "ab", "abcdef")
	type synced struct {
		name          string
		targetExisted bool
	}
	var got []synced
	s.sync = func(f *os.File) error {
		_, err := os.Stat(target)
		got = append(got, synced{f.Name(), err == nil})
		return f.Sync()
	}
	if _, err := s.Put(context.Background(), "files/ab/abcdef", "application/pdf", bytes.NewReader(bytes.Repeat([]byte("x"), 1<<20))); err != nil {
		t.Fatal(err)
	}
	want := []string{"files/ab/abcdef.*.tmp", "files/ab", "files", "."}
	if len(got) != len(want) {
		t.Fatalf("synced %v, want %v", got, want)
	}
	for i, w := range want {
		rel, _ := filepath.Rel(s.dir, got[i].name)
		if ok, _ := filepath.Match(w, rel); !ok {
			t.Errorf("sync %d: %s, want %s", i, rel, w)
		}
	}
	if got[0].targetExisted {
		t.Error("the object was visible under its key before its bytes were flushed")
	}
	for _, g := range got[1:] {
		if !g.targetExisted {
			t.Errorf("folder %s flushed before the rename", g.name)
		}
	}

	// A failed flush refuses the upload and leaves nothing.
	s.sync = func(*os.File) error { return errors.New("disk full") }
	if _, err := s.Put(context.Background(), "files/cd/cdef", "application/pdf", strings.NewReader("%PDF-1.4")); err == nil {
		t.Fatal("upload acknowledged although its flush failed")
	}
	if _, err := os.Stat(filepath.Join(s.dir, "files", "cd", "cdef")); !os.IsNotExist(err) {
		t.Fatalf("object kept after a failed flush: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(s.dir, "files", "cd", "*")); len(left) != 0 {
		t.Fatalf("files left after a failed flush: %v", left)
	}
}

// crashEnv names the folder a child process writes into before it is
// killed in the middle of an upload.
const crashEnv = "ATRIUM_BLOB_CRASH_DIR"

// A process killed in the middle of an upload leaves no object under the
// key, only a temporary file; the next open of the store removes it once
// it is stale.
func TestCrashMidUpload(t *testing.T) {
	if dir := os.Getenv(crashEnv); dir != "" {
		s, err := OpenDir(dir)
		if err != nil {
			os.Exit(3)
		}
		w, err := s.NewWriter(context.Background(), "files/ab/crashed", "application/pdf")
		if err != nil {
			os.Exit(4)
		}
		w.Write(bytes.Repeat([]byte("y"), 1<<20))
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		time.Sleep(time.Minute)
	}
	root := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashMidUpload$")
	cmd.Env = append(os.Environ(), crashEnv+"="+root)
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child did not die mid-upload: %v", err)
	}
	temps, _ := filepath.Glob(filepath.Join(root, "files", "ab", "crashed.*.tmp"))
	if len(temps) != 1 {
		t.Fatalf("temporary files after the crash: %v", temps)
	}

	s, err := OpenDir(root)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := s.Open(ctx, "files/ab/crashed"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("half-written object readable after a crash: %v", err)
	}
	if keys, err := s.List(ctx, ""); err != nil || len(keys) != 0 {
		t.Fatalf("list after a crash: %v %v", keys, err)
	}
	s.Close()
	// A fresh temporary file may be an upload of another process: kept.
	if _, err := os.Stat(temps[0]); err != nil {
		t.Fatalf("fresh temporary file removed: %v", err)
	}
	old := time.Now().Add(-StaleTemp - time.Minute)
	if err := os.Chtimes(temps[0], old, old); err != nil {
		t.Fatal(err)
	}
	s, err = OpenDir(root)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(temps[0]); !os.IsNotExist(err) {
		t.Fatalf("stale temporary file kept: %v", err)
	}
}

// TestSweepWhileRunning: an interrupted upload's temporary file is removed
// by a running store once it has gone unwritten for StaleTemp, and one
// being written is kept.
func TestSweepWhileRunning(t *testing.T) {
	root := t.TempDir()
	s, err := OpenDir(root)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dir := filepath.Join(root, "files", "cd")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	stale, fresh := filepath.Join(dir, "gone.17a2b3c4d5e6f.tmp"), filepath.Join(dir, "going.17a2b3c4d5e70.tmp")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("part of an upload"), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-StaleTemp - time.Minute)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if err := s.SweepTemp(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the interrupted upload's file was kept: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("an upload in progress lost its file: %v", err)
	}
}
