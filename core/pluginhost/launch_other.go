//go:build !linux

package pluginhost

import "os/exec"

// lockStarterThread: see launch; only Linux ties a child to a thread.
const lockStarterThread = false

// tieToParent does nothing here: without a parent-death signal, the plugin
// leaves when its connection to the portal closes (the SDK's server stops
// when the portal's connection ends, see sdk.NewGRPCServer).
func tieToParent(*exec.Cmd) {}
