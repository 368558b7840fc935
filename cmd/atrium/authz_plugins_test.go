package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/pluginpack"
)

func init() { authzResolvers = append(authzResolvers, resolvePlugins) }

// resolvePlugins installs the NPS example into the running portal through
// the API, so the plugin rows have a plugin to look at and switch.
func resolvePlugins(t testing.TB, p *testPortal, vars map[string]string) {
	src := buildNPS(t)
	body, _ := json.Marshal(map[string]string{"path": src})
	req, _ := http.NewRequest("POST", p.URL+"/api/v1/plugins/install", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	res, err := p.client(t, "admin@acme.example").Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("install the example plugin: %d %s", res.StatusCode, b)
	}
	vars["pluginVendor"], vars["pluginName"] = "acme", "nps"
	// A trusted key for the row that removes one.
	_, pub, id, err := pluginpack.GenerateKey("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pluginpack.Trust(pluginsDir(p.g), "Matrix", string(pub)); err != nil {
		t.Fatal(err)
	}
	vars["trustedKeyID"] = id
}
