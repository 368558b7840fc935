package blob

import (
	"os"

	"golang.org/x/sys/unix"
)

// adviseSequential tells the kernel a file will be read from start to end,
// which doubles its read-ahead: sendfile reads the disk in small steps, and
// a cold download otherwise waits on each one.
func adviseSequential(f *os.File) {
	_ = unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_SEQUENTIAL) // only advice
}

// startWriteback asks the kernel to begin writing the given range of f to
// the disk now, without waiting: an upload's bytes then reach the disk while
// the rest arrives, and the flush at the end waits only for the tail.
func startWriteback(f *os.File, off, n int64) {
	_ = unix.SyncFileRange(int(f.Fd()), off, n, unix.SYNC_FILE_RANGE_WRITE) // only a head start; Close flushes
}
