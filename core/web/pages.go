package web

import (
	"bytes"
	"context"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/atriumhq/atrium/core/catalog"
	"github.com/atriumhq/atrium/core/i18n"
	"github.com/atriumhq/atrium/core/theme"
	"github.com/atriumhq/atrium/sdk"
	lru "github.com/hashicorp/golang-lru/v2"
)

// roleKeys name roles for people, through the catalogue.
var roleKeys = map[sdk.Role]string{
	sdk.RoleAdmin: "role.admin", sdk.RoleManager: "role.manager",
	sdk.RolePartnerAdmin: "role.partner-admin", sdk.RolePartnerUser: "role.partner-user",
}

// page renders a page for the signed-in person (or a signed-out visitor) in
// the shared layout.
func (s *Server) page(w http.ResponseWriter, r *http.Request, status int, name, title string, content any) {
	var nav []theme.NavItem
	if p := principal(r); p != nil && !p.Staff() {
		nav = s.navFor(r.Context(), s.catalog.Current(), p.Viewer(), "", false, "")
	}
	s.render(w, r, status, name, title, content, nav, nil)
}

// pageFor renders a room page with the viewer's navigation, marking the
// current room.
func (s *Server) pageFor(w http.ResponseWriter, r *http.Request, status int, name, title string, content any, v sdk.Viewer, active string) {
	s.render(w, r, status, name, title, content, s.navFor(r.Context(), s.catalog.Current(), v, active, false, ""), nil)
}

// navFor lists the rooms a viewer sees. In a preview the links stay inside
// the preview, with the same audience; otherwise rooms whose type counts
// something for the viewer (RoomInfo.Badge) carry the count.
func (s *Server) navFor(ctx context.Context, snap *catalog.Snapshot, v sdk.Viewer, activeSlug string, preview bool, activeName string) []theme.NavItem {
	var out []theme.NavItem
	rooms := snap.Nav(v)
	var counts map[string]int
	if !preview {
		counts = s.badges(ctx, v, rooms)
	}
	for _, rm := range rooms {
		item := theme.NavItem{Title: rm.TitleIn(i18n.Lang(ctx)), Href: "/rooms/" + rm.Slug, Icon: rm.Icon, Active: rm.Slug == activeSlug}
		if preview {
			item.Href = "/admin/rooms/" + rm.Name + "/preview?" + previewQuery(v)
			item.Active = rm.Name == activeName
		} else if s.hasBadge(rm.Type) {
			item.Badge, item.Count = rm.Type, counts[rm.Type]
		}
		out = append(out, item)
	}
	return out
}

// hasBadge reports whether rooms of a type show a count.
func (s *Server) hasBadge(typ string) bool {
	if typ == "" || s.Registry == nil {
		return false
	}
	rt, ok := s.Registry.RoomType(typ)
	return ok && rt.Info.Badge != ""
}

func previewQuery(v sdk.Viewer) string {
	q := make(map[string]string)
	if v.Partner != nil {
		if v.Partner.Slug != "" {
			q["partner"] = v.Partner.Slug
		} else {
			q["type"], q["tier"], q["stage"] = v.Partner.Type, v.Partner.Tier, v.Partner.Stage
		}
	}
	if v.ContactRole != "" {
		q["role"] = v.ContactRole
	}
	vals := make([]string, 0, len(q))
	for _, k := range []string{"partner", "type", "tier", "stage", "role"} {
		if q[k] != "" {
			vals = append(vals, k+"="+urlQueryEscape(q[k]))
		}
	}
	return joinAmp(vals)
}

func joinAmp(v []string) string {
	var b bytes.Buffer
	for i, s := range v {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(s)
	}
	return b.String()
}

