package sdk

import "testing"

func TestEmbedAllowed(t *testing.T) {
	p := Program{EmbedHosts: []string{"www.figma.com", "*.typeform.com"}}
	tests := []struct {
		url  string
		want bool
	}{
		{"https://www.figma.com/embed?x=1", true},
		{"https://WWW.FIGMA.COM/embed", true},
		{"http://www.figma.com/embed", false},
		{"https://figma.com/embed", false},
		{"https://acme.typeform.com/to/abc", true},
		{"https://typeform.com/to/abc", false},
		{"https://www.figma.com.evil.example/", false},
		{"https://evil.example/?https://www.figma.com", false},
		{"https://user@www.figma.com/", false},
		{"javascript:alert(1)", false},
		{"//www.figma.com/x", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := p.EmbedAllowed(tt.url); got != tt.want {
			t.Errorf("EmbedAllowed(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
}
