package projects

import (
	"context"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
	sp "github.com/atriumhq/atrium/sdk/projects"
)

// act serves every form and button of the room.
func act(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	w := words(req.Viewer)
	switch req.Name {
	case "filter":
		return sdk.Navigate(parseList(req.Values).href(req.Room, 1)), nil
	case "create":
		return create(ctx, req)
	case "task-filter":
		pidS, view, _ := strings.Cut(req.State, ":")
		pid, ok := id(pidS)
		if !ok {
			return sdk.ActionResult{Error: w.T("unknown-action")}, nil
		}
		q := parseTasks(req.Values)
		q.List = view == "list"
		return sdk.Navigate(q.href(req.Room, pid, 1)), nil
	}
	ids, ok := ints(req.State)
	if !ok || len(ids) == 0 {
		return sdk.ActionResult{Error: w.T("unknown-action")}, nil
	}
	pid := ids[0]
	need := map[string]int{"update-project": 1, "template": 1, "milestone": 2, "milestone-delete": 2, "milestone-done": 3,
		"task": 2, "task-delete": 2, "move": 2, "check": 4, "comment": 2, "deliver": 3, "deliver-milestone": 1, "review": 3}
	if n, known := need[req.Name]; !known || len(ids) != n {
		return sdk.ActionResult{Error: w.T("unknown-action")}, nil
	}
	switch req.Name {
	case "update-project":
		return updateProject(ctx, req, pid)
	case "template":
		t, err := sp.SaveAsTemplate.Call(ctx, req.Host, sp.SaveTemplate{ProjectID: pid, Name: strings.TrimSpace(req.Value("name")), Description: req.Value("description")})
		return answer(w, err, "name", nil, projectHref(req.Room, pid), w.T("done.template-saved", "Name", t.Name))
	case "milestone":
		return milestone(ctx, req, pid, ids[1])
	case "milestone-delete":
		_, err := sp.ChangeMilestone.Call(ctx, req.Host, sp.MilestoneChange{ID: ids[1], Delete: true})
		return answer(w, err, "", nil, projectHref(req.Room, pid), w.T("done.milestone-deleted"))
	case "milestone-done":
		done := ids[2] == 1
		_, err := sp.ChangeMilestone.Call(ctx, req.Host, sp.MilestoneChange{ID: ids[1], Done: &done})
		msg := w.T("done.milestone-done")
		if !done {
			msg = w.T("done.milestone-not-done")
		}
		return answer(w, err, "", nil, projectHref(req.Room, pid), msg)
	case "task":
		return task(ctx, req, pid, ids[1])
	case "task-delete":
		_, err := sp.ChangeTask.Call(ctx, req.Host, sp.TaskChange{ID: ids[1], Delete: true})
		return answer(w, err, "", nil, tasksHref(req.Room, pid), w.T("done.task-deleted"))
	case "move":
		status := req.Value("status")
		if !taskStatusKnown(status) {
			return sdk.ActionResult{FieldErrors: map[string]string{"status": w.T("error.choose-column")}, Error: w.T("check-fields")}, nil
		}
		t, err := sp.ChangeTask.Call(ctx, req.Host, sp.TaskChange{ID: ids[1], Status: &status})
		// Back to the board the viewer moved it on (the page they were on
		// is not known; the board is where moving happens).
		return answer(w, err, "status", nil, tasksHref(req.Room, pid), w.T("done.moved", "Task", t.Title, "Column", taskStatusLabel(w, status)))
	case "check":
		_, err := sp.ChangeTask.Call(ctx, req.Host, sp.TaskChange{ID: ids[1], Check: &sp.CheckMark{Index: int(ids[2]), Done: ids[3] == 1}})
		msg := w.T("done.ticked")
		if ids[3] != 1 {
			msg = w.T("done.unticked")
		}
		return answer(w, err, "", nil, taskHref(req.Room, pid, ids[1]), msg)
	case "comment":
		_, err := sp.AddComment.Call(ctx, req.Host, sp.NewComment{TaskID: ids[1], Body: req.Value("body")})
		return answer(w, err, "body", nil, taskHref(req.Room, pid, ids[1]), w.T("done.comment"))
	case "deliver":
		return deliver(ctx, req, pid, ids[1], ids[2])
	case "deliver-milestone":
		return deliverMilestone(ctx, req, pid)
	default: // review
		return review(ctx, req, pid, ids[1], ids[2])
	}
}