// staffNav is the admin pages' navigation, in the reader's language.
func staffNav(r *http.Request, p *Principal, active string) []theme.NavItem {
	items := []theme.NavItem{
		{Title: tr(r, "admin.nav.overview"), Href: "/admin", Icon: "home"},
		{Title: tr(r, "admin.nav.dashboard"), Href: "/admin/dashboard", Icon: "chart"},
		{Title: tr(r, "admin.work.title.overview"), Href: "/admin/work/overview", Icon: "chart"},
		{Title: tr(r, "admin.work.title.leads"), Href: "/admin/work/leads", Icon: "inbox"},
		{Title: tr(r, "admin.work.title.deals"), Href: "/admin/work/deals", Icon: "briefcase"},
		{Title: tr(r, "admin.nav.partners"), Href: "/admin/partners", Icon: "briefcase"},
		{Title: tr(r, "admin.nav.users"), Href: "/admin/users", Icon: "users"},
		{Title: tr(r, "admin.nav.rooms"), Href: "/admin/rooms", Icon: "folder"},
		{Title: tr(r, "admin.nav.library"), Href: "/admin/library", Icon: "file-text"},
		{Title: tr(r, "admin.nav.spaces"), Href: "/admin/spaces", Icon: "inbox"},
		{Title: tr(r, "admin.nav.checklists"), Href: "/admin/tasks", Icon: "check"},
		{Title: tr(r, "admin.nav.program"), Href: "/admin/program", Icon: "settings"},
	}
	if p != nil && p.IsAdmin() {
		items = append(items,
			theme.NavItem{Title: tr(r, "admin.nav.contacts"), Href: "/admin/contacts", Icon: "phone"},
			theme.NavItem{Title: tr(r, "admin.nav.plugins"), Href: "/admin/plugins", Icon: "settings"})
	}
	items = append(items, theme.NavItem{Title: tr(r, "admin.nav.api"), Href: "/api/docs", Icon: "settings"})
	for i := range items {
		items[i].Active = items[i].Href == active
	}
	return items
}

// render writes a page. It renders into a buffer first, so a template error
// becomes a clean 500 page instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, content any, nav []theme.NavItem, preview *theme.PreviewInfo) {
	snap := s.catalog.Current()
	layout := theme.Layout{
		Title:   title,
		Nonce:   nonce(r),
		Brand:   theme.Brand{Name: snap.Program.Name, LogoURL: snap.Program.LogoURL, PrimaryColor: snap.Program.PrimaryColor},
		Nav:     nav,
		Preview: preview,
		Content: content,
		Live:    s.liveURL(principal(r), preview != nil),
		Locale:  loc(r),
	}
	if p := principal(r); p != nil {
		layout.User = &theme.UserInfo{Name: p.User.Name, Email: p.User.Email, Role: tr(r, roleKeys[p.User.Role]), IsStaff: p.Staff(),
			Unread: s.unread(r, p.User.ID)}
		if p.Partner != nil {
			layout.User.Partner = p.Partner.Name
		}
		if p.Staff() {
			active, _ := r.Context().Value(routeKey{}).(*routeLabel)
			pattern := ""
			if active != nil {
				pattern = active.pattern
			}
			section := adminSection(pattern)
			if rest, ok := strings.CutPrefix(r.URL.Path, "/admin/work/"); ok {
				// A staff room type's pages: its own entry is the current one.
				typ, _, _ := strings.Cut(rest, "/")
				section = "/admin/work/" + typ
			}
			layout.AdminNav = s.withStaffRoomTypes(r.Context(), p.Viewer(), staffNav(r, p, section), r.URL.Path)
		}
	}
	s.drawChrome(&layout)
	if f := s.takeFlash(w, r); f != nil {
		layout.Flash = &theme.Flash{Tone: f.Tone, Text: f.Text, Key: f.Key, Args: f.Args}
	}
	// The theme draws the whole page before writing any of it, so a
	// template error still leaves room for a clean 500.
	pw := &pageWriter{w: w, status: status}
	if err := s.Theme.Page(pw, name, layout); err != nil {
		if pw.started && r.Context().Err() != nil {
			// The visitor went away while the page was being written: not
			// a fault of the page.
			s.Log.Debug("visitor left before the page was written", "page", name, "err", err)
			return
		}
		s.Log.Error("page failed to render", "page", name, "err", err)
		if !pw.started {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte(tr(r, "error.our-side") + "\n"))
		}
	}
}

// pageWriter sends the page's headers with its first bytes.
type pageWriter struct {
	w       http.ResponseWriter
	status  int
	started bool
}

func (p *pageWriter) Write(b []byte) (int, error) {
	p.start()
	return p.w.Write(b)
}

