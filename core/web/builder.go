package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/i18n"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/roomtemplate"
	"github.com/atriumhq/atrium/core/schemaform"
	"github.com/atriumhq/atrium/core/theme"
	"github.com/atriumhq/atrium/sdk"
	sdkcontent "github.com/atriumhq/atrium/sdk/content"
	"github.com/atriumhq/atrium/sdk/ui"
)

// The room builder's pages. They edit a room's draft (core/room): every
// change is a whole new document saved with the base the editor loaded, so
// a change made from an older state is refused and never overwrites
// someone else's. The pages are plain forms; the theme's script adds drag
// and drop and a live filter on top of the same forms.

// NewRoomPage is the page that starts a room: blank, from a template or as
// a copy of another room.
type NewRoomPage struct {
	Mode         string // blank, template or copy
	Title, Slug  string
	Template     string
	Source       string
	PartnerTypes []string // chosen
	Types        []string // the program's
	Templates    []roomtemplate.Template
	Rooms        []room.Status // rooms to copy
	// Errors are by field: a code the theme words (required, exists,
	// no-partner-types, no-template, no-source) or validation's message.
	Errors map[string]string
}

// RoomEditor is the editor of one room's draft.
type RoomEditor struct {
	Name  string
	Room  room.Room
	Base  room.Base
	State string // published, draft or draft-only
	// UpdatedBy and UpdatedAt say who saved the draft last.
	UpdatedBy   string
	UpdatedAt   time.Time
	ReviewAsked bool
	CanPublish  bool
	// CanSaveTemplate is true for admins, who keep rooms as templates.
	CanSaveTemplate bool
	// Errors are the room's problems that belong to no settings field;
	// SettingsErrors those of the settings form, by field name.
	Errors         []string
	SettingsErrors map[string]string
	Stale          *StaleNotice
	// TitleFields are the room's title in each language the portal ships
	// besides English, whose title is the room's title itself (as in room
	// files, where en is the title).
	TitleFields []TitleField

	Blocks   []EditorBlock
	Selected *SelectedBlock
	Palette  []PaletteGroup
	Query    string // the palette's filter
	Matches  int    // block types the filter kept

	Icons                              []string
	PartnerTypes, Tiers, Stages, Roles []string
	Partners                           []theme.PreviewPartner
	// PreviewURL opens the draft in the preview.
	PreviewURL string
}

// TitleField is the room's title in one language: empty when the room
// has none in it, and its readers see the room's title.
type TitleField struct {
	Lang  string // a language tag: de
	Name  string // the language named in itself: Deutsch
	Value string
	Error string
}

// StaleNotice says that a save was refused because someone else changed
// the room since the editor loaded it, and where to see their change.
type StaleNotice struct {
	What    string // draft or published
	By      string
	At      time.Time
	Now     int64
	DiffURL string
}

// EditorBlock is one block of the block list.
type EditorBlock struct {
	Index, Position int
	ID, Type        string
	Title, Icon     string
	Summary         string
	Plugin          string // the plugin that provides the type
	Known           bool   // the type is registered
	Audience        sdk.Audience
	Selected        bool
	First, Last     bool
}

// SelectedBlock is the block whose config form the editor shows.
type SelectedBlock struct {
	EditorBlock
	Description string
	Form        schemaform.Form
	// AudienceErrors are the problems of the block's audience.
	AudienceErrors []string
	// Preview is the block drawn as partners will see it (the preview's
	// viewer: every tier and stage); Hidden says its audience keeps it
	// from some partners.
	Preview template.HTML
	// Resources and Media are what the form's pickers offer.
	Resources []PickOption
	Media     []PickOption
	HasPicker bool
}

// PickOption is a library resource or media file a picker offers.
type PickOption struct {
	ID          int64
	Title, Kind string
}

// PaletteGroup is the block types of one source: the portal's content
// blocks, the portal's rooms, or one plugin.
type PaletteGroup struct {
	Source string // content, rooms or plugin
	Plugin string
	Types  []PaletteType
}

// PaletteType is a block type that can be added.
type PaletteType struct {
	Name, Title, Description, Icon string
}

func (s *Server) actor(r *http.Request) room.Actor {
	p := principal(r)
	return room.Actor{UserID: p.User.ID, Name: p.User.Name}
}

