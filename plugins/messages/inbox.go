package messages

import (
	"net/url"
	"strconv"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
	sm "github.com/atriumhq/atrium/sdk/messages"
	"github.com/atriumhq/atrium/sdk/ui"
)

// perPage is how many threads a page of the list shows.
const perPage = 25

// inboxQuery is the list's filters as they travel in the page's URL.
type inboxQuery struct {
	Status     string // "" (open for staff, everything for partners), "open", "closed" or "all"
	PartnerID  int64
	Mine       bool
	Unanswered bool
	Page       int
}

func first(q map[string][]string, k string) string {
	if v := q[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// parseInbox reads the filters from a page's query; anything unknown is
// dropped rather than refused.
func parseInbox(q map[string][]string) inboxQuery {
	out := inboxQuery{Mine: first(q, "mine") == "1", Unanswered: first(q, "unanswered") == "1"}
	switch s := first(q, "status"); s {
	case sm.Open, sm.Closed, "all":
		out.Status = s
	}
	out.PartnerID, _ = strconv.ParseInt(first(q, "partner"), 10, 64)
	out.Page, _ = strconv.Atoi(first(q, "page"))
	out.Page = max(out.Page, 1)
	return out
}

// threads is the host query: staff see open threads unless they ask for
// closed ones; partners see all of theirs.
func (q inboxQuery) threads(staff bool) sm.ThreadQuery {
	tq := sm.ThreadQuery{PartnerID: q.PartnerID, Mine: q.Mine, Unanswered: q.Unanswered, Page: max(q.Page, 1), PerPage: perPage}
	switch {
	case q.Status == sm.Open || q.Status == sm.Closed:
		tq.Status = q.Status
	case q.Status == "" && staff:
		tq.Status = sm.Open
	}
	return tq
}

// filtered reports whether the viewer narrowed the list.
func (q inboxQuery) filtered() bool {
	return q.Status != "" || q.PartnerID != 0 || q.Mine || q.Unanswered
}

// href is the list page with these filters, at page.
func (q inboxQuery) href(room sdk.RoomRef, page int) string {
	v := url.Values{}
	if q.Status != "" {
		v.Set("status", q.Status)
	}
	if q.PartnerID != 0 {
		v.Set("partner", strconv.FormatInt(q.PartnerID, 10))
	}
	if q.Mine {
		v.Set("mine", "1")
	}
	if q.Unanswered {
		v.Set("unanswered", "1")
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return room.Path + "/items/inbox"
	}
	return room.Path + "/items/inbox?" + v.Encode()
}

func threadHref(room sdk.RoomRef, id int64) string {
	return room.Path + "/items/" + strconv.FormatInt(id, 10)
}

// inbox draws the thread list: for partners their conversations with a
// form to start one (on the room page), for staff the inbox with filters.
func inbox(room sdk.RoomRef, v sdk.Viewer, page sm.ThreadPage, q inboxQuery, roomPage bool) ui.Component {
	staff := v.Staff()
	w := words(v)
	title := w.T("messages")
	if staff {
		title = w.T("inbox")
	}
	if page.Unread > 0 {
		title = w.N("title-unread", page.Unread, "Title", title)
	}
	out := ui.Children{ui.Heading{Text: title, Level: 2}}
	buttons := []ui.Button{}
	if staff {
		buttons = append(buttons, ui.Button{Label: w.T("new-conversation"), Href: room.Path + "/items/new", Icon: "plus"},
			ui.Button{Label: w.T("message-partners"), Href: room.Path + "/items/broadcast", Variant: "secondary", Icon: "megaphone"})
	}
	buttons = append(buttons, ui.Button{Label: w.T("search"), Href: room.Path + "/items/search", Variant: "secondary", Icon: "search"})
	out = append(out, ui.ActionBar{Buttons: buttons})
	if staff {
		out = append(out, quickFilters(w, room, q), filterForm(w, page, q))
	}
	switch {
	case len(page.Threads) == 0 && q.filtered():
		out = append(out, ui.Empty{Title: w.T("no-match"), Description: w.T("no-match-help"),
			Action: &ui.Button{Label: w.T("show-open"), Href: room.Path + "/items/inbox", Variant: "secondary"}})
	case len(page.Threads) == 0 && staff:
		out = append(out, ui.Empty{Title: w.T("no-threads"), Description: w.T("no-threads-staff"),
			Action: &ui.Button{Label: w.T("new-conversation"), Href: room.Path + "/items/new"}})
	case len(page.Threads) == 0:
		out = append(out, ui.Empty{Title: w.T("no-threads"), Description: w.T("no-threads-partner")})
	case staff:
		out = append(out, staffTable(w, room, page.Threads))
	default:
		out = append(out, partnerList(w, room, page.Threads))
	}
	out = append(out, pager(w, page.Page, page.PerPage, page.Total, func(p int) string { return q.href(room, p) })...)
	if !staff && roomPage {
		out = append(out, ui.Card{Title: w.T("new-conversation"), Body: ui.Children{startForm(w, page, false)}})
	}
	return ui.Stack{Children: out}
}

// partnerList is a partner's threads, newest first, unread ones marked.
func partnerList(w *i18n.Locale, room sdk.RoomRef, threads []sm.Thread) ui.Component {
	list := ui.List{}
	for _, t := range threads {
		it := ui.ListItem{Title: t.Subject, Href: threadHref(room, t.ID), Meta: when(w, t.LastAt), Icon: "message",
			Description: lastLine(w, t)}
		switch {
		case t.Unread > 0:
			it.Badge = &ui.Badge{Text: w.N("count.new", t.Unread), Tone: ui.ToneInfo}
		case t.Status == sm.Closed:
			it.Badge = &ui.Badge{Text: w.T("status-closed")}
		}
		list.Items = append(list.Items, it)
	}
	return list
}

// lastLine is who spoke last and what they said.
func lastLine(w *i18n.Locale, t sm.Thread) string {
	switch {
	case t.LastAuthor != "" && t.Preview != "":
		return w.T("last-line", "Name", t.LastAuthor, "Text", t.Preview)
	case t.LastAuthor != "":
		return t.LastAuthor
	}
	return t.Preview
}

// staffTable is the inbox, in the order the host gives: unanswered first.
func staffTable(w *i18n.Locale, room sdk.RoomRef, threads []sm.Thread) ui.Component {
	t := ui.Table{Columns: []ui.TableColumn{{Label: w.T("col.conversation")}, {Label: w.T("partner")}, {Label: w.T("status")}, {Label: w.T("assignee")}, {Label: w.T("col.last-message")}}}
	for _, th := range threads {
		status := ui.Children{}
		if th.Unread > 0 {
			status = append(status, ui.Badge{Text: w.N("count.new", th.Unread), Tone: ui.ToneInfo})
		}
		if th.Unanswered {
			status = append(status, ui.Badge{Text: w.T("unanswered"), Tone: ui.ToneWarning})
		}
		if th.Status == sm.Closed {
			status = append(status, ui.Badge{Text: w.T("status-closed")})
		} else if len(status) == 0 {
			status = append(status, ui.Badge{Text: w.T("status-open"), Tone: ui.ToneSuccess})
		}
		assignee := "—"
		if th.Assignee != nil {
			assignee = th.Assignee.Name
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{
			ui.Stack{Children: ui.Children{ui.Link{Text: th.Subject, Href: threadHref(room, th.ID)}, ui.Text{Text: lastLine(w, th), Muted: true}}},
			ui.Text{Text: th.PartnerName},
			ui.Stack{Children: status},
			ui.Text{Text: assignee},
			ui.Text{Text: when(w, th.LastAt), Muted: true},
		}})
	}
	return t
}

// quickFilters are one-click views of the inbox; the current one is
// primary.
func quickFilters(w *i18n.Locale, room sdk.RoomRef, q inboxQuery) ui.Component {
	views := []struct {
		label string
		q     inboxQuery
	}{
		{w.T("status-open"), inboxQuery{}},
		{w.T("unanswered"), inboxQuery{Unanswered: true}},
		{w.T("mine"), inboxQuery{Mine: true}},
		{w.T("status-closed"), inboxQuery{Status: sm.Closed}},
	}
	bar := ui.ActionBar{}
	cur := q
	cur.Page = 0
	for _, v := range views {
		variant := "secondary"
		if v.q == cur {
			variant = "primary"
		}
		bar.Buttons = append(bar.Buttons, ui.Button{Label: v.label, Href: v.q.href(room, 1), Variant: variant})
	}
	return bar
}

// filterForm narrows the inbox; it posts "filter", which leads to the list
// page with the filters in its URL.
func filterForm(w *i18n.Locale, page sm.ThreadPage, q inboxQuery) ui.Component {
	partner := ui.Field{Name: "partner", Label: w.T("partner"), Type: "select", Placeholder: w.T("all-partners")}
	if q.PartnerID != 0 {
		partner.Value = strconv.FormatInt(q.PartnerID, 10)
	}
	for _, p := range page.Partners {
		partner.Options = append(partner.Options, ui.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
	}
	status := ui.Field{Name: "status", Label: w.T("status"), Type: "select", Placeholder: w.T("status-open"), Value: q.Status,
		Options: []ui.Option{{Value: sm.Closed, Label: w.T("status-closed")}, {Value: "all", Label: w.T("status-all")}}}
	if q.Status == sm.Open {
		status.Value = ""
	}
	return ui.Form{Action: ui.Action{Name: "filter"}, Submit: w.T("filter"), Fields: []ui.Field{
		partner, status,
		{Name: "mine", Label: w.T("mine"), Type: "checkbox", Value: strconv.FormatBool(q.Mine)},
		{Name: "unanswered", Label: w.T("unanswered-only"), Type: "checkbox", Value: strconv.FormatBool(q.Unanswered)},
	}}
}

// pager is "Page 2 of 5 · 60 conversations" with links to the pages
// around the current one.
func pager(w *i18n.Locale, page, per, total int, href func(int) string) ui.Children {
	if per <= 0 || total <= per {
		return nil
	}
	pages := (total + per - 1) / per
	page = min(max(page, 1), pages)
	bar := ui.ActionBar{}
	if page > 1 {
		bar.Buttons = append(bar.Buttons, ui.Button{Label: w.T("previous"), Href: href(page - 1), Variant: "secondary"})
	}
	for p := max(1, page-2); p <= min(pages, page+2); p++ {
		variant := "secondary"
		if p == page {
			variant = "primary"
		}
		bar.Buttons = append(bar.Buttons, ui.Button{Label: w.Int(int64(p)), Href: href(p), Variant: variant})
	}
	if page < pages {
		bar.Buttons = append(bar.Buttons, ui.Button{Label: w.T("next"), Href: href(page + 1), Variant: "secondary"})
	}
	return ui.Children{ui.Text{Text: w.N("pager", total, "Page", w.Int(int64(page)), "Pages", w.Int(int64(pages))), Muted: true}, bar}
}

// startForm starts a conversation: a partner writes to their partner
// manager (chosen first) or a vendor contact and may include colleagues;
// staff write to a partner, whose active users all receive it.
func startForm(w *i18n.Locale, page sm.ThreadPage, staff bool) ui.Component {
	fields := []ui.Field{}
	if staff {
		partner := ui.Field{Name: "partner", Label: w.T("partner"), Type: "select", Required: true, Placeholder: w.T("choose-partner"), Help: w.T("people-help")}
		for _, p := range page.Partners {
			partner.Options = append(partner.Options, ui.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
		}
		fields = append(fields, partner)
	} else if len(page.Recipients) > 0 {
		to := ui.Field{Name: "to", Label: w.T("to"), Type: "select", Required: true, Help: w.T("to-help"),
			Value: strconv.FormatInt(page.Recipients[0].ID, 10)}
		for _, p := range page.Recipients {
			to.Options = append(to.Options, ui.Option{Value: strconv.FormatInt(p.ID, 10), Label: personName(w, p)})
		}
		to.Placeholder = w.T("choose-to")
		fields = append(fields, to)
	}
	fields = append(fields, ui.Field{Name: "subject", Label: w.T("subject"), Required: true, MaxLength: 200})
	if !staff {
		for _, c := range page.Colleagues {
			fields = append(fields, ui.Field{Name: personField(c.ID), Label: w.T("include", "Name", c.Name), Type: "checkbox"})
		}
	}
	fields = append(fields,
		ui.Field{Name: "body", Label: w.T("message"), Type: "textarea", Required: true, Help: w.T("message-help"), MaxLength: 20000},
		ui.Field{Name: "attachments", Label: w.T("attachments"), Type: "file", Multiple: true})
	return ui.Form{Action: ui.Action{Name: "start"}, Submit: w.T("send"), Fields: fields}
}

// personField is the checkbox that chooses one person.
func personField(id int64) string { return "person-" + strconv.FormatInt(id, 10) }
