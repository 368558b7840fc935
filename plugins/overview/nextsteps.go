package overview

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/compliance"
	"github.com/atriumhq/atrium/sdk/i18n"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/atriumhq/atrium/sdk/projects"
	"github.com/atriumhq/atrium/sdk/ui"
)

// nextStepsBlock answers "what should I do now" for a partner: a short
// list, most urgent first, of what their own records ask of them, each a
// link to where they do it. Staff see nothing: their queue is the
// pipeline-queue block.
type nextStepsBlock struct{}

// maxSteps keeps the list short enough for the first screen of a phone.
const maxSteps = 5

// Windows within which a date counts as "soon".
const (
	soonDeal = 14 // days before protection ends or a deal should close
	soonDoc  = 30 // days before a document is due
)

const nextStepsSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "Next steps",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "start": {
      "type": "object",
      "description": "Per partner type, where a partner's work starts (leads: submitting leads; deals: registering deals). It names the step offered when nothing else needs them. A type not listed starts where its records are.",
      "additionalProperties": {"enum": ["leads", "deals"]}
    }
  }
}`

type nextStepsConfig struct {
	Start map[string]string `json:"start,omitempty"`
}

func (nextStepsBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "next-steps", Title: "Next steps", Icon: "check",
		Description:   "For partners: what their records ask of them now (documents due or refused, deal registrations about to lapse, late project tasks), most urgent first.",
		ConfigSchema:  json.RawMessage(nextStepsSchema),
		DefaultConfig: nextStepsDefault}
}

// nextStepsDefault starts the default program's referral partners and
// resellers at their leads, distributors and implementation partners at
// their deals.
var nextStepsDefault = json.RawMessage(`{"start": {"referral": "leads", "reseller": "leads", "distributor": "deals", "implementation": "deals"}}`)

// records is what the next steps are computed from, all of it the
// partner's own.
type records struct {
	Deals    []sp.Deal
	Items    []compliance.Item
	Projects []projects.Project
	// LeadsThisMonth and LeadsBefore count the leads submitted this month
	// and in the five months before.
	LeadsThisMonth, LeadsBefore int64
	// Start is where the partner's work starts: "leads" or "deals".
	Start string
}

func (nextStepsBlock) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	if req.Viewer.Staff() || req.Viewer.Partner == nil {
		return ui.Stack{}, nil
	}
	var cfg nextStepsConfig
	if len(req.Config) > 0 {
		if err := json.Unmarshal(req.Config, &cfg); err != nil {
			return nil, err
		}
	}
	now := time.Now().UTC()
	r, err := gather(ctx, req, cfg, now)
	if err != nil {
		return nil, err
	}
	return nextSteps(words(req.Viewer), req, r, now), nil
}

// gather reads the partner's records through the host API: open deals,
// compliance items that need someone, projects that are late, and how
// many leads they submitted lately. A distributor's host calls answer its
// sub-partners' records too; only the partner's own are kept.
func gather(ctx context.Context, req sdk.RenderRequest, cfg nextStepsConfig, now time.Time) (records, error) {
	own := req.Viewer.PartnerID()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	// Only the deals whose dates come within the window: the others ask
	// nothing yet (an Overview must not read a reseller's whole book).
	until := now.AddDate(0, 0, soonDeal+1)
	var (
		r                 records
		deals             sp.DealPage
		items             compliance.ItemPage
		ps                projects.ProjectPage
		thisMonth, before sp.MetricValue
		wg                sync.WaitGroup
		errs              = make([]error, 5)
	)
	// The calls are independent: made together, the block waits for the
	// slowest, not for their sum.
	for i, call := range []func() error{
		func() (err error) {
			deals, err = sp.ListDeals.Call(ctx, req.Host, sp.DealQuery{Open: true, Until: &until, PerPage: 50, PartnerID: own})
			return err
		},
		func() (err error) {
			items, err = compliance.ListItems.Call(ctx, req.Host, compliance.ItemQuery{PartnerID: own, Status: "attention", PerPage: 50})
			return err
		},
		func() (err error) {
			ps, err = projects.ListProjects.Call(ctx, req.Host, projects.ProjectQuery{PartnerID: own, Attention: true, PerPage: 20})
			return err
		},
		func() (err error) {
			thisMonth, err = sp.Measure.Call(ctx, req.Host, sp.MetricQuery{Metric: sp.MetricLeadsSubmitted, From: month, To: now.Add(time.Minute), PartnerID: own})
			return err
		},
		func() (err error) {
			before, err = sp.Measure.Call(ctx, req.Host, sp.MetricQuery{Metric: sp.MetricLeadsSubmitted, From: month.AddDate(0, -(overviewMonths - 1), 0), To: month, PartnerID: own})
			return err
		},
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = call()
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return r, err
	}
	for _, d := range deals.Items {
		if d.PartnerID == own {
			r.Deals = append(r.Deals, d)
		}
	}
	for _, it := range items.Items {
		if it.PartnerID == own {
			r.Items = append(r.Items, it)
		}
	}
	for _, p := range ps.Projects {
		if p.PartnerID == own {
			r.Projects = append(r.Projects, p)
		}
	}
	r.LeadsThisMonth, r.LeadsBefore = thisMonth.Value, before.Value
	r.Start = cfg.Start[req.Viewer.Partner.Type]
	if r.Start == "" {
		// Where its records are: deals for a partner that registers deals
		// and submits no leads, leads otherwise.
		r.Start = "leads"
		if len(r.Deals) > 0 && r.LeadsThisMonth+r.LeadsBefore == 0 {
			r.Start = "deals"
		}
	}
	return r, nil
}

// step is one thing to do, ranked: 0 is late or refused, 1 is due soon,
// 2 is worth doing, 3 is a habit worth keeping. Within a rank the earliest
// date comes first.
type step struct {
	rank int
	when time.Time
	item ui.ListItem
}

// nextSteps ranks what the records ask of the partner and draws the
// first few; with nothing to do it says so and offers where their work
// starts.
func nextSteps(l *i18n.Locale, req sdk.RenderRequest, r records, now time.Time) ui.Component {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	days := func(t time.Time) int { return int(t.Sub(today).Hours() / 24) }
	var steps []step
	add := func(rank int, when time.Time, tone ui.Tone, badge, title, desc, href string) {
		steps = append(steps, step{rank: rank, when: when, item: ui.ListItem{Title: title, Description: desc, Href: href,
			Badge: &ui.Badge{Text: badge, Tone: tone}}})
	}
	urgent := func() (ui.Tone, string) { return ui.ToneDanger, l.T("next.badge-late") }
	soon := func() (ui.Tone, string) { return ui.ToneWarning, l.T("next.badge-soon") }
	todo := func() (ui.Tone, string) { return ui.ToneInfo, l.T("next.badge-todo") }

	for _, it := range r.Items {
		href := roomPath(req, "compliance")
		due := isoDate(it.Due)
		switch it.Status {
		case compliance.Rejected:
			desc := l.T("next.doc-rejected-hint")
			if it.Reason != "" {
				desc = l.T("next.doc-rejected-reason", "Reason", it.Reason)
			}
			tone, badge := urgent()
			add(0, due, tone, badge, l.T("next.doc-rejected", "Name", it.Name), desc, href)
		case compliance.Overdue:
			tone, badge := urgent()
			add(0, due, tone, badge, l.T("next.doc-overdue", "Name", it.Name), l.T("next.doc-overdue-hint", "Date", l.Day(it.Due)), href)
		case compliance.Expired:
			tone, badge := urgent()
			add(0, isoDate(it.Expires), tone, badge, l.T("next.doc-expired", "Name", it.Name), l.T("next.doc-renew"), href)
		case compliance.Expiring:
			tone, badge := soon()
			add(1, isoDate(it.Expires), tone, badge, l.T("next.doc-expiring", "Name", it.Name, "Date", l.Day(it.Expires)), l.T("next.doc-renew"), href)
		case compliance.Missing:
			desc := l.T("next.doc-missing-hint")
			if it.Due != "" {
				desc = l.T("next.doc-due", "Date", l.Day(it.Due))
			}
			if !due.IsZero() && days(due) <= soonDoc {
				tone, badge := soon()
				add(1, due, tone, badge, l.T("next.doc-missing", "Name", it.Name), desc, href)
			} else {
				tone, badge := todo()
				add(2, due, tone, badge, l.T("next.doc-missing", "Name", it.Name), desc, href)
			}
		}
	}
	for _, d := range r.Deals {
		if !d.Open() {
			continue
		}
		href := roomPath(req, "deals") + "/items/" + strconv.FormatInt(d.ID, 10)
		switch {
		case d.Registration == sp.RegistrationApproved && d.ProtectedUntil != nil && d.ProtectedUntil.Before(now):
			tone, badge := urgent()
			add(0, *d.ProtectedUntil, tone, badge, l.T("next.protection-ended", "Deal", d.Name), l.T("next.protection-hint"), href)
		case d.Registration == sp.RegistrationApproved && d.ProtectedUntil != nil && days(*d.ProtectedUntil) <= soonDeal:
			tone, badge := soon()
			title := l.N("next.protection-ends", days(*d.ProtectedUntil), "Deal", d.Name)
			if days(*d.ProtectedUntil) < 1 {
				title = l.T("next.protection-today", "Deal", d.Name)
			}
			add(1, *d.ProtectedUntil, tone, badge, title, l.T("next.protection-hint"), href)
		case d.ExpectedClose != nil && d.ExpectedClose.Before(today):
			tone, badge := urgent()
			add(1, *d.ExpectedClose, tone, badge, l.T("next.close-passed", "Deal", d.Name, "Date", l.Date(*d.ExpectedClose)), l.T("next.close-passed-hint"), href)
		case d.ExpectedClose != nil && days(*d.ExpectedClose) <= soonDeal:
			tone, badge := todo()
			add(2, *d.ExpectedClose, tone, badge, l.T("next.close-soon", "Deal", d.Name, "Date", l.Date(*d.ExpectedClose)), l.T("next.close-soon-hint"), href)
		}
	}
	for _, p := range r.Projects {
		href := roomPath(req, "projects") + "/items/" + strconv.FormatInt(p.ID, 10)
		switch {
		case p.LateTasks > 0:
			tone, badge := urgent()
			add(0, isoDate(p.Target), tone, badge, l.N("next.project-late", p.LateTasks, "Project", p.Name), l.T("next.project-late-hint"), href)
		case p.LateMilestones > 0:
			tone, badge := urgent()
			add(0, isoDate(p.Target), tone, badge, l.N("next.milestone-late", p.LateMilestones, "Project", p.Name), l.T("next.project-late-hint"), href)
		}
	}
	// A partner who brought leads in the last months and none yet this
	// month is reminded, last.
	if r.Start == "leads" && r.LeadsThisMonth == 0 && r.LeadsBefore > 0 {
		tone, badge := todo()
		add(3, time.Time{}, tone, badge, l.T("next.no-leads"), l.T("next.no-leads-hint"), roomPath(req, "leads"))
	}

	slices.SortStableFunc(steps, func(a, b step) int {
		if c := cmp.Compare(a.rank, b.rank); c != 0 {
			return c
		}
		switch {
		case a.when.IsZero() && b.when.IsZero():
			return 0
		case a.when.IsZero():
			return 1
		case b.when.IsZero():
			return -1
		}
		return a.when.Compare(b.when)
	})
	out := ui.Children{ui.Heading{Text: l.T("next.title"), Level: 2}}
	if len(steps) == 0 {
		action := &ui.Button{Label: l.T("next.submit-lead"), Href: roomPath(req, "leads"), Icon: "plus"}
		if r.Start == "deals" {
			action = &ui.Button{Label: l.T("next.register-deal"), Href: roomPath(req, "deals"), Icon: "briefcase"}
		}
		return ui.Stack{Children: append(out, ui.Empty{Title: l.T("next.empty"), Description: l.T("next.empty-hint"), Action: action})}
	}
	list := ui.List{}
	for i, s := range steps {
		if i == maxSteps {
			break
		}
		list.Items = append(list.Items, s.item)
	}
	return ui.Stack{Children: append(out, list)}
}

// isoDate reads a "YYYY-MM-DD" date; anything else is no date.
func isoDate(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
