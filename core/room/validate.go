package room

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/core/audience"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/sdk"
	sdki18n "github.com/atriumhq/atrium/sdk/i18n"
	"github.com/uptrace/bun"
)

// Types is what validation needs to know about block and room types.
type Types interface {
	PrepareConfig(ctx context.Context, blockType string, version int, config json.RawMessage) (json.RawMessage, int, error)
	RoomInfo(name string) (sdk.RoomInfo, bool)
}

// Problem is one thing wrong with one room of a set being applied.
type Problem struct {
	Index   int    // position of the room in the input; -1 when not about one room
	Path    string // inside the room: "blocks[1].config.url"; "" for the room itself
	Message string // in English: room files, the API and logs read it
	// Text is the catalogue message behind Message, for the builder to
	// word in the reader's language; without an id, Message is shown.
	Text fail.Text
}

// In words the problem's message in l's language.
func (p Problem) In(l *sdki18n.Locale) string {
	if p.Text.ID == "" {
		return p.Message
	}
	return p.Text.In(l)
}

// problemOf is a problem worded from the catalogue.
func problemOf(idx int, path, id string, args ...any) Problem {
	t := fail.T(id, args...)
	return Problem{Index: idx, Path: path, Message: t.English(), Text: t}
}

// ValidationError lists every problem found; nothing was changed.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("\n")
		}
		if p.Index >= 0 {
			fmt.Fprintf(&b, "room %d: ", p.Index+1)
		}
		if p.Path != "" {
			b.WriteString(p.Path + ": ")
		}
		b.WriteString(p.Message)
	}
	return b.String()
}

