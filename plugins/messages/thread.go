package messages

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
	sm "github.com/atriumhq/atrium/sdk/messages"
	"github.com/atriumhq/atrium/sdk/ui"
)

// RenderItem serves the room's pages: the full list, a new conversation,
// search, the broadcast form, a thread and the edit form of a message.
func (Room) RenderItem(ctx context.Context, req sdk.ItemRequest) (sdk.Page, error) {
	w := words(req.Viewer)
	switch req.Path {
	case "inbox":
		q := parseInbox(req.Query)
		page, err := sm.ListThreads.Call(ctx, req.Host, q.threads(req.Viewer.Staff()))
		if err != nil {
			return sdk.Page{}, err
		}
		return sdk.Page{Title: w.T("all-threads"), Body: inbox(req.Room, req.Viewer, page, q, false), LiveTopics: []string{"messages"}}, nil
	case "new":
		page, err := sm.ListThreads.Call(ctx, req.Host, sm.ThreadQuery{PerPage: 1})
		if err != nil {
			return sdk.Page{}, err
		}
		return sdk.Page{Title: w.T("new-conversation"), Body: ui.Stack{Children: ui.Children{
			startForm(w, page, req.Viewer.Staff()), ui.Link{Text: w.T("back"), Href: req.Room.Path}}}}, nil
	case "search":
		return searchPage(ctx, req)
	case "broadcast":
		return broadcastPage(ctx, req)
	}
	parts := strings.Split(req.Path, "/")
	id, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || id <= 0 {
		return sdk.Page{}, sdk.ErrNotFound
	}
	var editing int64
	switch {
	case len(parts) == 3 && parts[1] == "edit":
		if editing, err = strconv.ParseInt(parts[2], 10, 64); err != nil || editing <= 0 {
			return sdk.Page{}, sdk.ErrNotFound
		}
	case len(parts) != 1:
		return sdk.Page{}, sdk.ErrNotFound
	}
	d, err := sm.GetThread.Call(ctx, req.Host, sm.ByID{ID: id})
	if err != nil {
		return sdk.Page{}, err
	}
	if editing != 0 {
		return editPage(w, req.Room, d, editing)
	}
	// The page refreshes when this conversation changes.
	return sdk.Page{Title: d.Thread.Subject, Body: threadPage(w, req.Room, d), LiveTopics: []string{Topic(d.Thread.ID)}}, nil
}

