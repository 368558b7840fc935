package link

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
		want   ui.Component
	}{
		{"titled", `{"title":"Further reading","links":[
			{"title":"Handbook","url":"https://learn.acme.example/handbook","description":"Exam format."},
			{"title":"Email us","url":"mailto:enablement@acme.example"},
			{"title":"Your leads","url":"/rooms/leads"}]}`,
			ui.Stack{Children: ui.Children{
				ui.Heading{Text: "Further reading", Level: 2},
				ui.List{Items: []ui.ListItem{
					{Title: "Handbook", Description: "Exam format.", Href: "https://learn.acme.example/handbook", External: true},
					{Title: "Email us", Href: "mailto:enablement@acme.example"},
					{Title: "Your leads", Href: "/rooms/leads"},
				}},
			}}},
		{"untitled", `{"links":[{"title":"Home","url":"/"}]}`, ui.List{Items: []ui.ListItem{{Title: "Home", Href: "/"}}}},
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
		{"empty", ``, []string{"links: add at least one link"}},
		{"too many", `{"links":[` + strings.Repeat(`{"title":"A","url":"/"},`, 50) + `{"title":"A","url":"/"}]}`, []string{"links: at most 50 links"}},
		{"no title", `{"links":[{"url":"/"}]}`, []string{"links[0].title: is required"}},
		{"no url", `{"links":[{"title":"A","url":"/"},{"title":"B"}]}`, []string{"links[1].url: is required"}},
		{"http", `{"links":[{"title":"A","url":"http://acme.example"}]}`, []string{`links[0].url: must be an https URL, a mailto: address or a path starting with "/"`}},
		{"script", `{"links":[{"title":"A","url":"javascript:alert(1)"}]}`, []string{"links[0].url: must be"}},
		{"vbscript", `{"links":[{"title":"A","url":"vbscript:msgbox"}]}`, []string{"links[0].url: must be"}},
		{"protocol-relative", `{"links":[{"title":"A","url":"//evil.example"}]}`, []string{"links[0].url: must be"}},
		{"backslash", `{"links":[{"title":"A","url":"/\\evil.example"}]}`, []string{"links[0].url: must be"}},
		{"empty mailto", `{"links":[{"title":"A","url":"mailto:"}]}`, []string{"links[0].url: must be"}},
		{"wrong type", `{"links":"/"}`, []string{"config:"}},
	}
	bt := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plugintest.Refuses(t, bt, tt.config, tt.want...)
		})
	}
}
