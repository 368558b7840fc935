// Package schemaform turns a block type's JSON Schema into a config form,
// and a submitted form back into a config, so the room builder edits any
// block — built-in or from a plugin — without knowing its type.
//
// The schema is compiled with santhosh-tekuri/jsonschema (as the registry
// compiles it for validation) and the compiled schema is walked: type,
// format, enum, const, properties, items, oneOf, default, title and
// description choose each field's kind, label and help. A schema may suggest
// a widget beside any keyword with the annotations x-atrium-widget and
// x-atrium-accept (see docs/room-builder.md); validation ignores them.
//
// The form works without JavaScript. Input names are the config paths of
// the room-file validation ("items[1].url"), so a validation problem lands
// on the field that caused it; arrays are edited with submit buttons named
// OpField whose value says what to do ("add:items", "up:items[2]").
//
//	form, err := schemaform.Build(info.ConfigSchema, block.Config, schemaform.Problems(problems, i))
//	// ... the theme draws form with layouts/_schemaform.html; on POST:
//	config, err := schemaform.Decode(info.ConfigSchema, r.PostForm)
//	if schemaform.Editing(r.PostForm) { /* show the form again with config */ }
package schemaform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/big"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/atriumhq/atrium/core/blocktext"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Kind is what a field is edited with; the theme has a branch per kind.
type Kind string

// The kinds of field.
const (
	KindText     Kind = "text"
	KindTextarea Kind = "textarea"
	KindMarkdown Kind = "markdown"
	KindNumber   Kind = "number"
	KindInteger  Kind = "integer"
	KindBoolean  Kind = "boolean"
	KindSelect   Kind = "select"
	KindRadio    Kind = "radio"
	KindURL      Kind = "url"
	KindEmail    Kind = "email"
	KindDate     Kind = "date"
	KindDateTime Kind = "datetime"
	KindResource Kind = "resource" // picks a library resource; the value is its id
	KindMedia    Kind = "media"    // picks an uploaded picture or video; the value is its id
	KindHidden   Kind = "hidden"   // a const, or a value the schema asks to keep out of sight
	KindJSON     Kind = "json"     // a value the schema does not describe further, edited as JSON
	KindObject   Kind = "object"   // a group of Fields
	KindArray    Kind = "array"    // a list of Items
	KindChoice   Kind = "choice"   // a oneOf: Options name the branches, Fields are the chosen one's
)

// radioMax is the most options an enum shows as radio buttons; more are a
// select.
const radioMax = 3

// OpField is the name of the submit buttons that edit the form rather than
// save it; see [Editing].
const OpField = "_op"

// Form is a config form: the fields of the config object, and the problems
// that belong to no field.
type Form struct {
	Title, Help string
	Fields      []Field
	Errors      []string
}

// Field is one field of a form, or a group of them.
type Field struct {
	// Path is the field's place in the config, as validation problems name
	// it: "title", "buttons[1].url".
	Path string
	// Name is the input's name; ID its id, HelpID and ErrorID the ids of
	// its help and error text, DescribedBy those of them present.
	Name, ID, HelpID, ErrorID, DescribedBy string
	Label, Help                            string
	Kind                                   Kind
	Required                               bool
	// Value is a scalar's value as the input shows it: text, a number, the
	// JSON of an enum value (as Options carry them), an id.
	Value string
	// Checked is a boolean's state; Present says the config held the
	// boolean, so an unticked box gives back false rather than nothing.
	Checked, Present bool
	// Default is the schema's default as the input would show it; the form
	// shows it as a hint where the config leaves the field out.
	Default string
	Options []Option
	// Accept narrows a media or resource picker ("image/*").
	Accept string
	// Min, Max and Step bound a number; MaxLength a text.
	Min, Max, Step string
	MaxLength      int
	// Error is what validation said about this field, in its words.
	Error string

	// Fields are an object's fields, or a choice's chosen branch.
	Fields []Field
	// Items are an array's items; CountName names the hidden input that
	// says how many were drawn; CanAdd says another may be added.
	Items     []Field
	CountName string
	CanAdd    bool
	// ChoiceName names a choice's select of branches.
	ChoiceName string

	// Translations are a translatable text's fields in other languages
	// than the default, named "PATH.LANG"; Lang is a translation's
	// language, for its lang attribute, and Label the language's name.
	Translations []Field
	Lang         string

	// For an item of an array: its index, its position (index+1), the
	// array's path, and what the item's buttons may do.
	Index, Position        int
	Parent                 string
	CanRemove, First, Last bool
}

