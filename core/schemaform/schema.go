package schemaform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/big"
	"slices"
	"strings"
	"sync"

	"github.com/atriumhq/atrium/core/blocktext"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The widget hints a schema may carry beside any keyword. They are
// annotations: the portal's validation ignores them, so adding one to a
// block type's schema never changes which configs it accepts.
const (
	// KeywordWidget names the field kind to show instead of the one the
	// schema's type and format suggest: see the Widget constants.
	KeywordWidget = "x-atrium-widget"
	// KeywordAccept narrows what a media or resource picker offers, as an
	// HTML accept attribute does ("image/*", "video/*").
	KeywordAccept = "x-atrium-accept"
	// KeywordTranslatable (true) on a top-level string property says its
	// text may be given by language; the form then offers a field per
	// language beside the default (see core/blocktext).
	KeywordTranslatable = blocktext.Annotation
)

// The values of KeywordWidget.
const (
	WidgetTextarea = "textarea" // several lines of plain text
	WidgetMarkdown = "markdown" // Markdown, edited with a rendered preview
	WidgetRadio    = "radio"    // an enum as radio buttons, however many
	WidgetSelect   = "select"   // an enum as a select, however few
	WidgetURL      = "url"      // a link: an https URL or a portal path
	WidgetDate     = "date"     // a YYYY-MM-DD string
	WidgetResource = "resource" // the id of a resource of the library
	WidgetMedia    = "media"    // the id of an uploaded picture or video
	WidgetHidden   = "hidden"   // kept as it is, not shown
)

// vocabURL identifies the hint keywords as a vocabulary of the compiler, so
// the compiled schema carries them (jsonschema keeps unknown keywords only
// through a vocabulary).
const vocabURL = "https://atrium.dev/schema/vocab/form-hints"

// hints are the widget hints of one schema location.
type hints struct {
	widget, accept string
	translatable   bool
}

// Validate makes hints a jsonschema.SchemaExt; hints never reject a value.
func (hints) Validate(*jsonschema.ValidatorContext, any) {}

// hintsVocab reads the hints. It has no meta-schema: a hint of the wrong
// shape is ignored rather than refused, as the registry (which does not
// know the hints) accepted the schema.
func hintsVocab() *jsonschema.Vocabulary {
	return &jsonschema.Vocabulary{
		URL: vocabURL,
		Compile: func(_ *jsonschema.CompilerContext, obj map[string]any) (jsonschema.SchemaExt, error) {
			w, _ := obj[KeywordWidget].(string)
			a, _ := obj[KeywordAccept].(string)
			t, _ := obj[KeywordTranslatable].(bool)
			if w == "" && a == "" && !t {
				return nil, nil
			}
			return hints{widget: w, accept: a, translatable: t}, nil
		},
	}
}

// compiled is a block type's schema ready to walk.
type compiled struct {
	root *jsonschema.Schema
	// order holds, by JSON pointer of a "properties" object, its keys in the
	// order the schema's author wrote them: a form shows fields in that
	// order, which the compiled schema (a map) does not keep.
	order map[string][]string
}

const schemaURL = "atrium:///schemaform/config.json"

// cache keeps compiled schemas by their text: the builder builds and
// decodes the same few block types' forms over and over, and compiling
// (the meta-schema included) costs far more than walking.
var cache = struct {
	sync.Mutex
	m map[string]*compiled
}{m: map[string]*compiled{}}

// cacheMax bounds the cache; past it, it starts over.
const cacheMax = 256

// compile compiles a config schema the way the registry does (draft
// 2020-12, formats asserted), plus the hint vocabulary. Compiled schemas
// are only read, so one may serve many forms at once.
func compile(schema json.RawMessage) (*compiled, error) {
	key := string(schema)
	cache.Lock()
	c, ok := cache.m[key]
	cache.Unlock()
	if ok {
		return c, nil
	}
	c, err := compileNew(schema)
	if err != nil {
		return nil, err
	}
	cache.Lock()
	if len(cache.m) >= cacheMax {
		clear(cache.m)
	}
	cache.m[key] = c
	cache.Unlock()
	return c, nil
}

