package roomfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/sdk"
	"go.yaml.in/yaml/v3"
)

// roomYAML fixes the order of keys in an exported room file.
type roomYAML struct {
	APIVersion   string        `yaml:"apiVersion"`
	Kind         string        `yaml:"kind"`
	Name         string        `yaml:"name,omitempty"`
	Slug         string        `yaml:"slug"`
	Title        any           `yaml:"title"` // a string, or titles by language
	Icon         string        `yaml:"icon,omitempty"`
	Type         string        `yaml:"type,omitempty"`
	PartnerTypes []string      `yaml:"partnerTypes,flow"`
	Position     int           `yaml:"position"`
	Audience     *sdk.Audience `yaml:"audience,omitempty"`
	Blocks       []blockYAML   `yaml:"blocks,omitempty"`
}

type blockYAML struct {
	ID            string        `yaml:"id"`
	Type          string        `yaml:"type"`
	SchemaVersion int           `yaml:"schemaVersion,omitempty"`
	Audience      *sdk.Audience `yaml:"audience,omitempty"`
	Config        any           `yaml:"config,omitempty"`
}

type programYAML struct {
	APIVersion   string           `yaml:"apiVersion"`
	Kind         string           `yaml:"kind"`
	Name         string           `yaml:"name"`
	LogoURL      string           `yaml:"logoUrl,omitempty"`
	PrimaryColor string           `yaml:"primaryColor,omitempty"`
	PartnerTypes []string         `yaml:"partnerTypes,flow"`
	Tiers        []string         `yaml:"tiers,flow"`
	Stages       []string         `yaml:"stages,flow"`
	ContactRoles []string         `yaml:"contactRoles,flow"`
	EmbedHosts   []string         `yaml:"embedHosts,omitempty"`
	MaxUploadMB  int              `yaml:"maxUploadMb,omitempty"`
	Network      *program.Network `yaml:"network,omitempty"`
	Language     string           `yaml:"language,omitempty"`
}

// MarshalRoom writes one room as a YAML document.
func MarshalRoom(r room.Room) ([]byte, error) {
	out := roomYAML{APIVersion: APIVersion, Kind: KindRoom, Slug: r.Slug, Title: joinTitles(r.Title, r.Titles), Icon: r.Icon,
		Type: r.Type, PartnerTypes: r.PartnerTypes, Position: r.Position, Audience: audiencePtr(r.Audience)}
	if r.Name != "" && r.Name != r.Slug {
		out.Name = r.Name
	}
	for _, b := range r.Blocks {
		var cfg any
		if len(b.Config) > 0 {
			dec := json.NewDecoder(bytes.NewReader(b.Config))
			dec.UseNumber()
			if err := dec.Decode(&cfg); err != nil {
				return nil, fmt.Errorf("room %q block %q: %w", r.Key(), b.ID, err)
			}
			cfg = numbers(cfg)
		}
		by := blockYAML{ID: b.ID, Type: b.Type, Audience: audiencePtr(b.Audience), Config: cfg}
		if b.SchemaVersion > 1 {
			by.SchemaVersion = b.SchemaVersion // version 1 is the default; later ones must round-trip
		}
		out.Blocks = append(out.Blocks, by)
	}
	return encode(out)
}

// MarshalProgram writes the program as a YAML document.
func MarshalProgram(p program.Program) ([]byte, error) {
	return encode(programYAML{APIVersion: APIVersion, Kind: KindProgram, Name: p.Name, LogoURL: p.LogoURL,
		PrimaryColor: p.PrimaryColor, PartnerTypes: p.PartnerTypes, Tiers: p.Tiers, Stages: p.Stages,
		ContactRoles: p.ContactRoles, EmbedHosts: p.EmbedHosts, MaxUploadMB: p.MaxUploadMB,
		Network: p.Network, Language: p.Language})
}

// WriteDir exports the program and every room into dir, one file each
// (program.yaml, <room name>.yaml). A room with an entry in revisions starts
// with its revision comment (see RevisionComment). It returns the files
// written.
func WriteDir(dir string, p program.Program, rooms []room.Room, revisions map[string]int64) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var written []string
	write := func(name string, b []byte) error {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return err
		}
		written = append(written, path)
		return nil
	}
	b, err := MarshalProgram(p)
	if err != nil {
		return nil, err
	}
	if err := write("program.yaml", b); err != nil {
		return nil, err
	}
	for _, r := range rooms {
		b, err := MarshalRoom(r)
		if err != nil {
			return written, err
		}
		if n, ok := revisions[r.Key()]; ok {
			b = append([]byte(RevisionComment(n)), b...)
		}
		if err := write(r.Key()+".yaml", b); err != nil {
			return written, err
		}
	}
	return written, nil
}

func audiencePtr(a sdk.Audience) *sdk.Audience {
	if a.IsZero() {
		return nil
	}
	return &a
}

// numbers turns json.Number into int64 or float64 so YAML prints plain
// numbers rather than quoted strings.
func numbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = numbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = numbers(e)
		}
	}
	return v
}

func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
