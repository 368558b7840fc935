package schemaform

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/core/blocktext"
)

// maxItems bounds the items Decode reads in all, whatever a form claims:
// a form is what a person filled in, not a bulk import.
const maxItems = 5000

// Decode turns a submitted form into a config of the schema's types:
// numbers as numbers, booleans from checkboxes, arrays in order, empty
// optional fields left out. When a submit button named OpField was pressed
// it applies that edit too: "add:PATH" appends an item to the array at
// PATH, "remove:PATH[i]" removes one, "up:PATH[i]" and "down:PATH[i]" move
// one (see [Editing]). Text that is not a number in a number field is kept
// as text, so validation names the field. Only a schema that does not
// compile is an error.
func Decode(schema json.RawMessage, form url.Values) (json.RawMessage, error) {
	c, err := compile(schema)
	if err != nil {
		return nil, err
	}
	d := &decoder{c: c, form: form, budget: maxItems}
	d.op, d.target, d.index = parseOp(last(form[OpField]))
	v, _ := d.object(c.node(c.root), "", true, 0)
	out, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode config: %w", err)
	}
	return out, nil
}

type decoder struct {
	c      *compiled
	form   url.Values
	budget int
	// The edit asked for: op on the array at target (and its item index).
	op, target string
	index      int
}

// parseOp reads "add:items", "remove:items[2]", "up:items[2]".
func parseOp(s string) (op, target string, index int) {
	op, path, ok := strings.Cut(s, ":")
	if !ok {
		return "", "", 0
	}
	switch op {
	case "add":
		return op, path, 0
	case "remove", "up", "down":
		i := strings.LastIndexByte(path, '[')
		if i < 0 || !strings.HasSuffix(path, "]") {
			return "", "", 0
		}
		n, err := strconv.Atoi(path[i+1 : len(path)-1])
		if err != nil || n < 0 {
			return "", "", 0
		}
		return op, path[:i], n
	}
	return "", "", 0
}