// roomURL is a builder page of the room.
func roomURL(name, page string) string {
	return "/admin/rooms/" + url.PathEscape(name) + "/" + page
}

// readForm parses a posted form with a bound on its size.
func (s *Server) readBuilderForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, tr(r, "error.bad-form-title"), tr(r, "error.bad-form"))
		return false
	}
	return true
}

// formBase reads the base a builder form carries in hidden fields.
func formBase(f url.Values) room.Base {
	v, _ := strconv.ParseInt(f.Get("draftVersion"), 10, 64)
	n, _ := strconv.ParseInt(f.Get("revision"), 10, 64)
	return room.Base{DraftVersion: v, Revision: n}
}

// newRoom shows the three ways to start a room.
func (s *Server) newRoom(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.newRoomPage(w, r, http.StatusOK, NewRoomPage{Mode: pick(q.Get("mode"), "template"), Template: q.Get("template"), Source: q.Get("source")})
}

func (s *Server) newRoomPage(w http.ResponseWriter, r *http.Request, status int, pg NewRoomPage) {
	pg.Types = s.catalog.Current().Program.PartnerTypes
	ts, err := s.Templates.List(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Templates = ts
	statuses, err := s.Rooms.Statuses(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Rooms = statuses
	if pg.Template == "" && len(pg.Templates) > 0 {
		pg.Template = pg.Templates[0].Name
	}
	s.page(w, r, status, "admin-room-new", tr(r, "builder.new.title"), pg)
}

// createRoom saves the new room's first draft and opens the editor.
func (s *Server) createRoom(w http.ResponseWriter, r *http.Request) {
	if !s.readBuilderForm(w, r) {
		return
	}
	f := r.PostForm
	pg := NewRoomPage{Mode: f.Get("mode"), Title: strings.TrimSpace(f.Get("title")), Slug: strings.TrimSpace(f.Get("slug")),
		Template: f.Get("template"), Source: f.Get("source"), PartnerTypes: f["partnerTypes"], Errors: map[string]string{}}
	if pg.Slug == "" {
		pg.Slug = slugOf(pg.Title)
	}
	if pg.Title == "" {
		pg.Errors["title"] = "required"
	}
	if len(pg.PartnerTypes) == 0 {
		pg.Errors["partnerTypes"] = "no-partner-types"
	}
	var doc room.Room
	switch pg.Mode {
	case "template":
		t, err := s.Templates.Get(r.Context(), pg.Template)
		if err != nil {
			pg.Errors["template"] = "no-template"
			break
		}
		doc = roomtemplate.Instantiate(t, pg.Slug, pg.Title, pg.PartnerTypes)
	case "copy":
		src, err := s.Rooms.Draft(r.Context(), pg.Source)
		if err != nil {
			pg.Errors["source"] = "no-source"
			break
		}
		doc = src.Room
		doc.Name, doc.Slug, doc.Title, doc.PartnerTypes, doc.Type = "", pg.Slug, pg.Title, pg.PartnerTypes, ""
	default:
		pg.Mode = "blank"
		doc = room.Room{Slug: pg.Slug, Title: pg.Title, PartnerTypes: pg.PartnerTypes, Icon: "folder"}
	}
	if len(pg.Errors) == 0 {
		if _, err := s.Rooms.Draft(r.Context(), pg.Slug); err == nil {
			pg.Errors["slug"] = "exists"
		}
	}
	if len(pg.Errors) > 0 {
		s.newRoomPage(w, r, http.StatusUnprocessableEntity, pg)
		return
	}
	doc.Name = pg.Slug
	doc.Position = s.nextPosition(r)
	if _, err := s.Rooms.SaveDraft(r.Context(), s.actor(r), pg.Slug, doc, room.Base{}); err != nil {
		var ve *room.ValidationError
		if errors.As(err, &ve) {
			for _, p := range readersProblems(r, ve.Problems) {
				key, _, _ := strings.Cut(p.Path, ".")
				key, _, _ = strings.Cut(key, "[")
				if key == "name" {
					key = "slug"
				}
				if key != "title" && key != "slug" && key != "partnerTypes" {
					key = "form"
				}
				if pg.Errors[key] == "" {
					pg.Errors[key] = pathMessage(p)
				}
			}
			s.newRoomPage(w, r, http.StatusUnprocessableEntity, pg)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setNotice(w, r, "success", "room-created", pg.Title)
	http.Redirect(w, r, roomURL(pg.Slug, "edit"), http.StatusSeeOther)
}

// nextPosition puts a new room after every other in the navigation.
func (s *Server) nextPosition(r *http.Request) int {
	maxPos := 0
	for _, rm := range s.catalog.Current().Rooms {
		maxPos = max(maxPos, rm.Position)
	}
	return maxPos/10*10 + 10
}

// slugOf derives a room slug from a title: "Q1 Launch" → "q1-launch".
func slugOf(title string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(title) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteRune(c)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// readersProblems words a refused room's problems in the reader's
// language (their Message), for the builder's fields and notices.
func readersProblems(r *http.Request, problems []room.Problem) []room.Problem {
	l := loc(r)
	out := make([]room.Problem, len(problems))
	for i, p := range problems {
		out[i] = p
		out[i].Message = p.In(l)
	}
	return out
}

func pathMessage(p room.Problem) string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// editorState is what the editor shows beyond the stored draft: a
// document not saved (refused, or being edited), the problems found in
// it, a refused save's stale notice.
type editorState struct {
	doc      *room.Room
	base     *room.Base
	selected string
	problems []room.Problem
	stale    *room.StaleError
}

// editRoom shows the editor of a room's draft; ?block= selects a block and
// ?q= filters the palette.
func (s *Server) editRoom(w http.ResponseWriter, r *http.Request) {
	s.editor(w, r, http.StatusOK, r.PathValue("name"), editorState{selected: r.URL.Query().Get("block")})
}

func (s *Server) editor(w http.ResponseWriter, r *http.Request, status int, name string, st editorState) {
	ctx := r.Context()
	d, err := s.Rooms.Draft(ctx, name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st.problems = readersProblems(r, st.problems)
	snap := s.catalog.Current()
	prog := snap.Program
	ed := RoomEditor{Name: name, Room: d.Room, Base: d.Base(), State: room.StatePublished, UpdatedBy: d.UpdatedBy, UpdatedAt: d.UpdatedAt,
		ReviewAsked: d.ReviewRequestedAt != nil, CanPublish: s.can(r, directory.PermPublishRooms),
		CanSaveTemplate: principal(r).IsAdmin(),
		Query:           strings.TrimSpace(r.URL.Query().Get("q")), Icons: s.Theme.Icons(), PartnerTypes: prog.PartnerTypes, Tiers: prog.Tiers,
		Stages: prog.Stages, Roles: prog.ContactRoles, SettingsErrors: map[string]string{},
		PreviewURL: roomURL(name, "preview") + "?draft=1"}
	if d.Version > 0 {
		ed.State = room.StateDraft
		if !d.Published {
			ed.State = room.StateDraftOnly
		}
	}
	if st.doc != nil {
		ed.Room = *st.doc
	}
	if st.base != nil {
		ed.Base = *st.base
	}
	if st.stale != nil {
		ed.Stale = &StaleNotice{What: st.stale.What, By: st.stale.By, At: st.stale.At, Now: st.stale.Now,
			DiffURL: roomURL(name, "diff") + "?from=published&to=draft"}
		if st.stale.What == "published" && st.base != nil && st.base.Revision > 0 && st.stale.Now > 0 {
			ed.Stale.DiffURL = roomURL(name, "diff") + fmt.Sprintf("?from=%d&to=%d", st.base.Revision, st.stale.Now)
		}
	}
	pf := directory.PartnerFilter{PerPage: 200}
	pf.Within = s.managedPartnerIDs(r)
	if partners, err := s.Dir.ListPartners(ctx, pf); err == nil {
		for _, pt := range partners.Items {
			ed.Partners = append(ed.Partners, theme.PreviewPartner{Slug: pt.Slug, Name: pt.Name})
		}
	}
	// The problems of the blocks go to the selected block's form; those
	// of the room's settings to their fields.
	blockProblems := map[int]bool{}
	for _, p := range st.problems {
		if i, ok := problemBlock(p.Path); ok {
			blockProblems[i] = true
			if st.selected == "" && i < len(ed.Room.Blocks) {
				st.selected = ed.Room.Blocks[i].ID
			}
			continue
		}
		key, _, _ := strings.Cut(p.Path, ".")
		key, _, _ = strings.Cut(key, "[")
		if p.Path == "" || key == "name" {
			ed.Errors = append(ed.Errors, p.Message)
			continue
		}
		// A title in another language sits beside its own field; one in a
		// language the form has no field for, above the editor.
		if lang, ok := strings.CutPrefix(p.Path, "title."); ok {
			if !slices.Contains(titleLanguages(), lang) {
				ed.Errors = append(ed.Errors, pathMessage(p))
			} else if ed.SettingsErrors[p.Path] == "" {
				ed.SettingsErrors[p.Path] = p.Message
			}
			continue
		}
		if strings.HasPrefix(p.Path, "audience.") {
			key = p.Path[len("audience."):]
			key, _, _ = strings.Cut(key, "[")
		}
		if !settingsFields[key] {
			ed.Errors = append(ed.Errors, pathMessage(p))
			continue
		}
		if ed.SettingsErrors[key] == "" {
			ed.SettingsErrors[key] = p.Message
		} else {
			ed.SettingsErrors[key] += "; " + p.Message
		}
	}
	for _, o := range i18n.Options() {
		if slices.Contains(titleLanguages(), o.Tag) {
			ed.TitleFields = append(ed.TitleFields, TitleField{Lang: o.Tag, Name: o.Name, Value: ed.Room.Titles[o.Tag], Error: ed.SettingsErrors["title."+o.Tag]})
		}
	}
	for i, b := range ed.Room.Blocks {
		eb := EditorBlock{Index: i, Position: i + 1, ID: b.ID, Type: b.Type, Title: b.Type, Audience: b.Audience,
			Summary: summary(b.Config), First: i == 0, Last: i == len(ed.Room.Blocks)-1, Selected: b.ID == st.selected}
		if bt, ok := s.Registry.Block(b.Type); ok {
			eb.Title, eb.Icon, eb.Plugin, eb.Known = bt.Info.Title, bt.Info.Icon, bt.Plugin, true
			// The list speaks of a block's text in the editor's language.
			eb.Summary = summary(bt.ConfigIn(b.Config, loc(r).Lang()))
		}
		ed.Blocks = append(ed.Blocks, eb)
		if eb.Selected {
			sel, err := s.selectedBlock(r, ed.Room, i, eb, st.problems)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			ed.Selected = sel
		}
	}
	roomPlugins := map[string]bool{}
	for _, rt := range s.Registry.RoomTypes() {
		roomPlugins[rt.Plugin] = true
	}
	ed.Palette, ed.Matches = palette(s.Registry.Blocks(), roomPlugins, ed.Query)
	s.page(w, r, status, "admin-room-edit", tr(r, "builder.edit.page-title", "Title", ed.Room.Title), ed)
}

// titleLanguages are the languages the settings form offers a title in:
// every language the portal ships but English, whose title is the room's
// title (room files say en: for it, and keep no second English title).
func titleLanguages() []string {
	var out []string
	for _, o := range i18n.Options() {
		if o.Tag != "en" {
			out = append(out, o.Tag)
		}
	}
	return out
}

// translationLanguages are the languages a block's translatable texts are
// offered in besides the default, as the room's titles are.
func translationLanguages() []schemaform.Language {
	var out []schemaform.Language
	for _, o := range i18n.Options() {
		if slices.Contains(titleLanguages(), o.Tag) {
			out = append(out, schemaform.Language{Tag: o.Tag, Name: o.Name})
		}
	}
	return out
}

// settingsFields are the settings form's fields a problem can sit beside;
// problems of anything else are shown above the editor.
var settingsFields = map[string]bool{"title": true, "slug": true, "icon": true, "partnerTypes": true, "position": true,
	"tiers": true, "minTier": true, "stages": true, "roles": true, "partners": true}

// problemBlock reads the block index of a problem path "blocks[2]...".
func problemBlock(path string) (int, bool) {
	rest, ok := strings.CutPrefix(path, "blocks[")
	if !ok {
		return 0, false
	}
	n, _, ok := strings.Cut(rest, "]")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(n)
	return i, err == nil
}

// selectedBlock builds the config form, the pickers and the live preview
// of block i.
func (s *Server) selectedBlock(r *http.Request, rm room.Room, i int, eb EditorBlock, problems []room.Problem) (*SelectedBlock, error) {
	b := rm.Blocks[i]
	sel := &SelectedBlock{EditorBlock: eb}
	var schema json.RawMessage
	if bt, ok := s.Registry.Block(b.Type); ok {
		schema, sel.Description = bt.Info.ConfigSchema, bt.Info.Description
	}
	if len(schema) == 0 {
		schema = json.RawMessage(`{"type":"object"}`)
	}
	prefix := fmt.Sprintf("blocks[%d].audience", i)
	for _, p := range problems {
		if strings.HasPrefix(p.Path, prefix) {
			sel.AudienceErrors = append(sel.AudienceErrors, strings.TrimPrefix(strings.TrimPrefix(p.Path, prefix), ".")+": "+p.Message)
		}
	}
	form, err := schemaform.Build(schema, b.Config, schemaform.Problems(problems, i), translationLanguages()...)
	if err != nil {
		return nil, fmt.Errorf("config form of block %q: %w", b.ID, err)
	}
	sel.Form = form.Prefixed("config.")
	sel.HasPicker = hasPicker(form.Fields)
	if sel.HasPicker && s.Content != nil {
		lv := s.Content.LibraryViewer(principal(r))
		if page, err := s.Content.Library.List(r.Context(), lv, sdkcontent.ResourceQuery{Limit: 200}); err == nil {
			for _, it := range page.Items {
				sel.Resources = append(sel.Resources, PickOption{ID: it.ID, Title: it.Title, Kind: it.ContentType})
			}
		}
		if page, err := s.Content.Library.List(r.Context(), lv, sdkcontent.ResourceQuery{Collection: sdkcontent.Media, Limit: 200}); err == nil {
			for _, it := range page.Items {
				if it.FileID > 0 {
					sel.Media = append(sel.Media, PickOption{ID: it.FileID, Title: it.Title, Kind: it.ContentType})
				}
			}
		}
	}
	sel.Preview = s.blockPreview(r, rm, b)
	return sel, nil
}

func hasPicker(fs []schemaform.Field) bool {
	for _, f := range fs {
		if f.Kind == schemaform.KindResource || f.Kind == schemaform.KindMedia || hasPicker(f.Fields) || hasPicker(f.Items) {
			return true
		}
	}
	return false
}

// blockPreview draws one block of a draft as a partner of the room's first
// partner type at the highest tier and stage would see it, ignoring its
// audience (the list says who it is for).
func (s *Server) blockPreview(r *http.Request, rm room.Room, b room.Block) template.HTML {
	snap := s.catalog.Current()
	b.Audience = sdk.Audience{}
	one := rm
	one.Audience, one.Blocks = sdk.Audience{}, []room.Block{b}
	v := sdk.Viewer{UserID: principal(r).User.ID, Name: tr(r, "builder.preview.viewer"), Role: sdk.RolePartnerUser, Preview: true,
		Locale:  i18n.Lang(r.Context()),
		Partner: &sdk.Partner{Name: tr(r, "builder.preview.partner"), Type: first(rm.PartnerTypes), Tier: last(snap.Program.Tiers), Stage: last(snap.Program.Stages)}}
	results := s.Renderer.Room(r.Context(), &one, v, snap.Program)
	if len(results) == 0 {
		return ""
	}
	out := s.drawBlock(r, &one, v, results[0], snap, nil)
	// The preview is sent alone, not placed on a page: put its pieces back.
	h, err := out.WrappedPieces.Expand(out.Wrapped)
	if err != nil {
		s.Log.Error("block preview could not be drawn", "block", b.ID, "err", err)
		return ""
	}
	return h
}

// summary is a line that tells one block from another: its title, heading
// or the start of its text.
func summary(config json.RawMessage) string {
	var c map[string]any
	if json.Unmarshal(config, &c) != nil {
		return ""
	}
	for _, k := range []string{"title", "heading", "question", "label", "markdown", "intro", "text", "url"} {
		if v, ok := c[k].(string); ok && strings.TrimSpace(v) != "" {
			line := strings.TrimSpace(v)
			if i := strings.IndexByte(line, '\n'); i > 0 {
				line = line[:i]
			}
			line = strings.TrimLeft(line, "# ")
			if len([]rune(line)) > 80 {
				line = string([]rune(line)[:79]) + "…"
			}
			return line
		}
	}
	return ""
}

// palette groups the registered block types by where they come from, kept
// to those matching query (title, name or description): the portal's own
// content blocks, each third-party plugin's, and the blocks of the
// portal's predefined rooms (roomPlugins are the plugins that provide room
// types).
func palette(blocks []*registry.Block, roomPlugins map[string]bool, query string) ([]PaletteGroup, int) {
	q := strings.ToLower(query)
	var groups []PaletteGroup
	index := map[string]int{}
	n := 0
	for _, b := range blocks {
		if q != "" && !strings.Contains(strings.ToLower(b.Info.Title+" "+b.Info.Name+" "+b.Info.Description), q) {
			continue
		}
		source, plugin := "plugin", b.Plugin
		switch {
		case !strings.HasPrefix(b.Plugin, "atrium/"):
		case roomPlugins[b.Plugin]:
			source, plugin = "rooms", ""
		default:
			source, plugin = "content", ""
		}
		key := source + "/" + plugin
		i, ok := index[key]
		if !ok {
			i = len(groups)
			index[key] = i
			groups = append(groups, PaletteGroup{Source: source, Plugin: plugin})
		}
		groups[i].Types = append(groups[i].Types, PaletteType{Name: b.Info.Name, Title: b.Info.Title, Description: b.Info.Description, Icon: b.Info.Icon})
		n++
	}
	order := map[string]int{"content": 0, "plugin": 1, "rooms": 2}
	slices.SortStableFunc(groups, func(a, b PaletteGroup) int {
		if d := order[a.Source] - order[b.Source]; d != 0 {
			return d
		}
		return strings.Compare(a.Plugin, b.Plugin)
	})
	return groups, n
}

// saveDoc saves doc as the room's draft from base. On success it sets the
// flash and redirects to the editor with block selected; a stale base or
// an invalid document shows the editor again with what was submitted and
// why it was not saved.
func (s *Server) saveDoc(w http.ResponseWriter, r *http.Request, name string, doc room.Room, base room.Base, block, done string, args ...string) {
	_, err := s.Rooms.SaveDraft(r.Context(), s.actor(r), name, doc, base)
	var stale *room.StaleError
	var ve *room.ValidationError
	switch {
	case errors.As(err, &stale):
		s.editor(w, r, http.StatusConflict, name, editorState{selected: block, stale: stale, base: &base})
	case errors.As(err, &ve):
		s.editor(w, r, http.StatusUnprocessableEntity, name, editorState{doc: &doc, base: &base, selected: block, problems: ve.Problems})
	case err != nil:
		s.fail(w, r, err)
	default:
		s.setNotice(w, r, "success", done, args...)
		u := roomURL(name, "edit")
		if block != "" {
			u += "?block=" + url.QueryEscape(block) + "#block-editor"
		}
		http.Redirect(w, r, u, http.StatusSeeOther)
	}
}

// loadForEdit reads the posted form and the room's draft document.
func (s *Server) loadForEdit(w http.ResponseWriter, r *http.Request) (string, room.Room, room.Base, bool) {
	name := r.PathValue("name")
	if !s.readBuilderForm(w, r) {
		return "", room.Room{}, room.Base{}, false
	}
	d, err := s.Rooms.Draft(r.Context(), name)
	if err != nil {
		s.fail(w, r, err)
		return "", room.Room{}, room.Base{}, false
	}
	return name, d.Room, formBase(r.PostForm), true
}

// saveSettings changes the room's title, slug, icon, partner types,
// audience and navigation position.
func (s *Server) saveSettings(w http.ResponseWriter, r *http.Request) {
	name, doc, base, ok := s.loadForEdit(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	doc.Title = strings.TrimSpace(f.Get("title"))
	doc.Titles = formTitles(f, doc.Titles)
	doc.Slug = strings.TrimSpace(f.Get("slug"))
	if v := f["icon"]; len(v) > 0 { // an icon the theme lacks is kept
		doc.Icon = v[0]
	}
	doc.PartnerTypes = f["partnerTypes"]
	if pos, err := strconv.Atoi(strings.TrimSpace(f.Get("position"))); err == nil {
		doc.Position = pos
	}
	doc.Audience = s.keepUnseen(r, formAudience(f, "audience.", doc.Audience), doc.Audience)
	s.saveDoc(w, r, name, doc, base, "", "room-settings-saved")
}

// formTitles reads the title fields of the settings form (title.de, ...)
// into a copy of old: an empty field removes the language's title, so its
// readers see the room's title; languages the form has no field for keep
// their titles, and so does a language whose field was not sent.
func formTitles(f url.Values, old map[string]string) map[string]string {
	out := maps.Clone(old)
	for _, lang := range titleLanguages() {
		v, ok := f["title."+lang]
		if !ok {
			continue
		}
		if t := strings.TrimSpace(v[0]); t != "" {
			if out == nil {
				out = map[string]string{}
			}
			out[lang] = t
		} else {
			delete(out, lang)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// formAudience reads an audience from fields named prefix+key; keys the
// form does not offer (partner types, minimum stage, excluded partners)
// keep their values from old.
func formAudience(f url.Values, prefix string, old sdk.Audience) sdk.Audience {
	list := func(k string) []string {
		var out []string
		for _, v := range f[prefix+k] {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	a := old
	a.Tiers, a.MinTier, a.Stages, a.Roles, a.Partners = list("tiers"), strings.TrimSpace(f.Get(prefix+"minTier")), list("stages"), list("roles"), list("partners")
	return a
}

// keepUnseen keeps the named partners of old that the form could not
// offer (partners beyond the editor's reach): a manager saving a room
// never drops partners they cannot see.
func (s *Server) keepUnseen(r *http.Request, a, old sdk.Audience) sdk.Audience {
	if len(old.Partners) == 0 {
		return a
	}
	pf := directory.PartnerFilter{PerPage: 200}
	pf.Within = s.managedPartnerIDs(r)
	partners, err := s.Dir.ListPartners(r.Context(), pf)
	if err != nil {
		return a
	}
	offered := map[string]bool{}
	for _, pt := range partners.Items {
		offered[pt.Slug] = true
	}
	for _, slug := range old.Partners {
		if !offered[slug] && !slices.Contains(a.Partners, slug) {
			a.Partners = append(a.Partners, slug)
		}
	}
	return a
}

// addBlock adds a block of the type the palette named, with the type's
// default config, after the selected block or at the end.
func (s *Server) addBlock(w http.ResponseWriter, r *http.Request) {
	name, doc, base, ok := s.loadForEdit(w, r)
	if !ok {
		return
	}
	typ := r.PostForm.Get("type")
	bt, known := s.Registry.Block(typ)
	if !known {
		s.setNotice(w, r, "warning", "room-block-type-gone")
		http.Redirect(w, r, roomURL(name, "edit"), http.StatusSeeOther)
		return
	}
	b := room.Block{ID: newBlockID(doc, typ), Type: typ, Config: bt.Info.DefaultConfig}
	at := len(doc.Blocks)
	if after := r.PostForm.Get("after"); after != "" {
		if i := blockIndex(doc, after); i >= 0 {
			at = i + 1
		}
	}
	doc.Blocks = slices.Insert(slices.Clone(doc.Blocks), at, b)
	s.saveDoc(w, r, name, doc, base, b.ID, "room-block-added", bt.Info.Title)
}

// newBlockID is an id for a new block of typ, unique in the room.
func newBlockID(doc room.Room, typ string) string {
	stem := slugOf(typ[strings.LastIndexByte(typ, '/')+1:])
	if stem == "" {
		stem = "block"
	}
	for n := 1; ; n++ {
		id := stem
		if n > 1 {
			id = fmt.Sprintf("%s-%d", stem, n)
		}
		if blockIndex(doc, id) < 0 {
			return id
		}
	}
}

func blockIndex(doc room.Room, id string) int {
	return slices.IndexFunc(doc.Blocks, func(b room.Block) bool { return b.ID == id })
}

// blockOf finds the block of the URL in doc, or answers 404.
func (s *Server) blockOf(w http.ResponseWriter, r *http.Request, doc room.Room) int {
	i := blockIndex(doc, r.PathValue("block"))
	if i < 0 {
		s.notFound(w, r)
	}
	return i
}

// saveBlock saves the selected block's config and audience. A button of
// the config form that edits the form (add an item, move one) shows the
// form again instead, from what was submitted, without saving.
func (s *Server) saveBlock(w http.ResponseWriter, r *http.Request) {
	name, doc, base, ok := s.loadForEdit(w, r)
	if !ok {
		return
	}
	i := s.blockOf(w, r, doc)
	if i < 0 {
		return
	}
	doc.Blocks = slices.Clone(doc.Blocks)
	b := &doc.Blocks[i]
	schema := json.RawMessage(`{"type":"object"}`)
	if bt, ok := s.Registry.Block(b.Type); ok && len(bt.Info.ConfigSchema) > 0 {
		schema = bt.Info.ConfigSchema
	}
	config, err := schemaform.Decode(schema, schemaform.Unprefixed(r.PostForm, "config."))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b.Config = config
	b.Audience = s.keepUnseen(r, formAudience(r.PostForm, "audience.", b.Audience), b.Audience)
	if schemaform.Editing(r.PostForm) {
		s.editor(w, r, http.StatusOK, name, editorState{doc: &doc, base: &base, selected: b.ID})
		return
	}
	s.saveDoc(w, r, name, doc, base, b.ID, "room-block-saved")
}

// previewBlock draws a block as its form stands, without saving: the
// editor's script posts the form here as the manager types, and shows the
// answer beside it. (Without script, the form's "Preview without saving"
// button shows the whole editor with the same preview.)
func (s *Server) previewBlock(w http.ResponseWriter, r *http.Request) {
	_, doc, _, ok := s.loadForEdit(w, r)
	if !ok {
		return
	}
	i := s.blockOf(w, r, doc)
	if i < 0 {
		return
	}
	b := doc.Blocks[i]
	schema := json.RawMessage(`{"type":"object"}`)
	if bt, ok := s.Registry.Block(b.Type); ok && len(bt.Info.ConfigSchema) > 0 {
		schema = bt.Info.ConfigSchema
	}
	config, err := schemaform.Decode(schema, schemaform.Unprefixed(r.PostForm, "config."))
	if err != nil {
		w.WriteHeader(http.StatusUnprocessableEntity)
		return
	}
	b.Config = config
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(s.blockPreview(r, doc, b)))
}

// markdownPreview draws Markdown as a block's Markdown is drawn (sanitised
// by the portal's renderer), for the preview beside a Markdown field.
func (s *Server) markdownPreview(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	if err := r.ParseForm(); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	html, err := s.Theme.Component(ui.Markdown{Source: r.PostForm.Get("text")}, &theme.BlockContext{ReadOnly: true})
	if err != nil {
		w.WriteHeader(http.StatusUnprocessableEntity)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(html))
}

// moveBlock moves a block one place up or down, or to a position (what
// drag and drop posts).
func (s *Server) moveBlock(w http.ResponseWriter, r *http.Request) {
	name, doc, base, ok := s.loadForEdit(w, r)
	if !ok {
		return
	}
	i := s.blockOf(w, r, doc)
	if i < 0 {
		return
	}
	to := i
	switch r.PostForm.Get("direction") {
	case "up":
		to = i - 1
	case "down":
		to = i + 1
	default:
		if n, err := strconv.Atoi(r.PostForm.Get("to")); err == nil {
			to = n - 1 // positions count from 1
		}
	}
	to = max(0, min(to, len(doc.Blocks)-1))
	b := doc.Blocks[i]
	blocks := slices.Delete(slices.Clone(doc.Blocks), i, i+1)
	doc.Blocks = slices.Insert(blocks, to, b)
	s.saveDoc(w, r, name, doc, base, "", "room-block-moved", strconv.Itoa(to+1), strconv.Itoa(len(doc.Blocks)))
}

// duplicateBlock puts a copy of a block right after it.
func (s *Server) duplicateBlock(w http.ResponseWriter, r *http.Request) {
	name, doc, base, ok := s.loadForEdit(w, r)
	if !ok {
		return
	}
	i := s.blockOf(w, r, doc)
	if i < 0 {
		return
	}
	c := doc.Blocks[i]
	c.ID = newBlockID(doc, c.Type)
	doc.Blocks = slices.Insert(slices.Clone(doc.Blocks), i+1, c)
	s.saveDoc(w, r, name, doc, base, c.ID, "room-block-duplicated")
}

// removeBlock takes a block out of the draft.
func (s *Server) removeBlock(w http.ResponseWriter, r *http.Request) {
	name, doc, base, ok := s.loadForEdit(w, r)
	if !ok {
		return
	}
	i := s.blockOf(w, r, doc)
	if i < 0 {
		return
	}
	doc.Blocks = slices.Delete(slices.Clone(doc.Blocks), i, i+1)
	s.saveDoc(w, r, name, doc, base, "", "room-block-removed")
}
