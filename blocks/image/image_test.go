package image

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
	tests := []struct {
		name   string
		config string
		want   ui.Image
	}{
		{"described", `{"url":"/demo/architecture.svg","alt":"The gateway","caption":"Labs","link":"/demo/architecture.svg"}`,
			ui.Image{URL: "/demo/architecture.svg", Alt: "The gateway", Caption: "Labs", FullURL: "/demo/architecture.svg"}},
		{"external", `{"url":"https://cdn.acme.example/team.jpg","alt":"The partner team"}`,
			ui.Image{URL: "https://cdn.acme.example/team.jpg", Alt: "The partner team"}},
		{"decorative", `{"url":"/assets/divider.png","decorative":true}`, ui.Image{URL: "/assets/divider.png"}},
		{"decorative with empty alt", `{"url":"/assets/divider.png","alt":"","decorative":true}`, ui.Image{URL: "/assets/divider.png"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := New().Render(context.Background(), sdk.RenderRequest{Config: json.RawMessage(tt.config)})
			if err != nil {
				t.Fatal(err)
			}
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
		{"empty", ``, []string{"url: is required", "alt: is required"}},
		{"no alt", `{"url":"/a.png"}`, []string{"alt: is required: describe the picture"}},
		{"blank alt", `{"url":"/a.png","alt":"  "}`, []string{"alt: is required"}},
		{"alt on a decorative picture", `{"url":"/a.png","alt":"x","decorative":true}`, []string{"alt: must be empty when decorative is true"}},
		{"http", `{"url":"http://acme.example/a.png","alt":"x"}`, []string{`url: must be an https URL or a path starting with "/"`}},
		{"script", `{"url":"javascript:alert(1)","alt":"x"}`, []string{"url: must be"}},
		{"data", `{"url":"data:image/png;base64,AAAA","alt":"x"}`, []string{"url: must be"}},
		{"protocol-relative", `{"url":"//evil.example/a.png","alt":"x"}`, []string{"url: must be"}},
		{"backslash", `{"url":"/\\evil.example/a.png","alt":"x"}`, []string{"url: must be"}},
		{"credentials", `{"url":"https://acme.example@evil.example/a.png","alt":"x"}`, []string{"url: must be"}},
		{"link", `{"url":"/a.png","alt":"x","link":"javascript:alert(1)"}`, []string{`link: must be an https URL`}},
		{"wrong type", `{"url":"/a.png","decorative":"yes"}`, []string{"config:"}},
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
