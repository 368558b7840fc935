package i18n_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/i18n"
)

// wordingCalls are the calls whose string arguments are message ids of
// the portal's catalogue: a page's words (tr, T, N), a notification's
// (Say) and a refusal's (fail.Msg, fail.Field, Problems.Add).
var wordingCalls = map[string]bool{"tr": true, "T": true, "N": true, "Say": true, "Msg": true, "Field": true, "Add": true}

// messageID is what a catalogue id looks like: "leads.title".
var messageID = regexp.MustCompile(`^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$`)

// refusalPrefix leads the ids of the services' refusals.
const refusalPrefix = "invalid."

// TestEveryIDInCodeIsInTheCatalogue: a message id written in the portal's
// code that the catalogue lacks shows a reader the id itself, and a
// refusal's id missing from the catalogue loses its English too. Every id
// passed to a wording call, and every refusal's id anywhere, must be in
// English (TestCatalogue holds every language to English); a refusal's id
// no code uses any more is a leftover.
func TestEveryIDInCodeIsInTheCatalogue(t *testing.T) {
	t.Parallel()
	english := i18n.Catalog().IDs("en")
	used := map[string]bool{}
	fset := token.NewFileSet()
	for _, dir := range []string{"../../core", "../../cmd"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					if !wordingCalls[callName(n)] {
						return true
					}
					for _, a := range n.Args {
						if id, ok := stringLit(a); ok && messageID.MatchString(id) {
							used[id] = true
							if _, found := slices.BinarySearch(english, id); !found {
								t.Errorf("%s: %q is not in the catalogue", fset.Position(a.Pos()), id)
							}
						}
					}
				case *ast.BasicLit:
					if id, ok := stringLit(n); ok && strings.HasPrefix(id, refusalPrefix) {
						used[id] = true
						if _, found := slices.BinarySearch(english, id); !found {
							t.Errorf("%s: %q is not in the catalogue", fset.Position(n.Pos()), id)
						}
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range english {
		if strings.HasPrefix(id, refusalPrefix) && !used[id] {
			t.Errorf("%q is in the catalogue, but no code uses it", id)
		}
	}
}

// callName is the name of the function or method a call calls.
func callName(c *ast.CallExpr) string {
	switch f := c.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}