func compileNew(schema json.RawMessage) (*compiled, error) {
	if len(bytes.TrimSpace(schema)) == 0 {
		schema = json.RawMessage(`{"type":"object"}`)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		return nil, fmt.Errorf("config schema is not JSON: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.AssertVocabs()
	c.RegisterVocabulary(hintsVocab())
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, fmt.Errorf("config schema: %w", err)
	}
	root, err := c.Compile(schemaURL)
	if err != nil {
		return nil, fmt.Errorf("config schema does not compile: %w", err)
	}
	order, err := keyOrder(schema)
	if err != nil {
		return nil, err
	}
	return &compiled{root: root, order: order}, nil
}

// keyOrder records the key order of every JSON object in doc, by JSON
// pointer. It reads JSON tokens only; what the keys mean is the compiler's
// business.
func keyOrder(doc []byte) (map[string][]string, error) {
	out := map[string][]string{}
	dec := json.NewDecoder(bytes.NewReader(doc))
	var walk func(ptr string) error
	walk = func(ptr string) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			var keys []string
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				key, _ := k.(string)
				keys = append(keys, key)
				if err := walk(ptr + "/" + escapePointer(key)); err != nil {
					return err
				}
			}
			out[ptr] = keys
			_, err = dec.Token()
			return err
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				if err := walk(fmt.Sprintf("%s/%d", ptr, i)); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		}
		return nil
	}
	if err := walk(""); err != nil && err != io.EOF {
		return nil, fmt.Errorf("config schema is not JSON: %w", err)
	}
	return out, nil
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// node is one schema location seen through its $ref and allOf: what a form
// field needs is spread over all of them.
type node struct {
	c     *compiled
	parts []*jsonschema.Schema // the schema first, then what it refers to
}

// maxDepth bounds the walk of recursive schemas: a form is finite.
const maxDepth = 12

func (c *compiled) node(s *jsonschema.Schema) node {
	n := node{c: c}
	var add func(s *jsonschema.Schema, depth int)
	add = func(s *jsonschema.Schema, depth int) {
		if s == nil || depth > maxDepth || slices.Contains(n.parts, s) {
			return
		}
		n.parts = append(n.parts, s)
		add(s.Ref, depth+1)
		for _, a := range s.AllOf {
			add(a, depth+1)
		}
	}
	add(s, 0)
	return n
}

func first[T comparable](n node, get func(*jsonschema.Schema) T) T {
	var zero T
	for _, s := range n.parts {
		if v := get(s); v != zero {
			return v
		}
	}
	return zero
}

func (n node) title() string { return first(n, func(s *jsonschema.Schema) string { return s.Title }) }
func (n node) description() string {
	return first(n, func(s *jsonschema.Schema) string { return s.Description })
}
func (n node) deflt() *any    { return first(n, func(s *jsonschema.Schema) *any { return s.Default }) }
func (n node) constant() *any { return first(n, func(s *jsonschema.Schema) *any { return s.Const }) }
func (n node) enum() *jsonschema.Enum {
	return first(n, func(s *jsonschema.Schema) *jsonschema.Enum { return s.Enum })
}
func (n node) minimum() *big.Rat {
	return first(n, func(s *jsonschema.Schema) *big.Rat { return s.Minimum })
}
func (n node) maximum() *big.Rat {
	return first(n, func(s *jsonschema.Schema) *big.Rat { return s.Maximum })
}
func (n node) maxLength() *int {
	return first(n, func(s *jsonschema.Schema) *int { return s.MaxLength })
}
func (n node) minItems() *int { return first(n, func(s *jsonschema.Schema) *int { return s.MinItems }) }
func (n node) maxItems() *int { return first(n, func(s *jsonschema.Schema) *int { return s.MaxItems }) }
func (n node) format() string {
	return first(n, func(s *jsonschema.Schema) string {
		if s.Format == nil {
			return ""
		}
		return s.Format.Name
	})
}

