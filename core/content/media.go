package content

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/atriumhq/atrium/core/audience"
	"github.com/atriumhq/atrium/core/catalog"
	"github.com/atriumhq/atrium/core/principal"
	"github.com/atriumhq/atrium/core/room"
)

// MediaBlocks are the block types that show an uploaded file named by the
// "file" field of their config.
var MediaBlocks = []string{"image", "video"}

// placement is one block that shows a media file, in its room.
type placement struct {
	room  *room.Room
	block *room.Block
}

// mediaIndex maps file ids to the blocks that show them, for one catalog
// snapshot: rooms change rarely, downloads often.
type mediaIndex struct {
	mu   sync.Mutex
	snap *catalog.Snapshot
	by   map[int64][]placement
}

func (m *mediaIndex) of(snap *catalog.Snapshot) map[int64][]placement {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.snap == snap {
		return m.by
	}
	by := map[int64][]placement{}
	for _, r := range snap.Rooms {
		for i := range r.Blocks {
			b := &r.Blocks[i]
			if !isMediaBlock(b.Type) {
				continue
			}
			var c struct {
				File int64 `json:"file"`
			}
			if json.Unmarshal(b.Config, &c) == nil && c.File > 0 {
				by[c.File] = append(by[c.File], placement{r, b})
			}
		}
	}
	m.snap, m.by = snap, by
	return by
}

func isMediaBlock(t string) bool {
	for _, m := range MediaBlocks {
		if t == m {
			return true
		}
	}
	return false
}

// Shows reports whether p can see a block that shows media file fileID: an
// image or video block whose audience admits p, in a room that serves p's
// partner type and whose audience admits p. This is the media rule of
// core/files: a picture or video uploaded for blocks reaches exactly the
// people who see it on a page.
func (s *Service) Shows(_ context.Context, p *principal.Principal, fileID int64) bool {
	if s.Rooms == nil || p == nil || p.Partner == nil {
		return false
	}
	snap := s.Rooms()
	v := p.Viewer()
	for _, pl := range s.media.of(snap)[fileID] {
		if pl.room.Serves(p.Partner.Type) && audience.Admits(pl.room.Audience, v, snap.Program) &&
			audience.Admits(pl.block.Audience, v, snap.Program) {
			return true
		}
	}
	return false
}
