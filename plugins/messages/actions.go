package messages

import (
	"context"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
	sm "github.com/atriumhq/atrium/sdk/messages"
)

// act serves every form of the room: those of the inbox block and those of
// the item pages.
func act(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	w := words(req.Viewer)
	switch req.Name {
	case "filter":
		q := inboxQuery{Unanswered: checked(req, "unanswered"), Mine: checked(req, "mine")}
		if s := req.Value("status"); s == sm.Closed || s == "all" {
			q.Status = s
		}
		q.PartnerID, _ = strconv.ParseInt(req.Value("partner"), 10, 64)
		return sdk.Navigate(q.href(req.Room, 1)), nil
	case "search":
		return sdk.Navigate(searchHref(req.Room, strings.TrimSpace(req.Value("q")), 1)), nil
	case "start":
		return start(ctx, req)
	case "post", "add", "assign":
		id, err := strconv.ParseInt(req.State, 10, 64)
		if err != nil {
			return sdk.ActionResult{Error: w.T("unknown-action")}, nil
		}
		return threadAction(ctx, req, id)
	case "edit":
		tid, mid, ok := pair(req.State)
		if !ok {
			return sdk.ActionResult{Error: w.T("unknown-action")}, nil
		}
		_, err := sm.EditMessage.Call(ctx, req.Host, sm.Edit{MessageID: mid, Body: req.Value("body")})
		return answer(w, err, "body", threadHref(req.Room, tid), w.T("done.saved"))
	case "status":
		id, status, _ := strings.Cut(req.State, ":")
		tid, err := strconv.ParseInt(id, 10, 64)
		if err != nil || (status != sm.Open && status != sm.Closed) {
			return sdk.ActionResult{Error: w.T("unknown-action")}, nil
		}
		_, err = sm.SetThreadStatus.Call(ctx, req.Host, sm.SetStatus{ThreadID: tid, Status: status})
		msg := w.T("done.closed")
		if status == sm.Open {
			msg = w.T("done.reopened")
		}
		return answer(w, err, "", threadHref(req.Room, tid), msg)
	case "count":
		return count(ctx, req)
	case "broadcast":
		return broadcast(ctx, req)
	}
	return sdk.ActionResult{Error: w.T("unknown-action")}, nil
}

// checked reports whether a checkbox was ticked.
func checked(req sdk.ActionRequest, name string) bool {
	v := req.Value(name)
	return v != "" && v != "false"
}

// pair reads "thread:message" ids from a form's state.
func pair(state string) (int64, int64, bool) {
	a, b, ok := strings.Cut(state, ":")
	x, err1 := strconv.ParseInt(a, 10, 64)
	y, err2 := strconv.ParseInt(b, 10, 64)
	return x, y, ok && err1 == nil && err2 == nil
}

