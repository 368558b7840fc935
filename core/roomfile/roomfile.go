// Package roomfile reads and writes room files: YAML (or JSON) documents of
// kind Room or Program, apiVersion atrium/v1. It validates each document
// against a published JSON Schema, keeps the line of every value so that each
// problem names its file, line and path, and exports rooms in a form that
// applies back unchanged.
//
//	apiVersion: atrium/v1
//	kind: Room
//	slug: training
//	title: Training Portal
//	partnerTypes: [referral, reseller]
//	blocks:
//	  - id: welcome
//	    type: text
//	    config: { markdown: "## Welcome" }
package roomfile

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/room"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// APIVersion is the version of the file format.
const APIVersion = "atrium/v1"

// Kinds of document.
const (
	KindRoom    = "Room"
	KindProgram = "Program"
)

// Document is one document of a room file.
type Document struct {
	File    string // as given to Load or Parse
	Line    int    // line where the document starts
	Kind    string
	Room    *room.Room
	Program *program.Program
	lines   map[string]int // path inside the document -> line
	// base is the revision named by the document's revision comment, on
	// line baseLine (0: the document has none); see base.go.
	base     int64
	baseLine int
}

// LineOf returns the line of the value at path ("blocks[1].config.url"), or of
// the nearest enclosing value the file has.
func (d Document) LineOf(path string) int {
	for p := path; ; {
		if l, ok := d.lines[p]; ok {
			return l
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			return d.Line
		}
		p = p[:i]
	}
}

// Problem is one thing wrong in one file.
type Problem struct {
	File    string
	Line    int
	Path    string
	Message string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Path != "" {
		b.WriteString(p.Path + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Error lists every problem found in a set of files.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Load reads every document of the given files and folders (folders are read
// recursively for *.yaml, *.yml and *.json, in name order). It reports every
// problem of every file at once, as an *Error.
func Load(paths ...string) ([]Document, error) {
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, &Error{[]Problem{{File: p, Message: "cannot read: " + pathErr(err)}}}
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != p {
				return filepath.SkipDir
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".yaml", ".yml", ".json":
				if !d.IsDir() {
					files = append(files, path)
				}
			}
			return nil
		})
		if err != nil {
			return nil, &Error{[]Problem{{File: p, Message: "cannot read: " + pathErr(err)}}}
		}
	}
	slices.Sort(files)
	var docs []Document
	var problems []Problem
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			problems = append(problems, Problem{File: f, Message: "cannot read: " + pathErr(err)})
			continue
		}
		ds, err := Parse(f, data)
		var fe *Error
		switch {
		case errors.As(err, &fe):
			problems = append(problems, fe.Problems...)
		case err != nil:
			problems = append(problems, Problem{File: f, Message: err.Error()})
		}
		docs = append(docs, ds...)
	}
	if len(problems) > 0 {
		return docs, &Error{problems}
	}
	if len(docs) == 0 {
		return nil, &Error{[]Problem{{File: strings.Join(paths, ", "), Message: "no room files found (*.yaml, *.yml, *.json)"}}}
	}
	return docs, nil
}

func pathErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// maxNodes bounds the size of one document, so a hostile file (or a YAML
// alias bomb) cannot exhaust memory.
const maxNodes = 200_000

// Parse reads the documents of one file. JSON files are YAML too.
func Parse(name string, data []byte) ([]Document, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []Document
	var problems []Problem
	for i := 0; ; i++ {
		var root yaml.Node
		err := dec.Decode(&root)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			problems = append(problems, Problem{File: name, Line: yamlErrLine(err), Message: "invalid YAML: " + yamlErrText(err)})
			break // the decoder cannot resume after a syntax error
		}
		if root.Kind == 0 || (root.Kind == yaml.DocumentNode && len(root.Content) == 0) {
			continue // empty document, as between two "---"
		}
		doc := Document{File: name, Line: root.Line, lines: map[string]int{}}
		budget := maxNodes
		val, err := convert(&root, "", doc.lines, &budget, 0)
		if err != nil {
			problems = append(problems, Problem{File: name, Line: root.Line, Message: err.Error()})
			continue
		}
		ps := doc.decode(val)
		problems = append(problems, ps...)
		if doc.Kind == KindRoom {
			doc.base, doc.baseLine, _ = findBase(data, firstLine(&root))
		}
		if len(ps) == 0 {
			docs = append(docs, doc)
		}
	}
	if len(problems) > 0 {
		return docs, &Error{problems}
	}
	return docs, nil
}

// firstLine is the line of a document's first key (comments above it are
// not part of the node).
func firstLine(n *yaml.Node) int {
	for n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n.Kind == yaml.MappingNode && len(n.Content) > 0 {
		return n.Content[0].Line
	}
	return n.Line
}