func (n node) hints() hints {
	var h hints
	for _, s := range n.parts {
		for _, e := range s.Extensions {
			if x, ok := e.(hints); ok {
				h.widget = cmpOr(h.widget, x.widget)
				h.accept = cmpOr(h.accept, x.accept)
				h.translatable = h.translatable || x.translatable
			}
		}
	}
	return h
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// types lists the JSON types the node allows, "null" last.
func (n node) types() []string {
	for _, s := range n.parts {
		if s.Types != nil {
			ts := s.Types.ToStrings()
			slices.SortStableFunc(ts, func(a, b string) int {
				switch {
				case a == "null" && b != "null":
					return 1
				case b == "null" && a != "null":
					return -1
				}
				return 0
			})
			return ts
		}
	}
	return nil
}

// mainType is the node's type for a form: the first non-null one, or the
// one its properties, items, enum or default imply.
func (n node) mainType() string {
	if ts := n.types(); len(ts) > 0 {
		return ts[0]
	}
	for _, s := range n.parts {
		switch {
		case len(s.Properties) > 0:
			return "object"
		case s.Items2020 != nil || s.Items != nil:
			return "array"
		}
	}
	if d := n.deflt(); d != nil {
		return jsonType(*d)
	}
	return ""
}

func jsonType(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		if _, err := v.Int64(); err == nil {
			return "integer"
		}
		return "number"
	case float64, int, int64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return ""
}

// property is one property of an object node.
type property struct {
	name     string
	schema   *jsonschema.Schema
	required bool
}

// properties lists the object's properties in the order the author wrote
// them (then any others by name).
func (n node) properties() []property {
	var out []property
	seen := map[string]bool{}
	required := map[string]bool{}
	for _, s := range n.parts {
		for _, r := range s.Required {
			required[r] = true
		}
	}
	for _, s := range n.parts {
		names := slices.Sorted(maps.Keys(s.Properties))
		ordered := n.c.order[pointer(s.Location)+"/properties"]
		ordered = slices.DeleteFunc(slices.Clone(ordered), func(k string) bool { _, ok := s.Properties[k]; return !ok })
		for _, k := range names {
			if !slices.Contains(ordered, k) {
				ordered = append(ordered, k)
			}
		}
		for _, k := range ordered {
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, property{name: k, schema: s.Properties[k], required: required[k]})
		}
	}
	return out
}

// pointer returns the JSON pointer part of a compiled schema's location.
func pointer(loc string) string {
	if i := strings.IndexByte(loc, '#'); i >= 0 {
		return loc[i+1:]
	}
	return ""
}

// items returns the schema of an array node's items.
func (n node) items() *jsonschema.Schema {
	for _, s := range n.parts {
		if s.Items2020 != nil {
			return s.Items2020
		}
		if it, ok := s.Items.(*jsonschema.Schema); ok {
			return it
		}
	}
	return nil
}

// oneOf returns the branches of a choice: oneOf whose branches describe
// fields. A oneOf (or anyOf) of bare "required" lists only constrains which
// fields are given, and needs no choice.
func (n node) oneOf() []*jsonschema.Schema {
	for _, s := range n.parts {
		if len(s.OneOf) == 0 {
			continue
		}
		for _, b := range s.OneOf {
			bn := n.c.node(b)
			if bn.mainType() != "" || bn.enum() != nil || bn.constant() != nil || len(bn.properties()) > 0 {
				return s.OneOf
			}
		}
	}
	return nil
}

// allowsExtra reports whether the object node accepts properties it does
// not name (no "additionalProperties": false).
func (n node) allowsExtra() bool {
	for _, s := range n.parts {
		if b, ok := s.AdditionalProperties.(bool); ok && !b {
			return false
		}
	}
	return true
}
