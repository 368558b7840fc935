// Package plugincheck checks a plugin as the portal will judge it, before a
// partner meets the difference: its manifest (plugin.yaml), its executables,
// the handshake, what the executable describes against what the manifest
// provides, every config schema and the configs written against them, a
// render of every block with the portal's own tree limits and address rules,
// its actions and its rooms' staff side.
//
// `atrium plugins check DIR` and `atrium plugins install` run [Check], and
// sdk/plugintest's Conformance runs it in a plugin's own tests. It launches
// the plugin as the portal does ([Launch]), with a stand-in [Host] that keeps
// plugin storage in memory ([MemoryStorage]).
package plugincheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/manifest"
	pluginpb "github.com/atriumhq/atrium/sdk/proto"
	"github.com/atriumhq/atrium/sdk/ui"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// printer words the schema library's messages in English, as the portal's
// registry does.
var printer = message.NewPrinter(language.English)

// Problem is one thing the portal would refuse or break on, at one place: a
// file of the plugin ("plugin.yaml") or one of its types ("block type
// acme/nps").
type Problem struct {
	Where   string
	Message string
}

func (p Problem) String() string { return p.Where + ": " + p.Message }

// Options adjust a check.
type Options struct {
	// Host answers the plugin's host calls while it renders and acts. Nil
	// means a host with the plugin's settings ({}) and storage in memory.
	Host *Host
	// Executable, when set, is the program to run instead of the
	// manifest's one for this platform, and the manifest's executables need
	// not be built yet: a plugin's own tests check a fresh build of its
	// source this way.
	Executable string
	// Timeout bounds the whole check; 0 means one minute.
	Timeout time.Duration
	// Installing accepts a folder without the executables of other
	// platforms than this one: installing drops those platforms from the
	// installed copy. `atrium plugins check` wants them all.
	Installing bool
}

// Check checks the plugin in dir (a folder with plugin.yaml and, unless
// opt.Executable is set, its built executables) and returns every problem
// found, none when the portal will take it.
func Check(ctx context.Context, dir string, opt Options) []Problem {
	c := &checker{opt: opt}
	if c.opt.Timeout == 0 {
		c.opt.Timeout = time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, c.opt.Timeout)
	defer cancel()
	m, ok := c.manifest(dir)
	if !ok {
		return c.problems
	}
	exe := opt.Executable
	if exe == "" {
		plat := runtime.GOOS + "/" + runtime.GOARCH
		e, ok := m.Executables[plat]
		if !ok {
			c.add(manifest.File, "executables: no executable for %s, the platform the checks run on; add it to run the remaining checks", plat)
			return c.problems
		}
		exe = filepath.Join(dir, filepath.FromSlash(e.Path))
		if _, err := os.Stat(exe); err != nil {
			return c.problems // already reported
		}
	}
	c.plugin(ctx, m, exe)
	return c.problems
}

type checker struct {
	opt      Options
	problems []Problem
	schemas  map[string]*jsonschema.Schema // block type -> compiled config schema
	cl       *Client
}

func (c *checker) add(where, format string, args ...any) {
	c.problems = append(c.problems, Problem{Where: where, Message: fmt.Sprintf(format, args...)})
}

// manifest reads and checks plugin.yaml; ok is false when the rest of the
// checks cannot go on without it.
func (c *checker) manifest(dir string) (manifest.Manifest, bool) {
	const file = manifest.File
	b, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		c.add(file, "cannot read it: %v", errors.Unwrap(err))
		return manifest.Manifest{}, false
	}
	m, err := manifest.Decode(b)
	if err != nil {
		c.add(file, "%v", err)
		return m, false
	}
	for _, e := range unjoin(m.ValidateSource()) {
		c.add(file, "%v", e)
	}
	for _, p := range m.Permissions {
		if !manifest.KnownPermission(p) && manifest.WellFormedPermission(p) {
			c.add(file, "permissions: %q is not a permission the portal grants; the known ones are %s", p, strings.Join(manifest.Permissions, ", "))
		}
	}
	if !slices.Contains(m.Protocols, sdk.ProtocolVersion) {
		c.add(file, "protocols: %v does not list %d, the protocol this SDK serves", m.Protocols, sdk.ProtocolVersion)
	}
	if c.opt.Executable == "" {
		for _, plat := range sortedKeys(m.Executables) {
			e := m.Executables[plat]
			if e.Path == "" || filepath.IsAbs(e.Path) || strings.HasPrefix(filepath.Clean(e.Path), "..") {
				continue // ValidateSource said so
			}
			path := filepath.Join(dir, filepath.FromSlash(e.Path))
			sum, err := manifest.FileSHA256(path)
			switch {
			case errors.Is(err, os.ErrNotExist) && c.opt.Installing && plat != runtime.GOOS+"/"+runtime.GOARCH:
				// installing drops the platform
			case errors.Is(err, os.ErrNotExist):
				c.add(file, "executables %s: %s is missing; build it (make) or remove the platform", plat, e.Path)
			case err != nil:
				c.add(file, "executables %s: %v", plat, err)
			case e.SHA256 != "" && e.SHA256 != sum:
				c.add(file, "executables %s: %s has sha256 %s, the manifest says %s", plat, e.Path, sum, e.SHA256)
			}
		}
	}
	return m, m.ID != ""
}