// Language is a language the form offers translations in: its tag ("de")
// and its name in itself ("Deutsch").
type Language struct {
	Tag, Name string
}

// Option is one value of an enum, or one branch of a choice.
type Option struct {
	Value, Label string
	Selected     bool
}

// Build returns the form for a config. schema is the block type's config
// schema; value the config (empty or null for a new block: the form then
// starts from the schema's defaults); problems are validation problems by
// path inside the config (see [Problems]), shown beside their fields.
// langs are the languages a translatable text offers a field for besides
// the default; a language the config has text in gets one as well.
func Build(schema, value json.RawMessage, problems map[string]string, langs ...Language) (Form, error) {
	c, err := compile(schema)
	if err != nil {
		return Form{}, err
	}
	root := c.node(c.root)
	var v any
	if len(bytes.TrimSpace(value)) == 0 || string(bytes.TrimSpace(value)) == "null" {
		v = defaults(c, root)
	} else if v, err = decodeJSON(value); err != nil {
		return Form{}, fmt.Errorf("config is not JSON: %w", err)
	}
	b := &builder{c: c, problems: map[string]string{}, langs: langs}
	for k, p := range problems {
		b.problems[k] = p
	}
	b.spreadRoot()
	obj, _ := v.(map[string]any)
	f := b.object(root, "", obj, 0)
	form := Form{Title: root.title(), Help: root.description(), Fields: f.Fields}
	if f.Error != "" {
		form.Errors = append(form.Errors, f.Error)
	}
	for _, k := range slices.Sorted(maps.Keys(b.problems)) {
		form.Errors = append(form.Errors, k+": "+b.problems[k])
	}
	return form, nil
}

// Editing reports whether a submitted form asked to edit itself (add,
// remove or move an item, switch a choice) rather than to be saved: the
// page then shows the form again, built from what Decode returned.
func Editing(form url.Values) bool {
	v := form[OpField]
	return len(v) > 0 && v[len(v)-1] != ""
}

type builder struct {
	c        *compiled
	problems map[string]string // not yet placed on a field
	langs    []Language
}

// take returns, and forgets, the problem at path.
func (b *builder) take(path string) string {
	p := b.problems[path]
	delete(b.problems, path)
	return p
}

// spreadRoot moves the pieces of a problem about the whole config that name
// a field ("url: is required; alt: ..." from a block type's own checks) to
// that field's path.
func (b *builder) spreadRoot() {
	msg, ok := b.problems[""]
	if !ok {
		return
	}
	var rest []string
	for _, piece := range strings.Split(msg, "; ") {
		field, text, found := strings.Cut(piece, ": ")
		if found && pathRE.MatchString(field) {
			if old := b.problems[field]; old != "" {
				text = old + "; " + text
			}
			b.problems[field] = text
			continue
		}
		rest = append(rest, piece)
	}
	if len(rest) == 0 {
		delete(b.problems, "")
	} else {
		b.problems[""] = strings.Join(rest, "; ")
	}
}

var (
	pathRE    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*(\[\d+\]|\.[A-Za-z_][A-Za-z0-9_-]*)*$`)
	missingRE = regexp.MustCompile(`^missing propert(y|ies) `)
	quotedRE  = regexp.MustCompile(`'([^']*)'|"([^"]*)"`)
)

