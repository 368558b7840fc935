package scaffold

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	root := t.TempDir()
	sdkDir := filepath.Join(root, "atrium", "sdk")
	os.MkdirAll(sdkDir, 0o755)
	os.WriteFile(filepath.Join(sdkDir, "go.mod"), []byte("module github.com/atriumhq/atrium/sdk\n"), 0o644)
	tests := []struct {
		name    string
		opt     Options
		dir     string
		want    map[string]string // file -> text it must hold
		wantErr string
	}{
		{name: "block only", opt: Options{ID: "acme/quiz", SDK: sdkDir}, dir: "work/quiz",
			want: map[string]string{
				"go.mod":      "replace github.com/atriumhq/atrium/sdk => ../../atrium/sdk",
				"plugin.yaml": "provides:\n  blocks: [acme/quiz]\n# The block",
				"main.go":     `ID:     "acme/quiz"`,
				"Makefile":    "PLATFORMS := linux-amd64 linux-arm64 darwin-arm64",
			}},
		{name: "staff side implies the room", opt: Options{ID: "acme/deal-desk", Staff: true, Platforms: []string{"linux/amd64"}}, dir: "desk",
			want: map[string]string{
				"room.go":     "StaffView:          true",
				"plugin.yaml": "rooms: [acme/deal-desk-room]",
				"go.mod":      "//   go mod edit -replace",
				"README.md":   "/admin/work/acme.deal-desk-room",
			}},
		{name: "bad id", opt: Options{ID: "Acme"}, dir: "x", wantErr: "vendor/name"},
		{name: "bad platform", opt: Options{ID: "acme/x", Platforms: []string{"linux"}}, dir: "y", wantErr: "goos/goarch"},
		{name: "not the SDK", opt: Options{ID: "acme/x", SDK: root}, dir: "z", wantErr: "not the SDK's folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(root, tt.dir)
			_, err := Write(dir, tt.opt)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for file, want := range tt.want {
				b, _ := os.ReadFile(filepath.Join(dir, file))
				if !strings.Contains(string(b), want) {
					t.Errorf("%s lacks %q:\n%s", file, want, b)
				}
			}
			if _, err := Write(dir, tt.opt); !errors.Is(err, ErrExists) {
				t.Errorf("writing again: %v, want ErrExists", err)
			}
		})
	}
}
