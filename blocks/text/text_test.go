package text

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/plugintest"
	"github.com/atriumhq/atrium/sdk/ui"
)

func TestRender(t *testing.T) {
	tests := []struct {
		name   string
		config string
		want   ui.Component
	}{
		{"markdown only", `{"markdown":"Hello **partners**"}`, ui.Markdown{Source: "Hello **partners**"}},
		{"with title", `{"title":" Welcome ","markdown":"Hello"}`, ui.Stack{Children: ui.Children{
			ui.Heading{Text: "Welcome", Level: 2}, ui.Markdown{Source: "Hello"},
		}}},
		{"blank title", `{"title":"  ","markdown":"Hello"}`, ui.Markdown{Source: "Hello"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := plugintest.Render(t, New(), plugintest.Partner(), tt.config, nil)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestInvalidConfig(t *testing.T) {
	tests := []struct {
		name, config, want string
	}{
		{"empty", ``, "markdown: is required"},
		{"null", `null`, "markdown: is required"},
		{"blank", `{"markdown":" \n "}`, "markdown: is required"},
		{"wrong type", `{"markdown":7}`, "config:"},
	}
	bt := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := bt.(sdk.ConfigValidator).ValidateConfig(context.Background(), json.RawMessage(tt.config))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ValidateConfig = %v, want %q", err, tt.want)
			}
			if _, err := bt.Render(context.Background(), sdk.RenderRequest{Config: json.RawMessage(tt.config)}); err == nil {
				t.Error("Render accepted the config")
			}
		})
	}
}