// missing splits a "missing property 'x'" problem of an object into one
// per named property, so each lands on its field.
func (b *builder) missing(path string) {
	msg, ok := b.problems[path]
	if !ok {
		return
	}
	var rest []string
	for _, piece := range strings.Split(msg, "; ") {
		if !missingRE.MatchString(piece) {
			rest = append(rest, piece)
			continue
		}
		for _, m := range quotedRE.FindAllStringSubmatch(piece, -1) {
			child := join(path, m[1]+m[2])
			if old := b.problems[child]; old != "" {
				b.problems[child] = old + "; " + piece
			} else {
				b.problems[child] = piece
			}
		}
	}
	if len(rest) == 0 {
		delete(b.problems, path)
	} else {
		b.problems[path] = strings.Join(rest, "; ")
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// base fills what every field has.
func (b *builder) base(n node, path, name string, required bool) Field {
	f := Field{Path: path, Name: path, ID: inputID(path), Required: required,
		Label: n.title(), Help: n.description()}
	if f.Label == "" {
		f.Label = humanize(name)
	}
	f.Error = b.take(path)
	f.setID(f.ID)
	return f
}

// setID gives the field its id and those of its help and error text.
func (f *Field) setID(id string) {
	f.ID, f.HelpID, f.ErrorID = id, id+"-help", id+"-err"
	f.setDescribedBy()
}

// setDescribedBy lists the ids of the help and error text present.
func (f *Field) setDescribedBy() {
	var by []string
	if f.Help != "" {
		by = append(by, f.HelpID)
	}
	if f.Error != "" {
		by = append(by, f.ErrorID)
	}
	f.DescribedBy = strings.Join(by, " ")
}

// field builds the field for node n at path; name is the property's name
// (for a label when the schema has no title).
func (b *builder) field(n node, path, name string, v any, present, required bool, depth int) Field {
	if depth > maxDepth {
		f := b.base(n, path, name, required)
		f.Kind = KindHidden
		f.Value = jsonText(v, present)
		return f
	}
	kind := kindOf(n)
	switch kind {
	case KindObject:
		obj, _ := v.(map[string]any)
		f := b.object(n, path, obj, depth)
		f.Label, f.Required = cmpOr(n.title(), humanize(name)), required
		return f
	case KindArray:
		arr, _ := v.([]any)
		return b.array(n, path, name, arr, required, depth)
	case KindChoice:
		f := b.base(n, path, name, required)
		f.Kind = KindChoice
		b.choice(&f, n, path, v, depth)
		return f
	}
	texts, byLang := v.(map[string]any)
	translatable := isTranslatable(n, path, kind)
	if translatable && byLang {
		v, present = texts[blocktext.Default]
	}
	f := b.base(n, path, name, required)
	f.Kind = kind
	f.Accept = n.hints().accept
	if d := n.deflt(); d != nil {
		f.Default = scalarText(*d)
	}
	switch kind {
	case KindBoolean:
		f.Present = present
		f.Checked, _ = v.(bool)
	case KindSelect, KindRadio:
		f.Value = jsonText(v, present)
		for _, e := range n.enum().Values {
			o := Option{Value: jsonText(e, true), Label: optionLabel(e)}
			o.Selected = present && o.Value == f.Value
			f.Options = append(f.Options, o)
		}
		if d := n.deflt(); d != nil {
			f.Default = optionLabel(*d)
		}
	case KindHidden:
		f.Value = jsonText(v, present)
		if c := n.constant(); c != nil && present {
			f.Value = jsonText(*c, true)
		}
	case KindJSON:
		if present {
			b, _ := json.MarshalIndent(v, "", "  ")
			f.Value = string(b)
		}
	default:
		if present {
			f.Value = scalarText(v)
		}
	}
	switch kind {
	case KindInteger, KindNumber, KindResource, KindMedia:
		if m := n.minimum(); m != nil {
			f.Min = ratText(m)
		}
		if m := n.maximum(); m != nil {
			f.Max = ratText(m)
		}
		f.Step = "any"
		if kind != KindNumber {
			f.Step = "1"
		}
	default:
		if m := n.maxLength(); m != nil {
			f.MaxLength = *m
		}
	}
	if translatable {
		b.translations(&f, texts)
	}
	return f
}

// isTranslatable reports whether the field at path edits a text by
// language: a top-level property marked so, edited as text.
func isTranslatable(n node, path string, kind Kind) bool {
	if !n.hints().translatable || strings.ContainsAny(path, ".[") {
		return false
	}
	switch kind {
	case KindText, KindTextarea, KindMarkdown:
		return true
	}
	return false
}

// translations adds a field per language to a translatable text: the
// form's languages first, then any other the config has text in. A problem
// with the default text ("markdown.en") is shown on the field itself.
func (b *builder) translations(f *Field, texts map[string]any) {
	if p := b.take(f.Path + "." + blocktext.Default); p != "" {
		f.Error = strings.TrimPrefix(f.Error+"; "+p, "; ")
		f.setDescribedBy()
	}
	var langs []Language
	seen := map[string]bool{blocktext.Default: true}
	for _, l := range b.langs {
		if !seen[l.Tag] {
			seen[l.Tag] = true
			langs = append(langs, l)
		}
	}
	for _, tag := range slices.Sorted(maps.Keys(texts)) {
		if !seen[tag] {
			seen[tag] = true
			langs = append(langs, Language{Tag: tag, Name: tag})
		}
	}
	for _, l := range langs {
		path := f.Path + "." + l.Tag
		t := Field{Path: path, Name: path, Label: l.Name, Lang: l.Tag, Kind: f.Kind, MaxLength: f.MaxLength, Error: b.take(path)}
		if s, ok := texts[l.Tag].(string); ok {
			t.Value = s
		} else if x, ok := texts[l.Tag]; ok {
			t.Value = jsonText(x, true) // not text: shown as it is, for validation to name
		}
		t.setID(inputID(path))
		f.Translations = append(f.Translations, t)
	}
}

// kindOf chooses a node's field kind: a widget hint first, then const,
// enum, oneOf, type and format.
func kindOf(n node) Kind {
	typ := n.mainType()
	h := n.hints()
	switch h.widget {
	case WidgetHidden:
		return KindHidden
	case WidgetRadio, WidgetSelect:
		if n.enum() != nil {
			return Kind(h.widget)
		}
	case WidgetResource:
		return KindResource
	case WidgetMedia:
		return KindMedia
	case WidgetTextarea, WidgetMarkdown, WidgetURL, WidgetDate:
		if typ == "string" || typ == "" {
			return Kind(h.widget)
		}
	}
	if n.constant() != nil {
		return KindHidden
	}
	if e := n.enum(); e != nil {
		if len(e.Values) <= radioMax {
			return KindRadio
		}
		return KindSelect
	}
	if typ != "object" && len(n.oneOf()) > 0 {
		return KindChoice
	}
	switch typ {
	case "object":
		if len(n.properties()) == 0 && len(n.oneOf()) == 0 {
			return KindJSON // a free-form map
		}
		return KindObject
	case "array":
		if n.items() == nil {
			return KindJSON
		}
		return KindArray
	case "boolean":
		return KindBoolean
	case "integer":
		return KindInteger
	case "number":
		return KindNumber
	}
	switch n.format() {
	case "uri", "uri-reference", "iri", "iri-reference":
		return KindURL
	case "email", "idn-email":
		return KindEmail
	case "date":
		return KindDate
	case "date-time":
		return KindDateTime
	}
	if typ == "" {
		return KindJSON // any value at all
	}
	return KindText
}

func (b *builder) object(n node, path string, obj map[string]any, depth int) Field {
	b.missing(path)
	f := b.base(n, path, "", false)
	f.Kind = KindObject
	for _, p := range n.properties() {
		v, ok := obj[p.name]
		f.Fields = append(f.Fields, b.field(b.c.node(p.schema), join(path, p.name), p.name, v, ok, p.required, depth+1))
	}
	if branches := n.oneOf(); len(branches) > 0 {
		ch := Field{Path: path, Kind: KindChoice, Label: cmpOr(n.title(), words.Choice), Required: true}
		b.choice(&ch, n, path, obj, depth)
		f.Fields = append(f.Fields, ch)
	}
	// Keys the schema does not name, where it allows them, travel in a
	// hidden input: saving the form must not drop what it does not show.
	if extra := extras(n, obj); len(extra) > 0 {
		f.Fields = append(f.Fields, Field{Path: path, Name: path + "#extra", ID: inputID(path + "#extra"),
			Kind: KindHidden, Value: jsonText(extra, true)})
	}
	return f
}

// extras returns the keys of obj that the object node does not describe,
// when its schema allows such keys.
func extras(n node, obj map[string]any) map[string]any {
	if !n.allowsExtra() {
		return nil
	}
	known := map[string]bool{}
	for _, p := range n.properties() {
		known[p.name] = true
	}
	for _, br := range n.oneOf() {
		for _, p := range n.c.node(br).properties() {
			known[p.name] = true
		}
	}
	out := map[string]any{}
	for k, v := range obj {
		if !known[k] {
			out[k] = v
		}
	}
	return out
}

// choice fills a choice field: the branch the value matches and its fields.
func (b *builder) choice(f *Field, n node, path string, v any, depth int) {
	branches := n.oneOf()
	f.ChoiceName = path + "#choice"
	f.Name = f.ChoiceName
	f.setID(inputID(f.ChoiceName))
	chosen := pickBranch(b.c, branches, v)
	f.Value = strconv.Itoa(chosen)
	for i, br := range branches {
		f.Options = append(f.Options, Option{Value: strconv.Itoa(i), Label: branchLabel(b.c.node(br), i), Selected: i == chosen})
	}
	bn := b.c.node(branches[chosen])
	if bn.mainType() == "object" || len(bn.properties()) > 0 {
		obj, _ := v.(map[string]any)
		f.Fields = b.object(bn, path, obj, depth).Fields
		if len(n.properties()) > 0 {
			// The branch shares its object with the properties beside the
			// oneOf: the object's own extras input carries what neither names.
			f.Fields = slices.DeleteFunc(f.Fields, func(x Field) bool { return x.Name == path+"#extra" })
		}
		return
	}
	f.Fields = []Field{b.field(bn, path, "", v, v != nil, true, depth+1)}
	f.Fields[0].Label = f.Options[chosen].Label
}

// pickBranch returns the oneOf branch a value is: the first it validates
// against, else the one with most of its properties given, else the first.
func pickBranch(c *compiled, branches []*jsonschema.Schema, v any) int {
	if v != nil {
		for i, br := range branches {
			if br.Validate(v) == nil {
				return i
			}
		}
	}
	obj, _ := v.(map[string]any)
	best, score := 0, 0
	for i, br := range branches {
		s := 0
		for _, p := range c.node(br).properties() {
			if _, ok := obj[p.name]; ok {
				s++
			}
		}
		if s > score {
			best, score = i, s
		}
	}
	return best
}

func branchLabel(n node, i int) string {
	if t := n.title(); t != "" {
		return t
	}
	for _, p := range n.properties() {
		if c := n.c.node(p.schema).constant(); c != nil {
			return optionLabel(*c)
		}
	}
	return fmt.Sprintf(words.Option, i+1)
}

func (b *builder) array(n node, path, name string, arr []any, required bool, depth int) Field {
	f := b.base(n, path, name, required)
	f.Kind = KindArray
	f.CountName = path + "#len"
	item := b.c.node(n.items())
	maxN, minN := n.maxItems(), n.minItems()
	f.CanAdd = maxN == nil || len(arr) < *maxN
	for i, v := range arr {
		p := fmt.Sprintf("%s[%d]", path, i)
		it := b.field(item, p, "", v, true, true, depth+1)
		if item.title() == "" {
			it.Label = f.Label
		}
		it.Index, it.Position, it.Parent = i, i+1, path
		it.First, it.Last = i == 0, i == len(arr)-1
		it.CanRemove = minN == nil || len(arr) > *minN
		// An item is there because it was added: the array's own minItems,
		// not a mark on each item, says how many are needed.
		it.Required = false
		f.Items = append(f.Items, it)
	}
	return f
}

// defaults returns the config a new block starts with when it gives none:
// the schema's defaults, in the objects the schema requires.
func defaults(c *compiled, n node) any { return defaultsAt(c, n, 0) }

func defaultsAt(c *compiled, n node, depth int) any {
	if d := n.deflt(); d != nil {
		return *d
	}
	if n.mainType() != "object" || depth > maxDepth {
		return nil
	}
	obj := map[string]any{}
	for _, p := range n.properties() {
		pn := c.node(p.schema)
		if d := pn.deflt(); d != nil {
			obj[p.name] = *d
		} else if p.required && pn.mainType() == "object" {
			if v := defaultsAt(c, pn, depth+1); v != nil {
				obj[p.name] = v
			}
		}
	}
	return obj
}

// newItem is what "add" appends to an array: the item schema's default, or
// an empty value of its type.
func newItem(c *compiled, n node) (any, bool) {
	if d := n.deflt(); d != nil {
		return *d, true
	}
	switch kindOf(n) {
	case KindObject, KindChoice:
		if n.mainType() == "object" || len(n.properties()) > 0 {
			return defaults(c, n), true
		}
		return nil, false
	case KindArray:
		return []any{}, true
	case KindBoolean:
		return false, true
	case KindText, KindTextarea, KindMarkdown, KindURL, KindEmail, KindDate, KindDateTime:
		return "", true
	}
	return nil, false
}

func decodeJSON(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("more than one JSON value")
	}
	return v, nil
}

// scalarText is a value as a text input shows it.
func scalarText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// jsonText is a value as JSON, the form of enum options and hidden values;
// "" when absent.
func jsonText(v any, present bool) string {
	if !present {
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func optionLabel(v any) string {
	if s, ok := v.(string); ok {
		if s == "" {
			return words.Empty
		}
		return humanize(s)
	}
	return scalarText(v)
}

func ratText(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	return strings.TrimRight(strings.TrimRight(r.FloatString(10), "0"), ".")
}

// inputID turns a path into an HTML id: "cfg-buttons-1-url".
func inputID(path string) string {
	var b strings.Builder
	b.WriteString("cfg")
	sep := true
	for _, r := range path {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
			sep = true
			continue
		}
		if sep {
			b.WriteByte('-')
			sep = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// humanize turns a property name or an enum value into a label:
// "linkUrl" → "Link URL", "deals_won" → "Deals won".
func humanize(s string) string {
	if s == "" {
		return ""
	}
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r == '_' || r == '-' || r == ' ' || r == '.':
			flush()
		case unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1]))):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	for i, w := range words {
		lw := strings.ToLower(w)
		switch lw {
		case "url", "id", "ids", "uri", "api", "faq", "pdf":
			words[i] = strings.ToUpper(lw)
			if lw == "ids" {
				words[i] = "IDs"
			}
			continue
		}
		if i == 0 {
			r := []rune(lw)
			r[0] = unicode.ToUpper(r[0])
			words[i] = string(r)
		} else {
			words[i] = lw
		}
	}
	return strings.Join(words, " ")
}
