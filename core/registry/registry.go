// Package registry knows every block type and room type the portal can use,
// built-in or from a plugin. It compiles each block type's config schema once
// and validates (and migrates) block configs against it, so a room can only
// hold configs its block types accept.
package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	lru "github.com/hashicorp/golang-lru/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/atriumhq/atrium/core/blocktext"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/sdk"
	sdki18n "github.com/atriumhq/atrium/sdk/i18n"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Block is a registered block type.
type Block struct {
	Type   sdk.BlockType
	Info   sdk.BlockInfo
	Plugin string // id of the plugin that provides it
	schema *jsonschema.Schema
	// translatable are the config's fields whose text may be given by
	// language (the schema's x-atrium-translatable).
	translatable []string
	// serial numbers the registration, for the configs it accepted.
	serial uint64
}

// Room is a registered room type.
type Room struct {
	Type   sdk.RoomType
	Info   sdk.RoomInfo
	Plugin string
}

// Registry holds block and room types. It is safe for concurrent use: plugins
// come and go while pages render.
type Registry struct {
	mu        sync.RWMutex
	blocks    map[string]*Block
	rooms     map[string]*Room
	templates map[string][]Template // by plugin
	// accepted remembers configs that passed PrepareConfig, with their
	// canonical form: saving a room re-checks every block, and in a room
	// of a hundred blocks one changed; the others need no second schema
	// walk. Keys name the block type's registration, so a plugin that
	// registers again (a new schema) starts afresh.
	accepted *lru.Cache[string, json.RawMessage]
	serials  atomic.Uint64
}

// Template is a room template a plugin offers, named "plugin-id/name"
// ("acme/nps/mdf-campaign" from plugin acme/nps).
type Template struct {
	sdk.RoomTemplate
	Plugin string
}

// templateNameRE accepts a plugin template's own name ("mdf-campaign").
var templateNameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)

// New returns an empty registry.
func New() *Registry {
	accepted, _ := lru.New[string, json.RawMessage](8192)
	return &Registry{blocks: map[string]*Block{}, rooms: map[string]*Room{}, templates: map[string][]Template{}, accepted: accepted}
}

// nameRE accepts "text", "action-bar" and namespaced "acme/quiz".
var nameRE = regexp.MustCompile(`^([a-z][a-z0-9-]{0,39}/)?[a-z][a-z0-9-]{0,39}$`)

// Register adds every block and room type of a plugin. It adds nothing if any
// of them is invalid or its name is taken.
func (r *Registry) Register(p sdk.Plugin) error {
	var blocks []*Block
	var rooms []*Room
	for _, bt := range p.Blocks {
		b, err := compile(bt, p.ID)
		if err != nil {
			return fmt.Errorf("plugin %s: %w", p.ID, err)
		}
		blocks = append(blocks, b)
	}
	for _, rt := range p.Rooms {
		info := rt.Describe()
		if !nameRE.MatchString(info.Name) {
			return fmt.Errorf("plugin %s: room type name %q must be lowercase words, optionally namespaced (acme/mdf)", p.ID, info.Name)
		}
		rooms = append(rooms, &Room{Type: rt, Info: info, Plugin: p.ID})
	}
	var templates []Template
	seen := map[string]bool{}
	for _, t := range p.Templates {
		switch {
		case !templateNameRE.MatchString(t.Name):
			return fmt.Errorf("plugin %s: room template name %q must be lowercase words joined by hyphens", p.ID, t.Name)
		case seen[t.Name]:
			return fmt.Errorf("plugin %s: room template %q is offered twice", p.ID, t.Name)
		case t.Title == "":
			return fmt.Errorf("plugin %s: room template %q has no title", p.ID, t.Name)
		}
		seen[t.Name] = true
		templates = append(templates, Template{RoomTemplate: t, Plugin: p.ID})
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range blocks {
		if old, ok := r.blocks[b.Info.Name]; ok {
			return fmt.Errorf("plugin %s: block type %q is already provided by %s", p.ID, b.Info.Name, old.Plugin)
		}
	}
	for _, rm := range rooms {
		if old, ok := r.rooms[rm.Info.Name]; ok {
			return fmt.Errorf("plugin %s: room type %q is already provided by %s", p.ID, rm.Info.Name, old.Plugin)
		}
	}
	for _, b := range blocks {
		b.serial = r.serials.Add(1)
		r.blocks[b.Info.Name] = b
	}
	for _, rm := range rooms {
		r.rooms[rm.Info.Name] = rm
	}
	if len(templates) > 0 {
		r.templates[p.ID] = templates
	}
	return nil
}

// Templates lists the room templates plugins offer, by plugin and name.
func (r *Registry) Templates() []Template {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []Template
	for _, ts := range r.templates {
		out = append(out, ts...)
	}
	slices.SortFunc(out, func(a, b Template) int {
		return strings.Compare(a.Plugin+"/"+a.Name, b.Plugin+"/"+b.Name)
	})
	return out
}

// Unregister removes every type a plugin provided.
func (r *Registry) Unregister(pluginID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for name, b := range r.blocks {
		if b.Plugin == pluginID {
			delete(r.blocks, name)
		}
	}
	for name, rm := range r.rooms {
		if rm.Plugin == pluginID {
			delete(r.rooms, name)
		}
	}
	delete(r.templates, pluginID)
}

func compile(bt sdk.BlockType, plugin string) (*Block, error) {
	info := bt.Describe()
	if !nameRE.MatchString(info.Name) {
		return nil, fmt.Errorf("block type name %q must be lowercase words, optionally namespaced (acme/quiz)", info.Name)
	}
	if info.Title == "" {
		return nil, fmt.Errorf("block type %q has no title", info.Name)
	}
	if info.SchemaVersion == 0 {
		info.SchemaVersion = 1
	}
	b := &Block{Type: bt, Info: info, Plugin: plugin}
	if len(info.ConfigSchema) > 0 {
		b.translatable = blocktext.Fields(info.ConfigSchema)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(info.ConfigSchema))
		if err != nil {
			return nil, fmt.Errorf("block type %q: config schema is not JSON: %w", info.Name, err)
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		c.AssertFormat()
		url := "atrium:///blocks/" + info.Name + ".json"
		if err := c.AddResource(url, doc); err != nil {
			return nil, fmt.Errorf("block type %q: config schema: %w", info.Name, err)
		}
		if b.schema, err = c.Compile(url); err != nil {
			return nil, fmt.Errorf("block type %q: config schema does not compile: %w", info.Name, err)
		}
	}
	return b, nil
}

// Block returns a block type by name.
func (r *Registry) Block(name string) (*Block, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	b, ok := r.blocks[name]
	return b, ok
}

// RoomType returns a room type by name.
func (r *Registry) RoomType(name string) (*Room, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	rm, ok := r.rooms[name]
	return rm, ok
}

// Blocks lists the block types by name.
func (r *Registry) Blocks() []*Block {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]*Block, 0, len(r.blocks))
	for _, b := range r.blocks {
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b *Block) int { return strings.Compare(a.Info.Name, b.Info.Name) })
	return out
}