var (
	keyRE  = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$`)
	iconRE = regexp.MustCompile(`^[a-z0-9-]{1,40}$`)
	// langRE is a language tag of a translation: "de", "pt-BR", "zh-Hant".
	langRE = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)
)

// MaxBlocks bounds the blocks of one room.
const MaxBlocks = 100

// validator checks rooms against the program, the registered types and the
// partner directory, and normalises them for storing (configs canonical and
// migrated to the current schema version).
type validator struct {
	types         Types
	prog          program.Program
	partnerExists func(string) bool
}

// newValidator reads what validation checks against (the program and the
// partners) through db.
func newValidator(ctx context.Context, db bun.IDB, types Types) (*validator, error) {
	prog, err := program.Load(ctx, db)
	if err != nil {
		return nil, err
	}
	slugs, err := directory.New(db).PartnerSlugs(ctx)
	if err != nil {
		return nil, err
	}
	return &validator{types: types, prog: prog, partnerExists: func(s string) bool { return slugs[s] }}, nil
}

// room checks one room and returns it normalised, adding problems to errs.
func (v *validator) room(ctx context.Context, idx int, r Room, errs *[]Problem) Room {
	add := func(path, id string, args ...any) {
		*errs = append(*errs, problemOf(idx, path, id, args...))
	}
	r.Slug = strings.TrimSpace(r.Slug)
	r.Title = strings.TrimSpace(r.Title)
	if !keyRE.MatchString(r.Slug) {
		add("slug", "invalid.staff.room.slug")
	}
	if r.Name != "" && !keyRE.MatchString(r.Name) {
		add("name", "invalid.staff.room.name")
	}
	r.Name = r.Key()
	switch {
	case r.Title == "":
		add("title", "invalid.staff.required")
	case len(r.Title) > 100:
		add("title", "invalid.staff.at-most-chars", "Max", 100)
	}
	for _, lang := range slices.Sorted(maps.Keys(r.Titles)) {
		t := strings.TrimSpace(r.Titles[lang])
		switch {
		case !langRE.MatchString(lang):
			add("title."+lang, "invalid.staff.room.lang-tag")
		case t == "":
			add("title."+lang, "invalid.staff.room.empty")
		case len(t) > 100:
			add("title."+lang, "invalid.staff.at-most-chars", "Max", 100)
		}
		r.Titles[lang] = t
	}
	if len(r.Titles) == 0 {
		r.Titles = nil
	}
	if r.Icon != "" && !iconRE.MatchString(r.Icon) {
		add("icon", "invalid.staff.room.icon")
	}
	var defaults []sdk.BlockSpec
	if r.Type != "" {
		info, ok := v.types.RoomInfo(r.Type)
		if !ok {
			add("type", "invalid.staff.room.unknown-type", "Type", strconv.Quote(r.Type))
		}
		defaults = info.DefaultBlocks
	}
	if len(r.PartnerTypes) == 0 {
		add("partnerTypes", "invalid.staff.room.partner-types", "Types", strings.Join(v.prog.PartnerTypes, ", "))
	}
	for i, t := range r.PartnerTypes {
		if !v.prog.HasType(t) {
			add(fmt.Sprintf("partnerTypes[%d]", i), "invalid.staff.room.unknown-partner-type", "Type", strconv.Quote(t), "Types", strings.Join(v.prog.PartnerTypes, ", "))
		}
		if slices.Index(r.PartnerTypes, t) < i {
			add(fmt.Sprintf("partnerTypes[%d]", i), "invalid.staff.room.listed-twice", "Value", strconv.Quote(t))
		}
	}
	v.audience(idx, "audience", r.Audience, errs)
	if len(r.Blocks) > MaxBlocks {
		add("blocks", "invalid.staff.room.max-blocks", "Max", MaxBlocks)
	}
	seen := map[string]int{}
	for _, d := range defaults {
		seen[d.ID] = -1
	}
	for i, b := range r.Blocks {
		path := fmt.Sprintf("blocks[%d]", i)
		switch prev, dup := seen[b.ID]; {
		case !keyRE.MatchString(b.ID):
			add(path+".id", "invalid.staff.room.block-id")
		case dup && prev < 0:
			add(path+".id", "invalid.staff.room.block-id-provided", "ID", strconv.Quote(b.ID), "Type", strconv.Quote(r.Type))
		case dup:
			add(path+".id", "invalid.staff.room.block-id-twice", "ID", strconv.Quote(b.ID), "Other", prev)
		}
		seen[b.ID] = i
		v.audience(idx, path+".audience", b.Audience, errs)
		if b.Type == "" {
			add(path+".type", "invalid.staff.required")
			continue
		}
		cfg, ver, err := v.types.PrepareConfig(ctx, b.Type, b.SchemaVersion, b.Config)
		var ce *registry.ConfigError
		switch {
		case errors.Is(err, registry.ErrUnknownType):
			add(path+".type", "invalid.staff.room.unknown-block-type", "Type", strconv.Quote(b.Type))
		case errors.As(err, &ce):
			for _, p := range ce.Problems {
				cp := path + ".config"
				if p.Path != "" {
					if !strings.HasPrefix(p.Path, "[") {
						cp += "."
					}
					cp += p.Path
				}
				*errs = append(*errs, Problem{Index: idx, Path: cp, Message: p.Message, Text: p.Text})
			}
		case err != nil:
			*errs = append(*errs, Problem{Index: idx, Path: path + ".config", Message: err.Error()})
		default:
			r.Blocks[i].Config, r.Blocks[i].SchemaVersion = cfg, ver
		}
	}
	return r
}

func (v *validator) audience(idx int, path string, a sdk.Audience, errs *[]Problem) {
	err := audience.Validate(a, v.prog, v.partnerExists)
	if err == nil {
		return
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		field, msg, ok := strings.Cut(line, ": ")
		if !ok {
			field, msg = "", line
		}
		p := path
		if field != "" {
			p += "." + field
		}
		*errs = append(*errs, Problem{Index: idx, Path: p, Message: msg})
	}
}

// set checks the rules that span rooms, over the whole state after an apply:
// names unique, one room per slug per partner type, and a room type that is
// once per partner type at most once for each.
func (v *validator) set(rooms []Room, indexOf func(name string) int, errs *[]Problem) {
	byName := map[string]bool{}
	slugOwner := map[string]string{} // partnerType/slug -> room name
	typeOwner := map[string]string{} // partnerType/roomType -> room name
	for _, r := range rooms {
		idx := indexOf(r.Name)
		if byName[r.Name] {
			*errs = append(*errs, problemOf(idx, "name", "invalid.staff.room.name-twice", "Name", strconv.Quote(r.Name)))
		}
		byName[r.Name] = true
		once := false
		if r.Type != "" {
			info, _ := v.types.RoomInfo(r.Type)
			once = info.OncePerPartnerType
		}
		for _, pt := range r.PartnerTypes {
			k := pt + "/" + r.Slug
			if other, ok := slugOwner[k]; ok && other != r.Name {
				*errs = append(*errs, problemOf(idx, "slug", "invalid.staff.room.slug-taken", "Other", strconv.Quote(other), "Slug", strconv.Quote(r.Slug), "Type", strconv.Quote(pt)))
			}
			slugOwner[k] = r.Name
			if once {
				k := pt + "/" + r.Type
				if other, ok := typeOwner[k]; ok && other != r.Name {
					*errs = append(*errs, problemOf(idx, "type", "invalid.staff.room.once", "Type", strconv.Quote(r.Type), "Other", strconv.Quote(other), "PartnerType", strconv.Quote(pt)))
				}
				typeOwner[k] = r.Name
			}
		}
	}
}
