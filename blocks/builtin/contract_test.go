package builtin_test

import (
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/atriumhq/atrium"

// TestBuiltinsUseOnlyTheSDK enforces the rule that proves the SDK: packages
// under blocks/ and plugins/ reach the portal through sdk/ and never import
// core/ (a bundle such as blocks/builtin may import its sibling blocks), so a
// built-in has no power a third-party plugin lacks.
func TestBuiltinsUseOnlyTheSDK(t *testing.T) {
	checked := 0
	for _, top := range []string{"blocks", "plugins"} {
		pkgs := packages(t, filepath.Join("..", "..", top))
		checked += len(pkgs)
		for _, v := range violations(pkgs) {
			t.Error(v)
		}
	}
	if checked == 0 {
		t.Fatal("found no packages under blocks/ or plugins/; the rule checks nothing")
	}
}

// The check itself must catch a built-in that reaches into core, including
// from its tests.
func TestRuleCatchesCoreImports(t *testing.T) {
	root := t.TempDir()
	write := func(name, src string) {
		path := filepath.Join(root, name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("good/good.go", "package good\nimport _ \""+module+"/sdk/ui\"\n")
	write("bad/bad.go", "package bad\nimport _ \""+module+"/core/store\"\n")
	write("sneaky/sneaky.go", "package sneaky\n")
	write("sneaky/sneaky_test.go", "package sneaky\nimport _ \""+module+"/core/room\"\n")
	got := violations(packages(t, root))
	if len(got) != 2 || !strings.Contains(strings.Join(got, "\n"), "core/store") || !strings.Contains(strings.Join(got, "\n"), "core/room") {
		t.Errorf("violations = %q, want the two core imports", got)
	}
}

func violations(pkgs map[string][]string) []string {
	var out []string
	for dir, imports := range pkgs {
		for _, imp := range imports {
			for _, forbidden := range []string{module + "/core", module + "/cmd"} {
				if imp == forbidden || strings.HasPrefix(imp, forbidden+"/") {
					out = append(out, dir+" imports "+imp+": blocks/ and plugins/ may use sdk/, never core/")
				}
			}
		}
	}
	return out
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
