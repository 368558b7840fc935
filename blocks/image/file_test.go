package image

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
)

// An uploaded picture is shown from the portal's download URL, inline, and
// links to its full size there.
func TestUploadedFile(t *testing.T) {
	c, err := block{}.Render(context.Background(), sdk.RenderRequest{Config: json.RawMessage(`{"file":12,"alt":"Our team"}`)})
	if err != nil {
		t.Fatal(err)
	}
	img := c.(ui.Image)
	if img.URL != "/files/12/download?inline=1" || img.FullURL != img.URL {
		t.Fatalf("%+v", img)
	}
	if err := (block{}).ValidateConfig(context.Background(), json.RawMessage(`{"file":12,"url":"https://x.example/a.png","alt":"x"}`)); err == nil {
		t.Fatal("url and file together accepted")
	}
}
