package banner

import (
	"reflect"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/sdk/plugintest"
	"github.com/atriumhq/atrium/sdk/ui"
)

func TestRender(t *testing.T) {
	tests := []struct {
		name   string
		config string
		want   ui.Banner
	}{
		{"with link", `{"text":"5.0 launches on 1 December.","tone":"success","linkLabel":"See the training","linkUrl":"/rooms/training"}`,
			ui.Banner{Tone: ui.ToneSuccess, Text: "5.0 launches on 1 December.", LinkLabel: "See the training", LinkURL: "/rooms/training"}},
		{"default tone", `{"text":"Hello"}`, ui.Banner{Tone: ui.ToneInfo, Text: "Hello"}},
		{"danger", `{"text":"Outage","tone":"danger","linkLabel":"Status","linkUrl":"https://status.acme.example"}`,
			ui.Banner{Tone: ui.ToneDanger, Text: "Outage", LinkLabel: "Status", LinkURL: "https://status.acme.example"}},
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
		name, config string
		want         []string
	}{
		{"empty", ``, []string{"text: is required"}},
		{"too long", `{"text":"` + strings.Repeat("é", 281) + `"}`, []string{"text: must be at most 280 characters"}},
		{"tone", `{"text":"x","tone":"loud"}`, []string{"tone: must be info, success, warning or danger"}},
		{"label without link", `{"text":"x","linkLabel":"More"}`, []string{"linkUrl: is required when linkLabel is given"}},
		{"link without label", `{"text":"x","linkUrl":"/rooms/a"}`, []string{"linkLabel: is required when linkUrl is given"}},
		{"script", `{"text":"x","linkLabel":"More","linkUrl":"javascript:alert(1)"}`, []string{`linkUrl: must be an https URL or a path starting with "/"`}},
		{"protocol-relative", `{"text":"x","linkLabel":"More","linkUrl":"//evil.example"}`, []string{"linkUrl: must be"}},
		{"wrong type", `{"text":1}`, []string{"config:"}},
	}
	bt := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plugintest.Refuses(t, bt, tt.config, tt.want...)
		})
	}
}
