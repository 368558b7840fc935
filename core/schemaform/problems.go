package schemaform

import (
	"fmt"
	"strings"

	"github.com/atriumhq/atrium/core/room"
)

// Problems picks, from the problems validation found in a room, those about
// the config of the block at index block, keyed by their path inside the
// config ("items[1].url"; "" for the config as a whole), ready for Build.
// Two problems at one path are joined with "; ", as the registry joins a
// block type's own checks.
func Problems(problems []room.Problem, block int) map[string]string {
	prefix := fmt.Sprintf("blocks[%d].config", block)
	out := map[string]string{}
	for _, p := range problems {
		rest, ok := strings.CutPrefix(p.Path, prefix)
		if !ok {
			continue
		}
		switch {
		case rest == "":
		case strings.HasPrefix(rest, "."):
			rest = rest[1:]
		case strings.HasPrefix(rest, "["):
		default:
			continue // blocks[1].configuration, say: not this config
		}
		if old, ok := out[rest]; ok {
			out[rest] = old + "; " + p.Message
		} else {
			out[rest] = p.Message
		}
	}
	return out
}
