package web

import "testing"

// TestUncompressed: downloads and event streams bypass the compressor;
// pages, assets and the API's documents do not.
func TestUncompressed(t *testing.T) {
	for path, want := range map[string]bool{
		"/files/12/download":                true,
		"/files/12/versions/3/download":     true,
		"/api/v1/files/12/download":         true,
		"/events":                           true,
		"/api/v1/events":                    true,
		"/rooms/overview":                   false,
		"/assets/app.3be08820.css":          false,
		"/api/v1/leads":                     false,
		"/rooms/resources/items/download-x": false,
	} {
		if got := uncompressed(path); got != want {
			t.Errorf("uncompressed(%q) = %v, want %v", path, got, want)
		}
	}
}
