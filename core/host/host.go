// Package host implements the SDK's host API for block and room types that
// run in-process. Every call acts as the viewer the Host was made for, so a
// block can never read more than that viewer may. External plugins reach the
// same calls over gRPC.
package host

import (
	"context"

	"github.com/atriumhq/atrium/core/catalog"
	"github.com/atriumhq/atrium/sdk"
)

// Factory makes a Host per viewer.
type Factory struct {
	catalog *catalog.Catalog
}

// New returns a Factory.
func New(c *catalog.Catalog) *Factory { return &Factory{catalog: c} }

// For returns the host API acting as v.
func (f *Factory) For(v sdk.Viewer) sdk.Host { return &viewerHost{f: f, v: v} }

type viewerHost struct {
	f *Factory
	v sdk.Viewer
}

// Program returns the program's vocabulary, from the in-memory catalog.
func (h *viewerHost) Program(context.Context) (sdk.Program, error) {
	return h.f.catalog.Current().Program.SDK(), nil
}