func last(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// value decodes the field for n at path; ok is false when the form leaves
// it out.
func (d *decoder) value(n node, path string, required bool, depth int) (any, bool) {
	if depth > maxDepth {
		return d.raw(path)
	}
	kind := kindOf(n)
	switch kind {
	case KindObject:
		return d.object(n, path, required, depth)
	case KindArray:
		return d.array(n, path, required, depth)
	case KindChoice:
		return d.choice(n, path, required, depth)
	case KindBoolean:
		switch last(d.form[path]) {
		case "true", "on":
			return true, true
		case "false":
			return false, true
		}
		return false, required
	case KindSelect, KindRadio, KindJSON:
		return d.raw(path)
	case KindHidden:
		// A const has one valid value, whatever the form says: a choice
		// switched to another branch still carries the old branch's.
		if c := n.constant(); c != nil {
			return *c, required || last(d.form[path]) != ""
		}
		return d.raw(path)
	case KindInteger, KindNumber, KindResource, KindMedia:
		if t := n.mainType(); kind == KindInteger || kind == KindNumber || t == "integer" || t == "number" {
			s := strings.TrimSpace(last(d.form[path]))
			if s == "" {
				return nil, false
			}
			if isNumber(s) {
				return json.Number(s), true
			}
			return s, true
		}
	}
	// A required text is given even when empty, so validation names it
	// rather than its object.
	s := strings.ReplaceAll(last(d.form[path]), "\r\n", "\n")
	if isTranslatable(n, path, kind) {
		if texts := d.translations(path); len(texts) > 0 {
			texts[blocktext.Default] = s
			return texts, true
		}
	}
	if s == "" && !required {
		return nil, false
	}
	return s, true
}

// translations reads the texts by language of the translatable field at
// path ("markdown.de"); an empty one is left out, so its readers get the
// default text.
func (d *decoder) translations(path string) map[string]any {
	out := map[string]any{}
	for k, v := range d.form {
		lang, ok := strings.CutPrefix(k, path+".")
		if !ok || lang == blocktext.Default || strings.ContainsAny(lang, ".[#") {
			continue
		}
		if s := strings.ReplaceAll(last(v), "\r\n", "\n"); strings.TrimSpace(s) != "" {
			out[lang] = s
		}
	}
	return out
}

// raw decodes a value the form carries as JSON (enum options, hidden
// values); what is not JSON is kept as text for validation to name.
func (d *decoder) raw(path string) (any, bool) {
	s := strings.TrimSpace(last(d.form[path]))
	if s == "" {
		return nil, false
	}
	v, err := decodeJSON([]byte(s))
	if err != nil {
		return s, true
	}
	return v, true
}

var numberRE = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

func isNumber(s string) bool { return numberRE.MatchString(s) }

func (d *decoder) object(n node, path string, required bool, depth int) (any, bool) {
	out, given := d.fields(n, path, depth)
	if !given && !required {
		return nil, false
	}
	return out, true
}

// fields decodes an object's properties (and its chosen oneOf branch's);
// given says the form filled at least one, beyond the consts and empty
// objects the schema implies.
func (d *decoder) fields(n node, path string, depth int) (map[string]any, bool) {
	out := map[string]any{}
	given := false
	for _, p := range n.properties() {
		pn := d.c.node(p.schema)
		pp := join(path, p.name)
		v, ok := d.value(pn, pp, p.required, depth+1)
		if !ok {
			continue
		}
		out[p.name] = v
		given = given || !implied(v, last(d.form[pp]), pn)
	}
	if branches := n.oneOf(); len(branches) > 0 {
		bn := d.c.node(branches[d.chosen(path, len(branches))])
		m, g := d.fields(bn, path, depth)
		for k, x := range m {
			out[k] = x
		}
		given = given || g
	}
	if s := last(d.form[path+"#extra"]); s != "" {
		v, _ := decodeJSON([]byte(s))
		obj, _ := v.(map[string]any)
		for k, v := range extras(n, obj) {
			out[k] = v
			given = true
		}
	}
	return out, given
}

// implied reports whether a decoded value says nothing the person gave:
// a const, an empty object, or what a required field gets from an empty
// input.
func implied(v any, submitted string, n node) bool {
	if n.constant() != nil {
		return submitted == ""
	}
	switch v := v.(type) {
	case map[string]any:
		return len(v) == 0
	case string:
		return v == ""
	case bool:
		return !v && submitted != "false"
	}
	return false
}

// chosen is the branch a choice's select names.
func (d *decoder) chosen(path string, n int) int {
	i, err := strconv.Atoi(last(d.form[path+"#choice"]))
	if err != nil || i < 0 || i >= n {
		return 0
	}
	return i
}

func (d *decoder) choice(n node, path string, required bool, depth int) (any, bool) {
	branches := n.oneOf()
	bn := d.c.node(branches[d.chosen(path, len(branches))])
	if bn.mainType() == "object" || len(bn.properties()) > 0 {
		return d.object(bn, path, required, depth)
	}
	return d.value(bn, path, required, depth+1)
}

type slot struct {
	v  any
	ok bool
}

func (d *decoder) array(n node, path string, required bool, depth int) (any, bool) {
	count := d.count(path)
	item := d.c.node(n.items())
	items := make([]slot, 0, count)
	for i := range count {
		v, ok := d.value(item, fmt.Sprintf("%s[%d]", path, i), true, depth+1)
		items = append(items, slot{v, ok})
	}
	if d.target == path {
		i := d.index
		switch {
		case d.op == "add" && d.budget > 0:
			d.budget--
			v, ok := newItem(d.c, item)
			items = append(items, slot{v, ok})
		case i >= len(items):
		case d.op == "remove":
			items = slices.Delete(items, i, i+1)
		case d.op == "up" && i > 0:
			items[i-1], items[i] = items[i], items[i-1]
		case d.op == "down" && i+1 < len(items):
			items[i], items[i+1] = items[i+1], items[i]
		}
	}
	out := []any{}
	for _, s := range items {
		if s.ok {
			out = append(out, s.v)
		}
	}
	if len(out) == 0 && !required {
		return nil, false
	}
	return out, true
}

// count is how many items the form drew for the array at path: its count
// input, or, for a form without one, the highest index it holds plus one.
// Every item counts against the decoder's budget.
func (d *decoder) count(path string) int {
	n := -1
	if s, ok := d.form[path+"#len"]; ok {
		if v, err := strconv.Atoi(strings.TrimSpace(last(s))); err == nil && v >= 0 {
			n = v
		}
	}
	if n < 0 {
		n = 0
		prefix := path + "["
		for k := range d.form {
			rest, ok := strings.CutPrefix(k, prefix)
			if !ok {
				continue
			}
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				continue
			}
			if i, err := strconv.Atoi(rest[:end]); err == nil && i >= 0 && i < maxItems {
				n = max(n, i+1)
			}
		}
	}
	n = min(n, d.budget)
	d.budget -= n
	return n
}

// Values returns what a browser submits for the form as drawn, untouched:
// Decode turns them back into the config the form was built from.
func (f Form) Values() url.Values {
	v := url.Values{}
	for _, x := range f.Fields {
		x.values(v)
	}
	return v
}

func (f Field) values(v url.Values) {
	switch f.Kind {
	case KindObject:
		for _, x := range f.Fields {
			x.values(v)
		}
	case KindChoice:
		v.Set(f.ChoiceName, f.Value)
		for _, x := range f.Fields {
			x.values(v)
		}
	case KindArray:
		v.Set(f.CountName, strconv.Itoa(len(f.Items)))
		for _, x := range f.Items {
			x.values(v)
		}
	case KindBoolean:
		if f.Present {
			v.Add(f.Name, "false")
		} else {
			v.Add(f.Name, "")
		}
		if f.Checked {
			v.Add(f.Name, "true")
		}
	case KindRadio:
		if f.Value != "" {
			v.Set(f.Name, f.Value)
		}
	default:
		v.Set(f.Name, f.Value)
		for _, t := range f.Translations {
			v.Set(t.Name, t.Value)
		}
	}
}