// RoomTypes lists the room types by name.
func (r *Registry) RoomTypes() []*Room {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]*Room, 0, len(r.rooms))
	for _, rm := range r.rooms {
		out = append(out, rm)
	}
	slices.SortFunc(out, func(a, b *Room) int { return strings.Compare(a.Info.Name, b.Info.Name) })
	return out
}

// ConfigError lists what is wrong with a block config, by path inside the
// config ("url", "buttons[0].label"; "" for the config as a whole).
type ConfigError struct {
	Problems []Problem
}

// Problem is one thing wrong at one place.
type Problem struct {
	Path    string
	Message string // in English, as room files, the API and logs show it
	// Text is the catalogue message behind Message where the portal has
	// one (a schema check's common problems), for pages to word in the
	// reader's language; without an id, Message is shown as it is.
	Text fail.Text
}

// In words the problem's message in l's language.
func (p Problem) In(l *sdki18n.Locale) string {
	if p.Text.ID == "" {
		return p.Message
	}
	return p.Text.In(l)
}

func (e *ConfigError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		if p.Path == "" {
			parts[i] = p.Message
		} else {
			parts[i] = p.Path + ": " + p.Message
		}
	}
	return strings.Join(parts, "; ")
}

// ErrUnknownType is returned for a block type nobody registered.
var ErrUnknownType = errors.New("unknown block type")

// PrepareConfig checks a block config for storing: it migrates a config
// written for an older schema version, validates it against the type's JSON
// Schema and its own checks, and returns it in canonical form (compact JSON,
// keys sorted) with the version it now conforms to. A config of a newer
// version than the type knows is refused.
func (r *Registry) PrepareConfig(ctx context.Context, blockType string, version int, config json.RawMessage) (json.RawMessage, int, error) {
	b, ok := r.Block(blockType)
	if !ok {
		return nil, 0, fmt.Errorf("%w %q", ErrUnknownType, blockType)
	}
	if len(bytes.TrimSpace(config)) == 0 || string(config) == "null" {
		config = json.RawMessage(`{}`)
	}
	current := b.Info.SchemaVersion
	if version == 0 {
		version = current
	}
	if version > current {
		return nil, 0, &ConfigError{[]Problem{{Path: "", Message: fmt.Sprintf("schema version %d is newer than block type %q knows (%d)", version, blockType, current)}}}
	}
	// A type with checks of its own may look beyond the config (the
	// program's embed hosts, a plugin's data): only schema-only types'
	// answers are remembered.
	_, checks := b.Type.(sdk.ConfigValidator)
	key := ""
	if version == current && !checks {
		key = strconv.FormatUint(b.serial, 10) + "\x00" + string(config)
		if canon, ok := r.accepted.Get(key); ok {
			return slices.Clone(canon), current, nil
		}
	}
	if version < current {
		m, ok := b.Type.(sdk.ConfigMigrator)
		if !ok {
			return nil, 0, &ConfigError{[]Problem{{Path: "", Message: fmt.Sprintf("block type %q cannot migrate configs from version %d", blockType, version)}}}
		}
		migrated, err := m.MigrateConfig(ctx, version, config)
		if err != nil {
			return nil, 0, &ConfigError{[]Problem{{Path: "", Message: fmt.Sprintf("migrate from version %d: %v", version, err)}}}
		}
		config = migrated
	}
	// Text by language is checked as the config each reader gets, so the
	// block type's schema and checks speak of plain strings. (A config
	// that is not JSON is its own one variant, for check to refuse.)
	split, tps := blocktext.Split(config, b.translatable)
	if len(tps) > 0 {
		problems := make([]Problem, len(tps))
		for i, p := range tps {
			problems[i] = Problem{Path: p.Path, Message: p.Message}
		}
		return nil, 0, &ConfigError{problems}
	}
	var problems []Problem
	seen := map[[2]string]bool{} // path and message
	for _, lang := range split.Languages {
		for _, p := range b.check(ctx, split.Variants[lang]) {
			if lang != blocktext.Default {
				p = b.inLanguage(p, lang)
			}
			if k := [2]string{p.Path, p.Message}; !seen[k] {
				seen[k] = true
				problems = append(problems, p)
			}
		}
	}
	if len(problems) > 0 {
		return nil, 0, &ConfigError{problems}
	}
	config = split.Canonical
	canon, err := Canonical(config)
	if err != nil {
		return nil, 0, err
	}
	if key != "" {
		r.accepted.Add(key, slices.Clone(canon))
	}
	return canon, current, nil
}

