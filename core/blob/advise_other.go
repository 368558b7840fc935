//go:build !linux

package blob

import "os"

// adviseSequential has no portable equivalent; the kernel's defaults apply.
func adviseSequential(*os.File) {}

// startWriteback has no portable equivalent; Close flushes everything.
func startWriteback(*os.File, int64, int64) {}
