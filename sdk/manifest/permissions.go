package manifest

import "slices"

// Permissions are the host API permissions a plugin may ask for, one per
// area of the host API and access (sdk/storage's calls need storage:read or
// storage:write, and so on). The portal's test of its wiring keeps this list
// holding every permission its host calls need, so the checker refuses a
// misspelt permission ("storage:wirte") before a partner's first write does.
var Permissions = []string{
	"compliance:read", "compliance:write",
	"content:read", "content:write",
	"directory:read",
	"engagement:record",
	"messages:read", "messages:write",
	"network:read", "network:write",
	"pipeline:read", "pipeline:write",
	"projects:read", "projects:write",
	"storage:read", "storage:write",
	"tasks:read", "tasks:write",
}

// KnownPermission reports whether p is in [Permissions].
func KnownPermission(p string) bool { return slices.Contains(Permissions, p) }
