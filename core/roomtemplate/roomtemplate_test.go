package roomtemplate_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/blocks/builtin"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/roomfile"
	"github.com/atriumhq/atrium/core/roomtemplate"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/themes"
)

// The five room patterns, each with the block types it promises.
var patterns = map[string][]string{
	"training-portal":     {"text", "video", "tasks", "goals", "documents"},
	"campaign-center":     {"text", "image", "documents", "action-bar", "analytics"},
	"support-hub":         {"text", "documents", "embed", "video", "introduction"},
	"analytics-dashboard": {"analytics", "embed", "goals", "text"},
	"onboarding":          {"text", "introduction", "tasks", "video", "action-bar"},
}

func TestList(t *testing.T) {
	ts := roomtemplate.List()
	if len(ts) != len(patterns) {
		t.Fatalf("%d templates, want %d", len(ts), len(patterns))
	}
	for _, tm := range ts {
		want, ok := patterns[tm.Name]
		if !ok {
			t.Errorf("unexpected template %q", tm.Name)
			continue
		}
		if tm.Title == "" || tm.Description == "" || tm.Icon == "" || len(tm.Source) == 0 {
			t.Errorf("%s: title %q, description %q, icon %q", tm.Name, tm.Title, tm.Description, tm.Icon)
		}
		var types []string
		for _, b := range tm.Room.Blocks {
			types = append(types, b.Type)
			if strings.Contains(strings.ToLower(string(b.Config)), "lorem") {
				t.Errorf("%s: block %q has placeholder text", tm.Name, b.ID)
			}
		}
		for _, typ := range want {
			if !slices.Contains(types, typ) {
				t.Errorf("%s has no %s block (has %v)", tm.Name, typ, types)
			}
		}
		got, ok := roomtemplate.Get(tm.Name)
		if !ok || got.Title != tm.Title {
			t.Errorf("Get(%q) = %v, %v", tm.Name, got.Title, ok)
		}
	}
	if _, ok := roomtemplate.Get("nope"); ok {
		t.Error("Get found a template that does not exist")
	}
}

// A picture a template shows from the portal itself ships in the default
// theme, so a fresh portal draws it.
func TestPortalPicturesExist(t *testing.T) {
	n := 0
	for _, tm := range roomtemplate.List() {
		for _, b := range tm.Room.Blocks {
			var c struct{ URL string }
			if b.Type != "image" || json.Unmarshal(b.Config, &c) != nil || !strings.HasPrefix(c.URL, "/assets/") {
				continue
			}
			n++
			if _, err := fs.Stat(themes.Default, "default"+c.URL); err != nil {
				t.Errorf("%s: block %q shows %s, which the default theme lacks", tm.Name, b.ID, c.URL)
			}
		}
	}
	if n == 0 {
		t.Error("no template shows a picture of the theme; the test checks nothing")
	}
}

func TestInstantiate(t *testing.T) {
	tm, _ := roomtemplate.Get("onboarding")
	r := roomtemplate.Instantiate(tm, "welcome-resellers", "Welcome, resellers", []string{"reseller", "distributor"})
	if r.Slug != "welcome-resellers" || r.Title != "Welcome, resellers" || r.Key() != "welcome-resellers" ||
		strings.Join(r.PartnerTypes, ",") != "reseller,distributor" || r.Icon != tm.Icon || len(r.Blocks) != len(tm.Room.Blocks) {
		t.Fatalf("instantiated %+v", r)
	}
	if r := roomtemplate.Instantiate(tm, "x", "", nil); r.Title != tm.Title {
		t.Errorf("an empty title gave %q", r.Title)
	}
	// The copy is the caller's: changing it leaves the template alone.
	r.Blocks[0].Config[2] = 'X'
	r.Blocks = r.Blocks[:1]
	again, _ := roomtemplate.Get("onboarding")
	if len(again.Room.Blocks) != len(tm.Room.Blocks) || string(again.Room.Blocks[0].Config) != string(tm.Room.Blocks[0].Config) {
		t.Error("changing an instantiated room changed the template")
	}
}

// Every template passes the real validation — the room service's apply,
// dry run, with the built-in block types against the demo program — as
// the file it is and as a room made from it. The test fails the moment a
// block type's schema or a template drifts.
func TestTemplatesValidate(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	reg := registry.New()
	if err := reg.Register(builtin.Plugin()); err != nil {
		t.Fatal(err)
	}
	svc := room.NewService(db, reg)
	progDocs, err := roomfile.Load("../demo/rooms/program.yaml")
	if err != nil || len(progDocs) != 1 || progDocs[0].Program == nil {
		t.Fatalf("demo program: %v", err)
	}
	prog := progDocs[0].Program
	dry := room.ApplyOptions{DryRun: true, Program: prog}

	var made []room.Room
	for _, tm := range roomtemplate.List() {
		docs, err := roomfile.Parse("templates/"+tm.Name+".yaml", tm.Source)
		if err != nil {
			t.Fatalf("%s does not parse: %v", tm.Name, err)
		}
		docs = append(docs, progDocs...)
		if _, err := roomfile.Apply(ctx, svc, docs, dry); err != nil {
			t.Errorf("%s does not validate:\n%v", tm.Name, err)
		}
		r := roomtemplate.Instantiate(tm, tm.Room.Slug, "", prog.PartnerTypes)
		if _, err := svc.Apply(ctx, []room.Room{r}, dry); err != nil {
			t.Errorf("a room made from %s does not validate:\n%v", tm.Name, err)
		}
		made = append(made, r)
	}
	// All five fit in one portal, and saving them for real works.
	res, err := svc.Apply(ctx, made, room.ApplyOptions{Program: prog})
	if err != nil {
		t.Fatalf("apply all: %v", err)
	}
	if len(res.Created) != len(made) {
		t.Errorf("created %v", res.Created)
	}
}