// threadPage is a conversation: who is in it, its messages oldest first,
// the reply form and, for staff, assignment and status.
func threadPage(w *i18n.Locale, room sdk.RoomRef, d sm.ThreadDetail) ui.Component {
	t := d.Thread
	tid := strconv.FormatInt(t.ID, 10)
	status := ui.Badge{Text: w.T("status-open"), Tone: ui.ToneSuccess}
	if t.Status == sm.Closed {
		status = ui.Badge{Text: w.T("status-closed")}
	}
	details := []ui.ListItem{{Title: w.T("status"), Badge: &status}}
	if d.Staff {
		details = append([]ui.ListItem{{Title: w.T("partner"), Description: t.PartnerName}}, details...)
		assignee := w.T("nobody")
		if t.Assignee != nil {
			assignee = t.Assignee.Name
		}
		details = append(details, ui.ListItem{Title: w.T("assignee"), Description: assignee})
	}
	names := make([]string, 0, len(t.Participants))
	for _, p := range t.Participants {
		names = append(names, personName(w, p))
	}
	details = append(details, ui.ListItem{Title: w.T("participants"), Description: strings.Join(names, ", ")})
	out := ui.Children{ui.Card{Title: t.Subject, Body: ui.Children{ui.List{Items: details}}}}

	for _, m := range d.Messages {
		out = append(out, messageCard(w, room, t.ID, m))
	}

	reply := ui.Children{}
	if t.Status == sm.Closed {
		reply = append(reply, ui.Callout{Tone: ui.ToneInfo, Body: w.T("closed-note")})
	}
	reply = append(reply, ui.Form{Action: ui.Action{Name: "post", State: tid}, Submit: w.T("send-reply"), Fields: []ui.Field{
		{Name: "body", Label: w.T("message"), Type: "textarea", Required: true, Help: w.T("message-help"), MaxLength: 20000},
		{Name: "attachments", Label: w.T("attachments"), Type: "file", Multiple: true},
	}})
	out = append(out, ui.Card{Title: w.T("reply"), Body: reply})

	if len(d.CanAdd) > 0 {
		fields := make([]ui.Field, 0, len(d.CanAdd))
		for _, p := range d.CanAdd {
			fields = append(fields, ui.Field{Name: personField(p.ID), Label: personName(w, p), Type: "checkbox"})
		}
		out = append(out, ui.Card{Title: w.T("add-people"), Body: ui.Children{
			ui.Form{Action: ui.Action{Name: "add", State: tid}, Submit: w.T("add"), Fields: fields}}})
	}
	if d.Staff {
		assign := ui.Field{Name: "userId", Label: w.T("assignee"), Type: "select", Placeholder: w.T("nobody")}
		if t.Assignee != nil {
			assign.Value = strconv.FormatInt(t.Assignee.ID, 10)
		}
		for _, p := range d.Assignable {
			assign.Options = append(assign.Options, ui.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
		}
		toggle := ui.Button{Label: w.T("close"), Variant: "secondary", Icon: "check", Action: &ui.Action{Name: "status", State: tid + ":" + sm.Closed}}
		if t.Status == sm.Closed {
			toggle = ui.Button{Label: w.T("reopen"), Variant: "secondary", Action: &ui.Action{Name: "status", State: tid + ":" + sm.Open}}
		}
		out = append(out, ui.Card{Title: w.T("assign"), Body: ui.Children{
			ui.Form{Action: ui.Action{Name: "assign", State: tid}, Submit: w.T("assign"), Fields: []ui.Field{assign}},
			ui.ActionBar{Buttons: []ui.Button{toggle}},
		}})
	}
	out = append(out, ui.Link{Text: w.T("back"), Href: room.Path})
	return ui.Stack{Children: out}
}

// messageCard is one message: author, time, marks, the Markdown body and
// the attachments.
func messageCard(w *i18n.Locale, room sdk.RoomRef, thread int64, m sm.Message) ui.Component {
	sub := when(w, m.At)
	if m.EditedAt != nil {
		sub += " · " + w.T("edited")
	}
	if m.Via == "email" {
		sub += " · " + w.T("via-email")
	}
	body := ui.Children{}
	if m.New {
		body = append(body, ui.Badge{Text: w.T("new-mark"), Tone: ui.ToneInfo})
	}
	body = append(body, ui.Markdown{Source: m.Body})
	if len(m.Attachments) > 0 {
		list := ui.List{}
		for _, a := range m.Attachments {
			list.Items = append(list.Items, ui.ListItem{Title: a.Name, Href: a.URL, Meta: size(w, a.Size), Icon: "download"})
		}
		body = append(body, list)
	}
	var footer ui.Children
	if m.Mine {
		footer = ui.Children{ui.ActionBar{Buttons: []ui.Button{{Label: w.T("edit"), Variant: "link",
			Href: fmt.Sprintf("%s/edit/%d", threadHref(room, thread), m.ID)}}}}
	}
	return ui.Card{Title: personName(w, m.Author), Subtitle: sub, Body: body, Footer: footer}
}

// editPage changes the text of one of the viewer's own messages.
func editPage(w *i18n.Locale, room sdk.RoomRef, d sm.ThreadDetail, id int64) (sdk.Page, error) {
	for _, m := range d.Messages {
		if m.ID != id || !m.Mine {
			continue
		}
		state := fmt.Sprintf("%d:%d", d.Thread.ID, m.ID)
		return sdk.Page{Title: w.T("edit-message"), Body: ui.Stack{Children: ui.Children{
			ui.Text{Text: d.Thread.Subject + " · " + when(w, m.At), Muted: true},
			ui.Form{Action: ui.Action{Name: "edit", State: state}, Submit: w.T("save"), Fields: []ui.Field{
				{Name: "body", Label: w.T("message"), Type: "textarea", Required: true, Help: w.T("message-help"), MaxLength: 20000, Value: m.Body}}},
			ui.Link{Text: w.T("back-thread"), Href: threadHref(room, d.Thread.ID)},
		}}}, nil
	}
	return sdk.Page{}, sdk.ErrNotFound
}

// Topic is the live topic of a thread's changes: "messages:42". A page
// showing the list ("messages") refreshes for every thread's topic, a
// thread page only for its own.
func Topic(threadID int64) string { return "messages:" + strconv.FormatInt(threadID, 10) }
