package messages

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	sm "github.com/atriumhq/atrium/sdk/messages"
	"github.com/atriumhq/atrium/sdk/ui"
)

// RenderItem serves the room's pages: the full list, a new conversation,
// search, the broadcast form, a thread and the edit form of a message.
func (Room) RenderItem(ctx context.Context, req sdk.ItemRequest) (sdk.Page, error) {
	switch req.Path {
	case "inbox":
		q := parseInbox(req.Query)
		page, err := sm.ListThreads.Call(ctx, req.Host, q.threads(req.Viewer.Staff()))
		if err != nil {
			return sdk.Page{}, err
		}
		return sdk.Page{Title: txtAllThreads, Body: inbox(req.Room, req.Viewer, page, q, false), LiveTopics: []string{"messages"}}, nil
	case "new":
		page, err := sm.ListThreads.Call(ctx, req.Host, sm.ThreadQuery{PerPage: 1})
		if err != nil {
			return sdk.Page{}, err
		}
		return sdk.Page{Title: txtNewConversation, Body: ui.Stack{Children: ui.Children{
			startForm(page, req.Viewer.Staff()), ui.Link{Text: txtBack, Href: req.Room.Path}}}}, nil
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
		return editPage(req.Room, d, editing)
	}
	// The page refreshes when this conversation changes.
	return sdk.Page{Title: d.Thread.Subject, Body: threadPage(req.Room, d), LiveTopics: []string{Topic(d.Thread.ID)}}, nil
}

// threadPage is a conversation: who is in it, its messages oldest first,
// the reply form and, for staff, assignment and status.
func threadPage(room sdk.RoomRef, d sm.ThreadDetail) ui.Component {
	t := d.Thread
	tid := strconv.FormatInt(t.ID, 10)
	status := ui.Badge{Text: txtStatusOpen, Tone: ui.ToneSuccess}
	if t.Status == sm.Closed {
		status = ui.Badge{Text: txtStatusClosed}
	}
	details := []ui.ListItem{{Title: txtStatus, Badge: &status}}
	if d.Staff {
		details = append([]ui.ListItem{{Title: txtPartner, Description: t.PartnerName}}, details...)
		assignee := txtNobody
		if t.Assignee != nil {
			assignee = t.Assignee.Name
		}
		details = append(details, ui.ListItem{Title: txtAssignee, Description: assignee})
	}
	names := make([]string, 0, len(t.Participants))
	for _, p := range t.Participants {
		names = append(names, personName(p))
	}
	details = append(details, ui.ListItem{Title: txtParticipants, Description: strings.Join(names, ", ")})
	out := ui.Children{ui.Card{Title: t.Subject, Body: ui.Children{ui.List{Items: details}}}}

	for _, m := range d.Messages {
		out = append(out, messageCard(room, t.ID, m))
	}

	reply := ui.Children{}
	if t.Status == sm.Closed {
		reply = append(reply, ui.Callout{Tone: ui.ToneInfo, Body: txtClosedNote})
	}
	reply = append(reply, ui.Form{Action: ui.Action{Name: "post", State: tid}, Submit: txtSendReply, Fields: []ui.Field{
		{Name: "body", Label: txtMessage, Type: "textarea", Required: true, Help: txtMessageHelp, MaxLength: 20000},
		{Name: "attachments", Label: txtAttachments, Type: "file", Multiple: true},
	}})
	out = append(out, ui.Card{Title: txtReply, Body: reply})

	if len(d.CanAdd) > 0 {
		fields := make([]ui.Field, 0, len(d.CanAdd))
		for _, p := range d.CanAdd {
			fields = append(fields, ui.Field{Name: personField(p.ID), Label: personName(p), Type: "checkbox"})
		}
		out = append(out, ui.Card{Title: txtAddPeople, Body: ui.Children{
			ui.Form{Action: ui.Action{Name: "add", State: tid}, Submit: txtAdd, Fields: fields}}})
	}
	if d.Staff {
		assign := ui.Field{Name: "userId", Label: txtAssignee, Type: "select", Placeholder: txtNobody}
		if t.Assignee != nil {
			assign.Value = strconv.FormatInt(t.Assignee.ID, 10)
		}
		for _, p := range d.Assignable {
			assign.Options = append(assign.Options, ui.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
		}
		toggle := ui.Button{Label: txtClose, Variant: "secondary", Icon: "check", Action: &ui.Action{Name: "status", State: tid + ":" + sm.Closed}}
		if t.Status == sm.Closed {
			toggle = ui.Button{Label: txtReopen, Variant: "secondary", Action: &ui.Action{Name: "status", State: tid + ":" + sm.Open}}
		}
		out = append(out, ui.Card{Title: txtAssign, Body: ui.Children{
			ui.Form{Action: ui.Action{Name: "assign", State: tid}, Submit: txtAssign, Fields: []ui.Field{assign}},
			ui.ActionBar{Buttons: []ui.Button{toggle}},
		}})
	}
	out = append(out, ui.Link{Text: txtBack, Href: room.Path})
	return ui.Stack{Children: out}
}

// messageCard is one message: author, time, marks, the Markdown body and
// the attachments.
func messageCard(room sdk.RoomRef, thread int64, m sm.Message) ui.Component {
	sub := when(m.At)
	if m.EditedAt != nil {
		sub += " · " + txtEdited
	}
	if m.Via == "email" {
		sub += " · " + txtViaEmail
	}
	body := ui.Children{}
	if m.New {
		body = append(body, ui.Badge{Text: txtNew, Tone: ui.ToneInfo})
	}
	body = append(body, ui.Markdown{Source: m.Body})
	if len(m.Attachments) > 0 {
		list := ui.List{}
		for _, a := range m.Attachments {
			list.Items = append(list.Items, ui.ListItem{Title: a.Name, Href: a.URL, Meta: size(a.Size), Icon: "download"})
		}
		body = append(body, list)
	}
	var footer ui.Children
	if m.Mine {
		footer = ui.Children{ui.ActionBar{Buttons: []ui.Button{{Label: txtEdit, Variant: "link",
			Href: fmt.Sprintf("%s/edit/%d", threadHref(room, thread), m.ID)}}}}
	}
	return ui.Card{Title: personName(m.Author), Subtitle: sub, Body: body, Footer: footer}
}

// editPage changes the text of one of the viewer's own messages.
func editPage(room sdk.RoomRef, d sm.ThreadDetail, id int64) (sdk.Page, error) {
	for _, m := range d.Messages {
		if m.ID != id || !m.Mine {
			continue
		}
		state := fmt.Sprintf("%d:%d", d.Thread.ID, m.ID)
		return sdk.Page{Title: txtEditMessage, Body: ui.Stack{Children: ui.Children{
			ui.Text{Text: d.Thread.Subject + " · " + when(m.At), Muted: true},
			ui.Form{Action: ui.Action{Name: "edit", State: state}, Submit: txtSave, Fields: []ui.Field{
				{Name: "body", Label: txtMessage, Type: "textarea", Required: true, Help: txtMessageHelp, MaxLength: 20000, Value: m.Body}}},
			ui.Link{Text: txtBackThread, Href: threadHref(room, d.Thread.ID)},
		}}}, nil
	}
	return sdk.Page{}, sdk.ErrNotFound
}

// Topic is the live topic of a thread's changes: "messages:42". A page
// showing the list ("messages") refreshes for every thread's topic, a
// thread page only for its own.
func Topic(threadID int64) string { return "messages:" + strconv.FormatInt(threadID, 10) }
