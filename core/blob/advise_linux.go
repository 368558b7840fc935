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
