package distributor

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
	sn "github.com/atriumhq/atrium/sdk/network"
)

// act serves every form and button of the room.
func act(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	w := words(req.Viewer)
	id, _ := strconv.ParseInt(req.State, 10, 64)
	switch req.Name {
	case "filter":
		q := parseDir(req.Values)
		q.D, q.Page = id, 1
		return sdk.Navigate(dirHref(req.Room, q)), nil
	case "range":
		return sdk.Navigate(dashHref(req.Room, id, req.Value("from"), nextDay(req.Value("to")))), nil
	case "recruit":
		in := sn.Recruit{Company: req.Value("company"), Type: req.Value("type"), AdminName: req.Value("adminName"), AdminEmail: req.Value("adminEmail")}
		sent, err := sn.RecruitPartner.Call(ctx, req.Host, in)
		if r, ok := refusal(w, err, "company"); ok {
			r.Navigate = req.Room.Path + "/items/recruit"
			return r, nil
		}
		if err != nil {
			return sdk.ActionResult{}, err
		}
		msg := w.T("done.sent", "Company", sent.Invitation.Company)
		if sent.Link != "" {
			msg = linkText(w, sent)
		}
		return sdk.ActionResult{Message: msg, Navigate: req.Room.Path + "/items/invitations"}, nil
	case "link":
		sent, err := sn.NewLink.Call(ctx, req.Host, sn.ByID{ID: id})
		if r, ok := refusal(w, err, ""); ok {
			return r, nil
		}
		if err != nil {
			return sdk.ActionResult{}, err
		}
		return sdk.ActionResult{Message: linkText(w, sent), Navigate: req.Room.Path + "/items/invitations"}, nil
	case "approve":
		sent, err := sn.Decide.Call(ctx, req.Host, sn.Decision{ID: id, Approve: true})
		if r, ok := refusal(w, err, ""); ok {
			return r, nil
		}
		if err != nil {
			return sdk.ActionResult{}, err
		}
		return sdk.ActionResult{Message: w.T("done.approved", "Company", sent.Invitation.Company, "Link", linkText(w, sent)), Navigate: req.Room.Path}, nil
	case "decline":
		sent, err := sn.Decide.Call(ctx, req.Host, sn.Decision{ID: id, Reason: req.Value("reason")})
		if r, ok := refusal(w, err, "reason"); ok {
			return r, nil
		}
		if err != nil {
			return sdk.ActionResult{}, err
		}
		return sdk.ActionResult{Message: w.T("done.declined", "Company", sent.Invitation.Company, "Distributor", sent.Invitation.Distributor), Navigate: req.Room.Path}, nil
	}
	return sdk.ActionResult{Error: w.T("unknown-action")}, nil
}

// nextDay turns the last day a person picked into the end of the range
// (the day after), leaving anything unreadable for the host to refuse.
func nextDay(s string) string {
	t, err := parseDay(s)
	if err != nil {
		return s
	}
	return t.AddDate(0, 0, 1).Format("2006-01-02")
}

func linkText(w *i18n.Locale, s sn.Sent) string {
	if s.Link == "" {
		return ""
	}
	until := ""
	if s.Expires != nil {
		until = w.DateTime(*s.Expires) + " " + s.Expires.Format("MST")
	}
	return w.T("done.link", "Name", s.Invitation.AdminName, "Link", s.Link, "Until", until)
}

var onForm = map[string]bool{"company": true, "type": true, "adminName": true, "adminEmail": true, "reason": true, "q": true}

// refusal turns a host refusal into what the viewer sees.
func refusal(w *i18n.Locale, err error, main string) (sdk.ActionResult, bool) {
	return sdk.Refusals{Main: main, OnForm: onForm, CheckFields: w.T("check-fields"), Gone: w.T("gone")}.Result(err)
}

func parseDay(s string) (time.Time, error) { return time.Parse("2006-01-02", strings.TrimSpace(s)) }
