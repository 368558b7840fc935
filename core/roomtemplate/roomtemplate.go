// Package roomtemplate holds the built-in room templates: the five room
// patterns a partner program starts with (training, campaigns, support,
// analytics, onboarding), each a real room with sample content. A template
// is a room file like any other, embedded in the binary, so what the room
// builder starts a room from is exactly what `atrium rooms apply` takes.
//
//	t, ok := roomtemplate.Get("training-portal")
//	draft := roomtemplate.Instantiate(t, "enablement", "Enablement", []string{"reseller"})
package roomtemplate

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/roomfile"
	"github.com/atriumhq/atrium/sdk"
)

//go:embed templates/*.yaml
var files embed.FS

// Template is a built-in room template.
type Template struct {
	// Name identifies the template: its file's name ("training-portal").
	Name string `json:"name"`
	// Title and Icon are the room's; Description says what the room is
	// for, for the builder's "new room" choice.
	Title       string `json:"title"`
	Description string `json:"description"`
	Icon        string `json:"icon,omitempty"`
	// Room is the template's room document, as its file gives it.
	Room room.Room `json:"room"`
	// Source is the room file itself, YAML.
	Source []byte `json:"-"`
}

// descriptions say what each template is for; the room file has no place
// for it (a room has none), so it lives here, by template name, in the
// order the builder offers them.
var descriptions = []struct{ name, text string }{
	{"onboarding", "A new partner's first thirty days: a welcome, their partner team, the program overview and a shared checklist."},
	{"training-portal", "Certification in order: courses on video, a checklist per person, quarterly goals and the library's training material."},
	{"campaign-center", "Campaigns partners can run: how it works, the key visual, the kits and sales plays from the library, and their pipeline."},
	{"support-hub", "Answers first: a FAQ, who to ask, a ticket form, the technical guides and a walkthrough video."},
	{"analytics-dashboard", "A partner's performance: pipeline figures, quarterly targets, a shared report and how the figures are counted."},
}

// load parses the embedded templates once. They are tested to parse and
// validate, so a failure here is a broken build.
var load = sync.OnceValues(func() ([]Template, error) {
	var out []Template
	for _, d := range descriptions {
		file := "templates/" + d.name + ".yaml"
		src, err := fs.ReadFile(files, file)
		if err != nil {
			return nil, fmt.Errorf("room template %s: %w", d.name, err)
		}
		docs, err := roomfile.Parse(file, src)
		if err != nil {
			return nil, fmt.Errorf("room template %s: %w", d.name, err)
		}
		if len(docs) != 1 || docs[0].Room == nil {
			return nil, fmt.Errorf("room template %s: want one Room document", d.name)
		}
		r := *docs[0].Room
		out = append(out, Template{Name: d.name, Title: r.Title, Description: d.text, Icon: r.Icon, Room: r, Source: src})
	}
	names, _ := fs.Glob(files, "templates/*.yaml")
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".yaml")
		if !slices.ContainsFunc(out, func(t Template) bool { return t.Name == name }) {
			return nil, fmt.Errorf("room template %s has no description", name)
		}
	}
	return out, nil
})

func must() []Template {
	ts, err := load()
	if err != nil {
		panic(err)
	}
	return ts
}

// List returns the built-in templates, in the order the builder offers
// them. Each call returns copies the caller may change.
func List() []Template {
	ts := must()
	out := make([]Template, len(ts))
	for i, t := range ts {
		out[i] = clone(t)
	}
	return out
}

// Get returns the template of that name.
func Get(name string) (Template, bool) {
	for _, t := range must() {
		if t.Name == name {
			return clone(t), true
		}
	}
	return Template{}, false
}

// Instantiate returns a new room made from t: the template's icon, position
// and blocks (configs copied), with the given slug, title and partner
// types, and no audience, ready to be saved as a draft. An empty title
// keeps the template's. The room is validated when it is saved, like any
// other.
func Instantiate(t Template, slug, title string, partnerTypes []string) room.Room {
	r := clone(t).Room
	r.Name = ""
	r.Slug = slug
	if title != "" {
		r.Title = title
	}
	r.PartnerTypes = slices.Clone(partnerTypes)
	r.Audience = sdk.Audience{}
	return r
}

// clone copies a template so that changing the copy's room (its lists,
// audiences, block configs) never changes the embedded original. A room is
// plain data: its JSON is a deep copy.
func clone(t Template) Template {
	t.Source = slices.Clone(t.Source)
	b, err := json.Marshal(t.Room)
	if err == nil {
		var r room.Room
		if err = json.Unmarshal(b, &r); err == nil {
			t.Room = r
			return t
		}
	}
	panic(fmt.Sprintf("room template %s: copy: %v", t.Name, err))
}
