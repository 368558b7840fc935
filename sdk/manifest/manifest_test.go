package manifest

import (
	"strings"
	"testing"
)

const goodManifest = `id: acme/nps
name: NPS survey
version: 1.2.0
host: ">=0.1.0 <2.0.0"
protocols: [1]
executables:
  linux/amd64: {path: nps, sha256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef}
provides:
  blocks: [acme/nps]
permissions: [storage:read, storage:write]
`

func TestParse(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"good", goodManifest, ""},
		{"bad id", strings.Replace(goodManifest, "acme/nps\nname", "NPS\nname", 1), "id \"NPS\""},
		{"bad version", strings.Replace(goodManifest, "1.2.0", "1.2", 1), "version"},
		{"bad range", strings.Replace(goodManifest, ">=0.1.0", "~>0.1.0", 1), "host"},
		{"no protocols", strings.Replace(goodManifest, "protocols: [1]\n", "", 1), "protocols"},
		{"bad checksum", strings.Replace(goodManifest, "0123456789abcdef0123", "XYZ", 1), "sha256"},
		{"escaping path", strings.Replace(goodManifest, "path: nps", "path: ../../bin/sh", 1), "inside the plugin folder"},
		{"foreign namespace", strings.Replace(goodManifest, "blocks: [acme/nps]", "blocks: [other/nps]", 1), "namespaced"},
		{"bad permission", strings.Replace(goodManifest, "storage:read", "everything", 1), "permissions"},
		{"unknown key", goodManifest + "permisions: [x:y]\n", "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml))
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want mention of %q", err, tt.want)
			}
		})
	}
}

func TestRange(t *testing.T) {
	tests := []struct {
		rng, v string
		want   bool
	}{
		{"", "0.1.0", true},
		{">=0.1.0 <2.0.0", "1.9.9", true},
		{">=0.1.0 <2.0.0", "2.0.0", false},
		{">=0.2.0", "0.1.5", false},
		{"=1.0.0", "1.0.0-rc1", true},
		{"1.0.0", "1.0.1", false},
	}
	for _, tt := range tests {
		r, err := ParseRange(tt.rng)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := ParseVersion(tt.v)
		if got := r.Admits(v); got != tt.want {
			t.Errorf("%q admits %s = %v, want %v", tt.rng, tt.v, got, tt.want)
		}
	}
}