// plugin launches the executable and checks what it says and does.
func (c *checker) plugin(ctx context.Context, m manifest.Manifest, exe string) {
	h := c.opt.Host
	if h == nil {
		h = NewHost()
		MemoryStorage(h)
	}
	cl, err := Launch(exe, h)
	if err != nil {
		c.add(filepath.Base(exe), "the handshake failed: %v", err)
		return
	}
	defer cl.Close()
	c.cl = cl
	d := cl.Description
	if d.PluginId != m.ID {
		c.add(filepath.Base(exe), "the executable says it is plugin %q; plugin.yaml says %q", d.PluginId, m.ID)
	}
	if _, err := cl.RPC.Health(ctx, &pluginpb.HealthRequest{}); err != nil {
		c.add(filepath.Base(exe), "health check: %v", err)
	}
	vendor, _, _ := strings.Cut(m.ID, "/")
	var blocks, rooms []string
	for _, b := range d.Blocks {
		blocks = append(blocks, b.Name)
	}
	for _, r := range d.Rooms {
		rooms = append(rooms, r.Name)
	}
	c.provides("block", blocks, m.Provides.Blocks)
	c.provides("room", rooms, m.Provides.Rooms)
	c.schemas = map[string]*jsonschema.Schema{}
	for _, b := range d.Blocks {
		c.block(ctx, vendor, sdk.BlockInfoFromProto(b))
	}
	for _, r := range d.Rooms {
		c.room(ctx, vendor, r)
	}
	if len(d.Templates) > 0 {
		var templates []sdk.RoomTemplate
		if err := json.Unmarshal(d.Templates, &templates); err != nil {
			c.add("room templates", "they do not decode: %v", err)
		}
		for _, t := range templates {
			c.specs(ctx, "room template "+t.Name, t.Blocks)
		}
	}
}

// provides compares what the executable describes with what the manifest
// says it provides: the portal refuses a plugin whose two lists differ.
func (c *checker) provides(kind string, described, declared []string) {
	for _, n := range described {
		if !slices.Contains(declared, n) {
			c.add(manifest.File, "provides: the executable describes %s type %s, which plugin.yaml does not list under provides.%ss", kind, n, kind)
		}
	}
	for _, n := range declared {
		if !slices.Contains(described, n) {
			c.add(manifest.File, "provides: plugin.yaml lists %s type %s, which the executable does not describe", kind, n)
		}
	}
}

func (c *checker) block(ctx context.Context, vendor string, info sdk.BlockInfo) {
	where := "block type " + info.Name
	if ns, _, ok := strings.Cut(info.Name, "/"); !ok || ns != vendor {
		c.add(where, "the name must start with the plugin's vendor (%s/...)", vendor)
	}
	if info.Title == "" {
		c.add(where, "it has no title; partner managers pick blocks by it")
	}
	if info.SchemaVersion < 1 {
		c.add(where, "SchemaVersion must be 1 or more")
	}
	if len(info.ConfigSchema) > 0 {
		s, err := CompileSchema(info.Name, info.ConfigSchema)
		if err != nil {
			c.add(where, "config schema: %v", err)
		} else {
			c.schemas[info.Name] = s
		}
	}
	config := info.DefaultConfig
	if len(bytes.TrimSpace(config)) == 0 {
		config = json.RawMessage(`{}`)
	}
	if !c.config(ctx, where, "default config", info.Name, config) {
		return
	}
	for _, v := range []sdk.Viewer{Partner(), StaffActingForAll()} {
		trees, errs := c.cl.Render(ctx, v, []*pluginpb.BlockRender{{BlockId: BlockID, Type: info.Name, Config: config}})
		if errs[0] != nil {
			c.add(where, "render with the default config for %s: %v", viewerName(v), errs[0])
			continue
		}
		if err := ui.Check(trees[0]); err != nil {
			c.add(where, "render with the default config for %s: %v", viewerName(v), err)
			continue
		}
		c.actions(ctx, where, v, trees[0], &pluginpb.ActionRequest{BlockId: BlockID, BlockType: info.Name, Config: config})
	}
}

// config checks a config against its block type's schema, and against the
// type's own checks when it has them, as the portal does before storing it.
func (c *checker) config(ctx context.Context, where, what, blockType string, config json.RawMessage) bool {
	if s := c.schemas[blockType]; s != nil {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(config))
		if err != nil {
			c.add(where, "%s is not JSON: %v", what, err)
			return false
		}
		if err := s.Validate(doc); err != nil {
			c.add(where, "%s does not pass the config schema: %s", what, schemaMessage(err))
			return false
		}
	}
	resp, err := c.cl.RPC.ValidateConfig(ctx, &pluginpb.ValidateConfigRequest{Type: blockType, Config: config})
	switch {
	case err != nil:
		c.add(where, "validating the %s: %v", what, callError(err))
		return false
	case resp.Error != "":
		c.add(where, "the block type refuses its own %s: %s", what, resp.Error)
		return false
	}
	return true
}

