package pluginhost

import (
	"os/exec"
	"syscall"
)

// lockStarterThread: see launch.
const lockStarterThread = true

// tieToParent makes Linux kill the plugin when the portal dies, however it
// dies: after a kill -9 of the portal a plugin would otherwise be adopted
// by init and run for ever beside the portal's next start.
func tieToParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