// people are the ids of the ticked person checkboxes, in order.
func people(req sdk.ActionRequest) []int64 {
	var out []int64
	for k := range req.Values {
		if id, ok := strings.CutPrefix(k, "person-"); ok && checked(req, k) {
			if n, err := strconv.ParseInt(id, 10, 64); err == nil && n > 0 {
				out = append(out, n)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// uploads are the upload tokens of the form's file field, passed to the
// host unchanged.
func uploads(req sdk.ActionRequest) []string {
	var out []string
	for _, t := range req.Values["attachments"] {
		if t != "" {
			out = append(out, t)
		}
	}
	return out
}

func start(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	w := words(req.Viewer)
	in := sm.Start{Subject: req.Value("subject"), Body: req.Value("body"), People: people(req), Attachments: uploads(req)}
	in.To, _ = strconv.ParseInt(req.Value("to"), 10, 64)
	in.PartnerID, _ = strconv.ParseInt(req.Value("partner"), 10, 64)
	d, err := sm.StartThread.Call(ctx, req.Host, in)
	return answer(w, err, "body", threadHref(req.Room, d.Thread.ID), w.T("done.started"))
}

func threadAction(ctx context.Context, req sdk.ActionRequest, id int64) (sdk.ActionResult, error) {
	w := words(req.Viewer)
	back := threadHref(req.Room, id)
	switch req.Name {
	case "post":
		_, err := sm.PostMessage.Call(ctx, req.Host, sm.Post{ThreadID: id, Body: req.Value("body"), Attachments: uploads(req)})
		return answer(w, err, "body", back, w.T("done.sent"))
	case "add":
		who := people(req)
		if len(who) == 0 {
			return sdk.ActionResult{Error: w.T("error.tick-people"), FieldErrors: map[string]string{"people": w.T("error.tick-people")}}, nil
		}
		_, err := sm.AddToThread.Call(ctx, req.Host, sm.AddPeople{ThreadID: id, People: who})
		return answer(w, err, "", back, w.N("done.added", len(who)))
	default: // assign
		user, _ := strconv.ParseInt(req.Value("userId"), 10, 64)
		t, err := sm.AssignThread.Call(ctx, req.Host, sm.Assign{ThreadID: id, UserID: user})
		msg := w.T("done.unassigned")
		if t.Assignee != nil {
			msg = w.T("done.assigned", "Name", t.Assignee.Name)
		}
		return answer(w, err, "userId", back, msg)
	}
}

func count(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	w := words(req.Viewer)
	prog, err := req.Host.Program(ctx)
	if err != nil {
		return sdk.ActionResult{}, err
	}
	aud := audienceFrom(req.Values, prog)
	res, err := sm.SendBroadcast.Call(ctx, req.Host, sm.Broadcast{Audience: aud, DryRun: true})
	if r, ok := refusal(w, err, ""); ok {
		return r, nil
	}
	if err != nil {
		return sdk.ActionResult{}, err
	}
	v := audienceQuery(aud)
	v.Set("count", strconv.Itoa(res.Partners))
	return sdk.Navigate(req.Room.Path + "/items/broadcast?" + v.Encode()), nil
}

func broadcast(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	w := words(req.Viewer)
	prog, err := req.Host.Program(ctx)
	if err != nil {
		return sdk.ActionResult{}, err
	}
	state, err := url.ParseQuery(req.State)
	if err != nil {
		return sdk.ActionResult{Error: w.T("unknown-action")}, nil
	}
	res, err := sm.SendBroadcast.Call(ctx, req.Host, sm.Broadcast{Audience: audienceFrom(state, prog), Subject: req.Value("subject"), Body: req.Value("body")})
	msg := w.T("done.broadcast", "Partners", w.N("count.partners", res.Partners), "Threads", w.N("count.conversations", len(res.Threads)))
	return answer(w, err, "body", req.Room.Path, msg)
}

// answer is the result of a write: on success a message and the page to go
// to; on a refusal what the viewer can act on (see refusal).
func answer(w *i18n.Locale, err error, main, next, msg string) (sdk.ActionResult, error) {
	if r, ok := refusal(w, err, main); ok {
		return r, nil
	}
	if err != nil {
		return sdk.ActionResult{}, err
	}
	return sdk.ActionResult{Message: msg, Navigate: next}, nil
}

// formNames maps the host's field names onto the forms' where they differ.
var formNames = map[string]string{"partnerId": "partner"}

// refusal turns a host refusal into what the viewer sees (see
// sdk.Refusals): a problem on the people chosen or the audience, and one
// naming no field such as sending too fast, also become the form's own
// error, with the form shown again on main so nothing typed is lost.
func refusal(w *i18n.Locale, err error, main string) (sdk.ActionResult, bool) {
	return sdk.Refusals{Main: main, Rename: formNames, OnForm: onForm, CheckFields: w.T("check-fields"), Gone: w.T("gone")}.Result(err)
}

// onForm are the field names the room's forms draw; a problem reported on
// any other name has no field to sit beside.
var onForm = map[string]bool{"subject": true, "body": true, "to": true, "partner": true, "attachments": true, "userId": true, "q": true}