func (c *checker) room(ctx context.Context, vendor string, r *pluginpb.RoomInfo) {
	where := "room type " + r.Name
	if ns, _, ok := strings.Cut(r.Name, "/"); !ok || ns != vendor {
		c.add(where, "the name must start with the plugin's vendor (%s/...)", vendor)
	}
	if r.Title == "" {
		c.add(where, "it has no title")
	}
	var specs []sdk.BlockSpec
	if len(r.DefaultBlocks) > 0 {
		if err := json.Unmarshal(r.DefaultBlocks, &specs); err != nil {
			c.add(where, "default blocks do not decode: %v", err)
			return
		}
	}
	c.specs(ctx, where, specs)
	if !r.StaffView {
		return
	}
	// The staff side: the room's default blocks for a manager, who acts for
	// the partners they manage.
	room := sdk.RoomRef{Slug: sdk.StaffSlug(r.Name), Title: r.Title, Type: r.Name, Path: "/admin/work/" + sdk.StaffSlug(r.Name)}
	staff := StaffActingFor(Partner().PartnerID())
	var batch []*pluginpb.BlockRender
	for _, s := range specs {
		if c.schemas[s.Type] != nil || strings.HasPrefix(s.Type, vendor+"/") {
			batch = append(batch, &pluginpb.BlockRender{BlockId: s.ID, Type: s.Type, Config: orEmpty(s.Config)})
		}
	}
	if len(batch) == 0 {
		return
	}
	trees, errs := c.cl.RenderIn(ctx, staff, room, batch)
	for i, b := range batch {
		if errs[i] == nil {
			errs[i] = ui.Check(trees[i])
		}
		if errs[i] != nil {
			c.add(where, "staff side, block %q: %v", b.BlockId, errs[i])
		}
	}
}

// specs checks the configs of blocks a room type or template places, for the
// plugin's own block types (the portal checks the others when a room uses
// them).
func (c *checker) specs(ctx context.Context, where string, specs []sdk.BlockSpec) {
	for _, s := range specs {
		if _, own := c.schemas[s.Type]; !own {
			continue
		}
		c.config(ctx, where, fmt.Sprintf("config of block %q", s.ID), s.Type, orEmpty(s.Config))
	}
}

// actions submits every action a rendered tree offers, empty, and expects an
// answer: a message, field errors or a navigation, never a failed call.
func (c *checker) actions(ctx context.Context, where string, v sdk.Viewer, tree ui.Component, base *pluginpb.ActionRequest) {
	seen := map[string]bool{}
	for _, a := range ActionsOf(tree) {
		if seen[a.Name] {
			continue
		}
		seen[a.Name] = true
		req := &pluginpb.ActionRequest{BlockId: base.BlockId, BlockType: base.BlockType, RoomType: base.RoomType,
			Config: base.Config, Name: a.Name, State: a.State}
		if _, err := c.cl.Act(ctx, v, req); err != nil {
			c.add(where, "action %q for %s: %v", a.Name, viewerName(v), err)
		}
	}
}

// ActionsOf lists the actions a tree's forms and buttons name.
func ActionsOf(tree ui.Component) []ui.Action {
	var out []ui.Action
	add := func(a *ui.Action) {
		if a != nil && a.Name != "" {
			out = append(out, *a)
		}
	}
	ui.Walk(tree, func(c ui.Component, _ int) bool {
		switch v := c.(type) {
		case ui.Form:
			add(&v.Action)
		case *ui.Form:
			add(&v.Action)
		case ui.Button:
			add(v.Action)
		case *ui.Button:
			add(v.Action)
		case ui.ActionBar:
			for _, b := range v.Buttons {
				add(b.Action)
			}
		case *ui.ActionBar:
			for _, b := range v.Buttons {
				add(b.Action)
			}
		}
		return true
	})
	return out
}

// CompileSchema compiles a block type's config schema as the portal's
// registry does: JSON Schema draft 2020-12, formats asserted.
func CompileSchema(blockType string, schema json.RawMessage) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	comp := jsonschema.NewCompiler()
	comp.DefaultDraft(jsonschema.Draft2020)
	comp.AssertFormat()
	url := "atrium:///blocks/" + blockType + ".json"
	if err := comp.AddResource(url, doc); err != nil {
		return nil, err
	}
	s, err := comp.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("does not compile: %s", strings.ReplaceAll(err.Error(), url, "the schema"))
	}
	return s, nil
}

// schemaMessage names each place a config fails its schema ("score: must be
// >= 0").
func schemaMessage(err error) string {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err.Error()
	}
	var parts []string
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			at := strings.Join(e.InstanceLocation, ".")
			if at == "" {
				at = "the config"
			}
			parts = append(parts, at+": "+e.ErrorKind.LocalizedString(printer))
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return strings.Join(parts, "; ")
}

func viewerName(v sdk.Viewer) string {
	if v.Staff() {
		return "staff"
	}
	return "a partner"
}

func orEmpty(b json.RawMessage) json.RawMessage {
	if len(bytes.TrimSpace(b)) == 0 {
		return json.RawMessage(`{}`)
	}
	return b
}

func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
