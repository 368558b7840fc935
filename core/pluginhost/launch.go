package pluginhost

import (
	"runtime"

	goplugin "github.com/hashicorp/go-plugin"
)

// launch starts the plugin's process and connects to it. The process is
// started from a goroutine locked to an OS thread of its own, which stays
// parked until release is closed, once the process is gone: on Linux the
// child's parent-death signal (see tieToParent) fires when the *thread* that
// started it ends, not the portal, and the Go runtime ends a thread whenever
// a goroutine that locked it returns. A plugin started from an ordinary
// goroutine could therefore be killed at any time by some unrelated
// goroutine's exit. The thread is let go, and ended, only after the process.
//
// The caller must close release, whether or not the start succeeded.
func launch(client *goplugin.Client) (goplugin.ClientProtocol, chan struct{}, error) {
	type started struct {
		rpc goplugin.ClientProtocol
		err error
	}
	done := make(chan started, 1)
	release := make(chan struct{})
	go func() {
		if lockStarterThread {
			runtime.LockOSThread() // never unlocked: the thread ends with this goroutine
		}
		rpc, err := client.Client()
		done <- started{rpc, err}
		<-release
	}()
	s := <-done
	return s.rpc, release, s.err
}
