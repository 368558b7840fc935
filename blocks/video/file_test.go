package video

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
)

// An uploaded video plays from the portal's download URL, which answers
// Range requests so the player can seek.
func TestUploadedFile(t *testing.T) {
	c, err := block{}.Render(context.Background(), sdk.RenderRequest{Config: json.RawMessage(`{"file":7,"title":"Demo"}`)})
	if err != nil {
		t.Fatal(err)
	}
	v := c.(ui.Video)
	if v.FileURL != "/files/7/download?inline=1" || v.Provider != File {
		t.Fatalf("%+v", v)
	}
}
