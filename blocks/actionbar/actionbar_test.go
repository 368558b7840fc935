package actionbar

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
)

func TestRender(t *testing.T) {
	config := `{"buttons":[
		{"label":"Start Fundamentals","url":"https://learn.acme.example/fundamentals","variant":"primary","icon":"graduation-cap"},
		{"label":"Email support","url":"mailto:support@acme.example","variant":"secondary"},
		{"label":"Your leads","url":"/rooms/leads#new"},
		{"label":"Ask support","room":"support","variant":"link"},
		{"label":"Request a call","action":"request-call"}
	]}`
	want := ui.ActionBar{Buttons: []ui.Button{
		{Label: "Start Fundamentals", Href: "https://learn.acme.example/fundamentals", Variant: "primary", Icon: "graduation-cap", External: true},
		{Label: "Email support", Href: "mailto:support@acme.example", Variant: "secondary"},
		{Label: "Your leads", Href: "/rooms/leads#new"},
		{Label: "Ask support", Href: "/rooms/support", Variant: "link"},
		{Label: "Request a call", Action: &ui.Action{Name: "request-call"}},
	}}
	got, err := New().Render(context.Background(), sdk.RenderRequest{Config: json.RawMessage(config)})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v\nwant %#v", got, want)
	}
}

func TestInvalidConfig(t *testing.T) {
	tests := []struct {
		name, config string
		want         []string
	}{
		{"empty", ``, []string{"buttons: add at least one button"}},
		{"no buttons", `{"buttons":[]}`, []string{"buttons: add at least one button"}},
		{"no label", `{"buttons":[{"room":"support"}]}`, []string{"buttons[0].label: is required"}},
		{"no target", `{"buttons":[{"label":"Go"}]}`, []string{"buttons[0]: needs one of room, url or action"}},
		{"two targets", `{"buttons":[{"label":"Go","url":"/x"},{"label":"Go","room":"support","url":"/x"}]}`,
			[]string{"buttons[1]: has room and url; keep exactly one of room, url or action"}},
		{"three targets", `{"buttons":[{"label":"Go","room":"a","url":"/x","action":"b"}]}`, []string{"has room, url and action;"}},
		{"http", `{"buttons":[{"label":"Go","url":"http://acme.example"}]}`, []string{`buttons[0].url: must be an https URL, a mailto: address or a path starting with "/"`}},
		{"script", `{"buttons":[{"label":"Go","url":"javascript:alert(1)"}]}`, []string{"buttons[0].url: must be"}},
		{"protocol-relative", `{"buttons":[{"label":"Go","url":"//evil.example"}]}`, []string{"buttons[0].url: must be"}},
		{"credentials", `{"buttons":[{"label":"Go","url":"https://acme.example@evil.example/"}]}`, []string{"buttons[0].url: must be"}},
		{"room path", `{"buttons":[{"label":"Go","room":"../admin"}]}`, []string{"buttons[0].room: must be a room slug"}},
		{"action name", `{"buttons":[{"label":"Go","action":"Do It"}]}`, []string{"buttons[0].action: must be an action name"}},
		{"variant", `{"buttons":[{"label":"Go","room":"a","variant":"danger"}]}`, []string{"buttons[0].variant: must be primary, secondary or link"}},
		{"icon", `{"buttons":[{"label":"Go","room":"a","icon":"<svg>"}]}`, []string{"buttons[0].icon: must be an icon name"}},
		{"wrong type", `{"buttons":{"label":"Go"}}`, []string{"config:"}},
	}
	bt := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := bt.(sdk.ConfigValidator).ValidateConfig(context.Background(), json.RawMessage(tt.config))
			if err == nil {
				t.Fatal("ValidateConfig accepted the config")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("ValidateConfig = %q, want it to mention %q", err, w)
				}
			}
			if _, err := bt.Render(context.Background(), sdk.RenderRequest{Config: json.RawMessage(tt.config)}); err == nil {
				t.Error("Render accepted the config")
			}
		})
	}
}