// ints reads "1:2:3" from a form's state.
func ints(state string) ([]int64, bool) {
	var out []int64
	for _, s := range strings.Split(state, ":") {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}

func create(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	w := words(req.Viewer)
	in := sp.NewProject{Name: strings.TrimSpace(req.Value("name")), Customer: strings.TrimSpace(req.Value("customer")),
		Description: req.Value("description"), Start: req.Value("start"), Target: req.Value("target"), Status: req.Value("status")}
	in.PartnerID, _ = strconv.ParseInt(req.Value("partner"), 10, 64)
	in.TemplateID, _ = strconv.ParseInt(req.Value("template"), 10, 64)
	if req.Viewer.Staff() && in.PartnerID == 0 {
		return sdk.ActionResult{FieldErrors: map[string]string{"partner": w.T("error.choose-partner")}, Error: w.T("check-fields")}, nil
	}
	d, err := sp.CreateProject.Call(ctx, req.Host, in)
	return answer(w, err, "name", nil, projectHref(req.Room, d.Project.ID), w.T("done.created", "Name", d.Project.Name))
}

// updateProject saves the project form. Members are checkboxes; the
// change adds the ticked people who are not on the project and removes
// the unticked ones who are.
func updateProject(ctx context.Context, req sdk.ActionRequest, pid int64) (sdk.ActionResult, error) {
	w := words(req.Viewer)
	d, err := sp.GetProject.Call(ctx, req.Host, sp.ByID{ID: pid})
	if r, ok := refusal(w, err, "", nil); ok {
		return r, nil
	}
	if err != nil {
		return sdk.ActionResult{}, err
	}
	str := func(k string) *string { v := strings.TrimSpace(req.Value(k)); return &v }
	num := func(k string) *int64 { n, _ := strconv.ParseInt(req.Value(k), 10, 64); return &n }
	ch := sp.ProjectChange{ID: pid, Name: str("name"), Customer: str("customer"), Start: str("start"), Target: str("target"),
		Status: str("status"), PartnerOwner: num("partnerOwner"), VendorOwner: num("vendorOwner")}
	desc := req.Value("description")
	ch.Description = &desc
	on := map[int64]bool{}
	for _, m := range d.Members {
		on[m.ID] = true
	}
	seen := map[int64]bool{}
	for _, p := range append(append([]sp.Person{}, d.Members...), d.Candidates...) {
		if seen[p.ID] {
			continue
		}
		seen[p.ID] = true
		ticked := checked(req, personField(p.ID))
		switch {
		case ticked && !on[p.ID]:
			ch.AddMembers = append(ch.AddMembers, p.ID)
		case !ticked && on[p.ID]:
			ch.RemoveMembers = append(ch.RemoveMembers, p.ID)
		}
	}
	_, err = sp.UpdateProject.Call(ctx, req.Host, ch)
	return answer(w, err, "name", nil, projectHref(req.Room, pid), w.T("done.project-saved"))
}

func checked(req sdk.ActionRequest, name string) bool { return on(req.Value(name)) }

func milestone(ctx context.Context, req sdk.ActionRequest, pid, mid int64) (sdk.ActionResult, error) {
	w := words(req.Viewer)
	title, start, due := strings.TrimSpace(req.Value("title")), req.Value("start"), req.Value("due")
	ch := sp.MilestoneChange{ID: mid, Title: &title, Start: &start, Due: &due}
	msg := w.T("done.milestone-saved")
	if mid == 0 {
		ch.ProjectID = pid
		msg = w.T("done.milestone-added")
	} else {
		done := checked(req, "done")
		ch.Done = &done
	}
	_, err := sp.ChangeMilestone.Call(ctx, req.Host, ch)
	return answer(w, err, "title", nil, projectHref(req.Room, pid), msg)
}

func task(ctx context.Context, req sdk.ActionRequest, pid, tid int64) (sdk.ActionResult, error) {
	w := words(req.Viewer)
	title, due, status, desc := strings.TrimSpace(req.Value("title")), req.Value("due"), req.Value("status"), req.Value("description")
	ms, _ := strconv.ParseInt(req.Value("milestone"), 10, 64)
	who, _ := strconv.ParseInt(req.Value("assignee"), 10, 64)
	ch := sp.TaskChange{ID: tid, Title: &title, Due: &due, Status: &status, Description: &desc, MilestoneID: &ms, Assignee: &who}
	var old []sp.CheckItem
	if tid == 0 {
		ch.ProjectID = pid
	} else {
		d, err := sp.GetTask.Call(ctx, req.Host, sp.ByID{ID: tid})
		if r, ok := refusal(w, err, "", nil); ok {
			return r, nil
		}
		if err != nil {
			return sdk.ActionResult{}, err
		}
		if d.Task.ProjectID != pid {
			return sdk.ActionResult{Error: w.T("gone")}, nil
		}
		old = d.Task.Checklist
	}
	list := checklistFrom(req.Value("checklist"), old)
	ch.Checklist = &list
	t, err := sp.ChangeTask.Call(ctx, req.Host, ch)
	msg := w.T("done.task-saved")
	if tid == 0 {
		msg = w.T("done.task-added")
	}
	return answer(w, err, "title", nil, taskHref(req.Room, pid, t.ID), msg)
}

func deliver(ctx context.Context, req sdk.ActionRequest, pid, tid, fileID int64) (sdk.ActionResult, error) {
	w := words(req.Viewer)
	var token string
	for _, t := range req.Values["file"] {
		if t != "" {
			token = t
			break
		}
	}
	if token == "" {
		return sdk.ActionResult{FieldErrors: map[string]string{"file": w.T("choose-file")}, Error: w.T("check-fields")}, nil
	}
	in := sp.Deliver{TaskID: tid, FileID: fileID, Upload: token}
	if fileID != 0 {
		in.TaskID = 0
	}
	f, err := sp.SubmitFile.Call(ctx, req.Host, in)
	back := taskHref(req.Room, pid, tid)
	if tid == 0 { // a new version of a milestone's file, from the project page
		back = projectHref(req.Room, pid)
	}
	return answer(w, err, "file", map[string]string{"upload": "file", "fileId": "file", "taskId": "file"}, back,
		w.T("done.delivered", "Name", f.Name, "Version", w.Int(int64(f.Version))))
}

// deliverMilestone hands a file over on one of the project's milestones.
// The milestone comes from a select, so it is checked against the
// project's own before the host is called: a milestone of another project
// the viewer sees is refused like one that does not exist.
func deliverMilestone(ctx context.Context, req sdk.ActionRequest, pid int64) (sdk.ActionResult, error) {
	w := words(req.Viewer)
	mid, err := strconv.ParseInt(req.Value("milestone"), 10, 64)
	if err != nil || mid <= 0 {
		return sdk.ActionResult{FieldErrors: map[string]string{"milestone": w.T("choose-milestone")}, Error: w.T("check-fields")}, nil
	}
	d, err := sp.GetProject.Call(ctx, req.Host, sp.ByID{ID: pid})
	if r, ok := refusal(w, err, "", nil); ok {
		return r, nil
	} else if err != nil {
		return sdk.ActionResult{}, err
	}
	own := false
	for _, m := range d.Milestones {
		own = own || m.ID == mid
	}
	if !own {
		return sdk.ActionResult{FieldErrors: map[string]string{"milestone": w.T("choose-milestone")}, Error: w.T("check-fields")}, nil
	}
	var token string
	for _, t := range req.Values["file"] {
		if t != "" {
			token = t
			break
		}
	}
	if token == "" {
		return sdk.ActionResult{FieldErrors: map[string]string{"file": w.T("choose-file")}, Error: w.T("check-fields")}, nil
	}
	f, err := sp.SubmitFile.Call(ctx, req.Host, sp.Deliver{MilestoneID: mid, Upload: token})
	return answer(w, err, "file", map[string]string{"upload": "file", "fileId": "file", "milestoneId": "milestone"}, projectHref(req.Room, pid),
		w.T("done.delivered", "Name", f.Name, "Version", w.Int(int64(f.Version))))
}

// review approves a deliverable or sends it back; sending back needs a
// comment, which is asked for beside the field before the host is called.
func review(ctx context.Context, req sdk.ActionRequest, pid, tid, fileID int64) (sdk.ActionResult, error) {
	w := words(req.Viewer)
	decision, comment := req.Value("decision"), strings.TrimSpace(req.Value("comment"))
	switch {
	case decision != sp.Approved && decision != sp.ChangesRequested:
		return sdk.ActionResult{FieldErrors: map[string]string{"decision": w.T("choose-decision")}, Error: w.T("check-fields")}, nil
	case decision == sp.ChangesRequested && comment == "":
		return sdk.ActionResult{FieldErrors: map[string]string{"comment": w.T("need-comment")}, Error: w.T("check-fields")}, nil
	}
	f, err := sp.ReviewFile.Call(ctx, req.Host, sp.Review{FileID: fileID, Status: decision, Comment: comment})
	back := projectHref(req.Room, pid)
	if tid != 0 {
		back = taskHref(req.Room, pid, tid)
	}
	msg := w.T("done.approved", "Name", f.Name)
	if decision == sp.ChangesRequested {
		msg = w.T("done.sent-back", "Name", f.Name)
	}
	return answer(w, err, "comment", map[string]string{"status": "decision"}, back, msg)
}

// answer is the result of a write: on success a message and the page to go
// to; on a refusal what the viewer can act on (see refusal).
func answer(w *i18n.Locale, err error, main string, names map[string]string, next, msg string) (sdk.ActionResult, error) {
	if r, ok := refusal(w, err, main, names); ok {
		return r, nil
	}
	if err != nil {
		return sdk.ActionResult{}, err
	}
	return sdk.ActionResult{Message: msg, Navigate: next}, nil
}

// formNames maps the host's field names onto the forms' where they differ;
// names passes an action's own.
var formNames = map[string]string{"partnerId": "partner", "templateId": "template", "milestoneId": "milestone",
	"addMembers": "members", "removeMembers": "members", "body": "body"}

// onForm are the field names the room's forms draw; a problem on any other
// name has no field to sit beside and is said in the form's error too.
var onForm = map[string]bool{"partner": true, "template": true, "name": true, "customer": true, "start": true, "target": true,
	"status": true, "description": true, "partnerOwner": true, "vendorOwner": true, "title": true, "due": true, "milestone": true,
	"assignee": true, "checklist": true, "body": true, "file": true, "decision": true, "comment": true, "q": true}

// refusal turns a host refusal into what the viewer sees (see
// sdk.Refusals); names renames the host's fields for one form, over the
// room's formNames.
func refusal(w *i18n.Locale, err error, main string, names map[string]string) (sdk.ActionResult, bool) {
	rename := formNames
	if len(names) > 0 {
		rename = make(map[string]string, len(formNames)+len(names))
		for k, v := range formNames {
			rename[k] = v
		}
		for k, v := range names {
			rename[k] = v
		}
	}
	return sdk.Refusals{Main: main, Rename: rename, OnForm: onForm, CheckFields: w.T("check-fields"), Gone: w.T("gone")}.Result(err)
}