// WriteString passes the theme's strings on (a room page writes its large
// blocks as strings) without converting each to bytes whole: the
// compressing writer in front of the connection takes only bytes, and a
// 500-card board converted at once was half a megabyte of garbage a page.
// Large strings go through a reused buffer a piece at a time instead.
func (p *pageWriter) WriteString(s string) (int, error) {
	p.start()
	if sw, ok := p.w.(io.StringWriter); ok {
		return sw.WriteString(s)
	}
	if len(s) <= copyChunk {
		return p.w.Write([]byte(s))
	}
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	n := 0
	for len(s) > 0 {
		k := copy(*buf, s)
		w, err := p.w.Write((*buf)[:k])
		n += w
		if err != nil {
			return n, err
		}
		s = s[k:]
	}
	return n, nil
}

// copyChunk is the piece WriteString copies large strings in.
const copyChunk = 32 << 10

var copyBufs = sync.Pool{New: func() any { b := make([]byte, copyChunk); return &b }}

func (p *pageWriter) start() {
	if !p.started {
		p.started = true
		h := p.w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		p.w.WriteHeader(p.status)
	}
}

// adminSection maps a route pattern to the staff navigation entry it is under.
func adminSection(pattern string) string {
	if _, path, ok := strings.Cut(pattern, " "); ok {
		pattern = path // "GET /admin/users" names the section by its path
	}
	for _, sec := range []string{"/admin/dashboard", "/admin/work/overview", "/admin/work/leads", "/admin/work/deals", "/admin/partners", "/admin/users", "/admin/rooms", "/admin/plugins", "/admin/library", "/admin/spaces", "/admin/files", "/admin/tasks", "/admin/contacts", "/admin/program"} {
		if len(pattern) >= len(sec) && pattern[:len(sec)] == sec {
			if sec == "/admin/files" { // a shared file is under its space
				return "/admin/spaces"
			}
			return sec
		}
	}
	return "/admin"
}

// errorPage shows an error with a way back.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, title, message string) {
	s.page(w, r, status, "error", title, theme.ErrorPage{Status: status, Title: title, Message: message})
}

// notFound is the one answer for "no such page" and "not yours to see".
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusNotFound, tr(r, "error.not-found-title"), tr(r, "error.not-found"))
}

// drawChrome draws the navigation once per distinct set of links (every
// partner of a type and audience shares theirs) and the signed-in header once
// per viewer, and reuses both: together they were a third of a room page's
// template time.
func (s *Server) drawChrome(l *theme.Layout) {
	var key strings.Builder
	key.WriteString(l.Lang() + "|") // the same links read differently in German
	key.WriteString(strconv.FormatBool(l.User != nil && l.User.IsStaff))
	for _, list := range [][]theme.NavItem{l.Nav, l.AdminNav} {
		key.WriteByte('|')
		for _, n := range list {
			key.WriteString(n.Href + "\x00" + n.Title + "\x00" + n.Icon + "\x00" + strconv.FormatBool(n.Active) + "\x00" + n.Badge + "\x00" + strconv.Itoa(n.Count) + "\x01")
		}
	}
	if len(l.Nav)+len(l.AdminNav) > 0 {
		l.NavHTML = s.cachedHTML(s.navs, key.String(), func() (template.HTML, error) { return s.Theme.Navigation(*l) })
	}
	if u := l.User; u != nil {
		// The header also shows the brand and who is signed in.
		for _, v := range []string{l.Brand.Name, l.Brand.LogoURL, u.Name, u.Role, u.Partner, strconv.Itoa(u.Unread)} {
			key.WriteString("\x02" + v)
		}
		l.TopbarHTML = s.cachedHTML(s.topbars, key.String(), func() (template.HTML, error) { return s.Theme.Topbar(*l) })
	}
}

// cachedHTML returns the HTML cached under key, drawing and keeping it on a
// miss. A drawing error is logged and leaves the part to the layout, which
// draws it itself and reports the error.
func (s *Server) cachedHTML(c *lru.Cache[string, template.HTML], key string, draw func() (template.HTML, error)) template.HTML {
	if html, ok := c.Get(key); ok {
		return html
	}
	html, err := draw()
	if err != nil {
		s.Log.Error("page part failed to draw", "err", err)
		return ""
	}
	c.Add(key, html)
	return html
}
