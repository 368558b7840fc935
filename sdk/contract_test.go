package sdk_test

import (
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/atriumhq/atrium"

// TestSDKDependsOnlyOnItsContract keeps the SDK small: the standard library,
// its own packages, go-plugin and gRPC/protobuf, and nothing of the portal.
// The manifest reader and the plugin checker also read YAML and JSON Schema,
// with the very libraries the portal reads them with, so that both judge a
// plugin alike; a plugin that imports neither package never links them.
func TestSDKDependsOnlyOnItsContract(t *testing.T) {
	allowed := []string{module + "/sdk", "github.com/hashicorp/go-plugin", "github.com/hashicorp/go-hclog",
		"google.golang.org/grpc", "google.golang.org/protobuf"}
	checker := []string{"go.yaml.in/yaml/v3", "github.com/santhosh-tekuri/jsonschema/v6", "golang.org/x/text"}
	for dir, imports := range packages(t, ".") {
		if strings.Contains(dir, string(filepath.Separator)+"examples") {
			continue // examples are plugins of their own, in their own modules
		}
		ok := allowed
		if slices.Contains([]string{"manifest", "plugincheck", "plugintest"}, filepath.Base(dir)) {
			ok = slices.Concat(allowed, checker)
		}
		if filepath.Base(dir) == "i18n" {
			ok = slices.Concat(allowed, []string{"github.com/nicksnyder/go-i18n/v2", "golang.org/x/text"})
		}
	next:
		for _, imp := range imports {
			if !strings.Contains(strings.Split(imp, "/")[0], ".") {
				continue // standard library
			}
			if strings.HasPrefix(imp, module+"/") && !strings.HasPrefix(imp, module+"/sdk") {
				t.Errorf("%s imports %s: the SDK depends on nothing of the portal", dir, imp)
				continue
			}
			for _, a := range ok {
				if imp == a || strings.HasPrefix(imp, a+"/") {
					continue next
				}
			}
			t.Errorf("%s imports %s, which the SDK must not depend on", dir, imp)
		}
	}
}

// packages maps every Go package folder under root to its imports, including
// those of its tests.
func packages(t *testing.T, root string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	if _, err := os.Stat(root); os.IsNotExist(err) {
		return out
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if name := d.Name(); path != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			return filepath.SkipDir
		}
		if path != root {
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir // a module of its own
			}
		}
		pkg, err := build.ImportDir(path, build.ImportComment)
		if err != nil {
			if _, ok := err.(*build.NoGoError); ok {
				return nil
			}
			return err
		}
		out[path] = append(append(append([]string{}, pkg.Imports...), pkg.TestImports...), pkg.XTestImports...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
