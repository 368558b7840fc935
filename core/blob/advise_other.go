//go:build !linux

package blob

import "os"

// adviseSequential has no portable equivalent; the kernel's defaults apply.
func adviseSequential(*os.File) {}
