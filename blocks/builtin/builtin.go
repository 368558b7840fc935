// Package builtin bundles the block types that ship with Atrium into one
// plugin, so the binary registers them with one call, through the same
// interfaces an external plugin uses:
//
//	registry.Register(builtin.Plugin())
package builtin

import (
	"github.com/atriumhq/atrium/blocks/actionbar"
	"github.com/atriumhq/atrium/blocks/analytics"
	"github.com/atriumhq/atrium/blocks/banner"
	"github.com/atriumhq/atrium/blocks/documents"
	"github.com/atriumhq/atrium/blocks/embed"
	"github.com/atriumhq/atrium/blocks/goals"
	"github.com/atriumhq/atrium/blocks/image"
	"github.com/atriumhq/atrium/blocks/introduction"
	"github.com/atriumhq/atrium/blocks/link"
	"github.com/atriumhq/atrium/blocks/tasks"
	"github.com/atriumhq/atrium/blocks/text"
	"github.com/atriumhq/atrium/blocks/video"
	"github.com/atriumhq/atrium/sdk"
)

// ID names the plugin in the registry and in error messages.
const ID = "atrium/blocks"

// Plugin returns the built-in block types.
func Plugin() sdk.Plugin {
	return sdk.Plugin{
		ID: ID,
		Blocks: []sdk.BlockType{
			text.New(),
			image.New(),
			video.New(),
			embed.New(),
			actionbar.New(),
			introduction.New(),
			link.New(),
			banner.New(),
			documents.New(),
			tasks.New(),
			analytics.New(),
			goals.New(),
		},
	}
}
