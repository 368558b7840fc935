package sdk

import "testing"

func TestLinkable(t *testing.T) {
	tests := []struct {
		in           string
		link, orMail bool
	}{
		{"https://acme.example/x", true, true},
		{"/rooms/support", true, true},
		{"/", true, true},
		{"http://acme.example", false, false},
		{"//evil.example/x", false, false},
		{`/\evil.example`, false, false},
		{"https://user:pw@acme.example", false, false},
		{"javascript:alert(1)", false, false},
		{"mailto:support@acme.example", false, true},
		{"mailto:nobody", false, false},
		{"https://", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		if got := Linkable(tt.in); got != tt.link {
			t.Errorf("Linkable(%q) = %v, want %v", tt.in, got, tt.link)
		}
		if got := LinkableOrMail(tt.in); got != tt.orMail {
			t.Errorf("LinkableOrMail(%q) = %v, want %v", tt.in, got, tt.orMail)
		}
	}
}