// decode checks a document against the schema of its kind and fills it.
func (d *Document) decode(val any) []Problem {
	obj, ok := val.(map[string]any)
	if !ok {
		return []Problem{{File: d.File, Line: d.Line, Message: "a document must be a mapping with apiVersion and kind"}}
	}
	if v, _ := obj["apiVersion"].(string); v != APIVersion {
		return []Problem{{File: d.File, Line: d.LineOf("apiVersion"), Path: "apiVersion", Message: fmt.Sprintf("must be %q (got %v)", APIVersion, obj["apiVersion"])}}
	}
	d.Kind, _ = obj["kind"].(string)
	sch, ok := compiledSchemas()[d.Kind]
	if !ok {
		return []Problem{{File: d.File, Line: d.LineOf("kind"), Path: "kind", Message: fmt.Sprintf("must be Room or Program (got %v)", obj["kind"])}}
	}
	if err := sch.Validate(val); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return []Problem{{File: d.File, Line: d.Line, Message: err.Error()}}
		}
		var out []Problem
		for _, p := range registry.SchemaProblems(ve) {
			out = append(out, Problem{File: d.File, Line: d.LineOf(p.Path), Path: p.Path, Message: p.Message})
		}
		return out
	}
	// Titles by language are the room's title and its translations.
	titles, byLang := obj["title"].(map[string]any)
	if byLang {
		obj = maps.Clone(obj)
		delete(obj, "title")
		val = obj
	}
	raw, err := json.Marshal(val)
	if err != nil {
		return []Problem{{File: d.File, Line: d.Line, Message: err.Error()}}
	}
	switch d.Kind {
	case KindRoom:
		d.Room = &room.Room{}
		err = json.Unmarshal(raw, d.Room)
		if byLang {
			d.Room.Title, d.Room.Titles = splitTitles(titles)
		}
	case KindProgram:
		p := program.Default()
		err = json.Unmarshal(raw, &p)
		d.Program = &p
	}
	if err != nil {
		return []Problem{{File: d.File, Line: d.Line, Message: err.Error()}}
	}
	return nil
}

// convert turns a YAML node into plain JSON-compatible values and records the
// line of each path.
func convert(n *yaml.Node, path string, lines map[string]int, budget *int, depth int) (any, error) {
	*budget--
	if *budget < 0 {
		return nil, errors.New("document too large")
	}
	if depth > 64 {
		return nil, errors.New("document nested too deeply")
	}
	lines[path] = n.Line
	switch n.Kind {
	case yaml.DocumentNode:
		return convert(n.Content[0], path, lines, budget, depth+1)
	case yaml.AliasNode:
		return convert(n.Alias, path, lines, budget, depth+1)
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" {
				return nil, fmt.Errorf("line %d: merge keys (<<) are not supported", k.Line)
			}
			key := k.Value
			child := key
			if path != "" {
				child = path + "." + key
			}
			if _, dup := out[key]; dup {
				return nil, fmt.Errorf("line %d: %s appears twice", k.Line, child)
			}
			cv, err := convert(v, child, lines, budget, depth+1)
			if err != nil {
				return nil, err
			}
			lines[child] = k.Line
			out[key] = cv
		}
		return out, nil
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			cv, err := convert(c, fmt.Sprintf("%s[%d]", path, i), lines, budget, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = cv
		}
		return out, nil
	case yaml.ScalarNode:
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, fmt.Errorf("line %d: %v", n.Line, err)
		}
		switch x := v.(type) {
		case int:
			return json.Number(fmt.Sprint(x)), nil
		case float64:
			return json.Number(fmt.Sprint(x)), nil
		case uint64, int64:
			return json.Number(fmt.Sprint(x)), nil
		}
		if s, ok := v.(string); ok || v == nil || isBool(v) {
			if ok {
				return s, nil
			}
			return v, nil
		}
		// Timestamps and other YAML types become their text.
		return n.Value, nil
	}
	return nil, fmt.Errorf("line %d: unsupported YAML node", n.Line)
}

func isBool(v any) bool { _, ok := v.(bool); return ok }

// yamlErrLine and yamlErrText pick the line out of a yaml.v3 error message
// ("yaml: line 3: did not find expected key").
func yamlErrLine(err error) int {
	var line int
	msg := err.Error()
	if i := strings.Index(msg, "line "); i >= 0 {
		fmt.Sscanf(msg[i+5:], "%d", &line)
	}
	return line
}

func yamlErrText(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "line ") {
		return msg[i+2:]
	}
	return msg
}

//go:embed schema/*.json
var schemaFiles embed.FS

// Schema returns the JSON Schema of a document kind, for editors and docs.
func Schema(kind string) []byte {
	name := map[string]string{KindRoom: "room", KindProgram: "program"}[kind]
	b, _ := schemaFiles.ReadFile("schema/" + name + ".schema.json")
	return b
}

// compiledSchemas compiles the document schemas once, on first use.
var compiledSchemas = sync.OnceValue(func() map[string]*jsonschema.Schema {
	c := jsonschema.NewCompiler()
	for _, n := range []string{"audience", "room", "program"} {
		b, err := schemaFiles.ReadFile("schema/" + n + ".schema.json")
		if err != nil {
			panic(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			panic(fmt.Sprintf("schema %s: %v", n, err))
		}
		if err := c.AddResource("https://atrium.dev/schema/v1/"+n+".json", doc); err != nil {
			panic(err)
		}
	}
	return map[string]*jsonschema.Schema{
		KindRoom:    c.MustCompile("https://atrium.dev/schema/v1/room.json"),
		KindProgram: c.MustCompile("https://atrium.dev/schema/v1/program.json"),
	}
})