// check validates one config, as one reader gets it, against the type's
// schema and its own checks.
func (b *Block) check(ctx context.Context, config json.RawMessage) []Problem {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(config))
	if err != nil {
		return []Problem{{Path: "", Message: "config is not valid JSON: " + err.Error()}}
	}
	if b.schema != nil {
		if err := b.schema.Validate(doc); err != nil {
			var ve *jsonschema.ValidationError
			if errors.As(err, &ve) {
				return SchemaProblems(ve)
			}
			return []Problem{{Path: "", Message: err.Error()}}
		}
	}
	if v, ok := b.Type.(sdk.ConfigValidator); ok {
		if err := v.ValidateConfig(ctx, config); err != nil {
			return []Problem{{Path: "", Message: err.Error()}}
		}
	}
	return nil
}

// inLanguage moves a problem with a translatable field's text to that
// text's language ("markdown" to "markdown.de"), also where a type's own
// check names the field at the start of its message ("markdown: is
// required").
func (b *Block) inLanguage(p Problem, lang string) Problem {
	for _, f := range b.translatable {
		if p.Path == f {
			p.Path = f + "." + lang
			return p
		}
		if rest, ok := strings.CutPrefix(p.Message, f+": "); ok && p.Path == "" && !strings.Contains(rest, "; ") {
			return Problem{Path: f + "." + lang, Message: rest}
		}
	}
	if p.Path == "" {
		p.Message, p.Text = fmt.Sprintf("in %s: %s", lang, p.Message), fail.Text{}
	}
	return p
}

// ConfigIn returns a stored config as a reader of lang gets it: every
// translatable text in their language, else the default (see
// [blocktext.In]). Render and action requests carry it, so block types
// never see texts by language.
func (b *Block) ConfigIn(config json.RawMessage, lang string) json.RawMessage {
	return blocktext.In(config, b.translatable, lang)
}

// Canonical re-encodes JSON compactly with object keys sorted, so two configs
// that mean the same compare equal byte for byte.
func Canonical(raw json.RawMessage) (json.RawMessage, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("config is not valid JSON: %w", err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return out, nil
}

var printer = message.NewPrinter(language.English)

// SchemaProblems flattens a JSON Schema validation error into its leaf
// causes, each with the path of the value it is about, sorted by path.
func SchemaProblems(ve *jsonschema.ValidationError) []Problem {
	var out []Problem
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			// An unknown field is reported at the field itself, so a room
			// file can point at the line of the typo.
			if ap, ok := e.ErrorKind.(*kind.AdditionalProperties); ok {
				for _, prop := range ap.Properties {
					t := fail.T("invalid.staff.schema.unknown-field")
					out = append(out, Problem{Path: Path(append(slices.Clone(e.InstanceLocation), prop)), Message: t.English(), Text: t})
				}
				return
			}
			msg := e.ErrorKind.LocalizedString(printer)
			out = append(out, Problem{Path: Path(e.InstanceLocation), Message: msg, Text: schemaText(e.ErrorKind, msg)})
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	slices.SortStableFunc(out, func(a, b Problem) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// Path turns a JSON pointer's segments into "buttons[0].label".
func Path(segs []string) string {
	var b strings.Builder
	for _, s := range segs {
		if isIndex(s) {
			b.WriteString("[" + s + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// RoomInfo returns the description of a room type by name.
func (r *Registry) RoomInfo(name string) (sdk.RoomInfo, bool) {
	rm, ok := r.RoomType(name)
	if !ok {
		return sdk.RoomInfo{}, false
	}
	return rm.Info, true
}
