package main

import (
	"github.com/atriumhq/atrium/core/contacts"
	"github.com/atriumhq/atrium/core/host"
)

// registerHostCalls registers the host API calls of the core's capabilities
// with the factory that built-in and external plugins call through.
func registerHostCalls(f *host.Factory, a *app) {
	contacts.New(a.db, a.dir).Register(f)
}
