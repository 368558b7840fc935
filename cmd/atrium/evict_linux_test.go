package main

import (
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// evict drops path from the page cache (it was flushed, so its pages are
// clean), so the next read comes from the disk.
func evict(tb testing.TB, path string) {
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		tb.Fatalf("evict %s: %v", path, err)
	}
}
