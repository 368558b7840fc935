//go:build !unix

package pluginhost

import "os"

// processAlive reports whether the process pid still runs; finding it is
// the best this platform offers.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	_, err := os.FindProcess(pid)
	return err == nil
}
