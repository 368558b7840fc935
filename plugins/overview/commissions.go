package overview

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/atriumhq/atrium/sdk/ui"
)

type ledgerBlock struct{}

func (ledgerBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "commission-ledger", Title: "Commissions", Icon: "file-text",
		Description: "The commission ledger: pending, approved and paid entries; staff approve and pay."}
}

func (ledgerBlock) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	page, err := sp.ListCommissions.Call(ctx, req.Host, sp.CommissionQuery{PerPage: 20})
	if err != nil {
		return nil, err
	}
	staff := req.Viewer.Staff()
	l := words(req.Viewer)
	cols := []ui.TableColumn{{Label: l.T("ledger.entry")}, {Label: l.T("ledger.amount"), Align: "right"}, {Label: l.T("ledger.status")}, {Label: l.T("ledger.paid")}}
	if staff {
		cols = append([]ui.TableColumn{{Label: l.T("ledger.partner")}}, append(cols, ui.TableColumn{Label: l.T("ledger.action")})...)
	}
	t := ui.Table{Columns: cols, Empty: l.T("ledger.empty")}
	for _, c := range page.Items {
		paid := "—"
		if c.PayoutDate != nil {
			paid = l.Date(*c.PayoutDate) + " · " + c.Reference
		}
		cells := ui.Children{
			ui.Text{Text: fmt.Sprintf("#%d %s", c.ID, c.Description)},
			ui.Text{Text: l.Money(c.Amount.Amount, c.Amount.Currency)},
			ui.Badge{Text: statusLabel(l, c.Status), Tone: map[string]ui.Tone{sp.CommissionPaid: ui.ToneSuccess, sp.CommissionApproved: ui.ToneInfo}[c.Status]},
			ui.Text{Text: paid, Muted: true},
		}
		if staff {
			var act ui.Component = ui.Text{Text: ""}
			id := strconv.FormatInt(c.ID, 10)
			switch c.Status {
			case sp.CommissionPending:
				act = ui.Form{Action: ui.Action{Name: "approve", State: id}, Submit: l.T("ledger.approve"), Fields: []ui.Field{}}
			case sp.CommissionApproved:
				act = ui.Form{Action: ui.Action{Name: "pay", State: id}, Submit: l.T("ledger.mark-paid"), Fields: []ui.Field{
					{Name: "reference", Label: l.T("ledger.reference"), Required: true, MaxLength: 100},
					{Name: "payoutDate", Label: l.T("ledger.payout-date"), Type: "date"}}}
			}
			cells = append(ui.Children{ui.Text{Text: c.PartnerName}}, append(cells, act)...)
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: cells})
	}
	return ui.Stack{Children: ui.Children{ui.Heading{Text: l.T("ledger.title"), Level: 2}, t,
		ui.Text{Text: l.T("ledger.note"), Muted: true}}}, nil
}

func (ledgerBlock) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	l := words(req.Viewer)
	id, err := strconv.ParseInt(req.State, 10, 64)
	if err != nil {
		return sdk.ActionResult{Error: l.T("ledger.unknown")}, nil
	}
	ch := sp.CommissionChange{ID: id}
	switch req.Name {
	case "approve":
		ch.Status = sp.CommissionApproved
	case "pay":
		ch.Status, ch.Reference, ch.PayoutDate = sp.CommissionPaid, req.Value("reference"), req.Value("payoutDate")
	default:
		return sdk.ActionResult{Error: l.T("ledger.unknown-action")}, nil
	}
	c, err := sp.SetCommission.Call(ctx, req.Host, ch)
	var ce *sdk.CallError
	if errors.As(err, &ce) {
		if len(ce.Fields) > 0 {
			return sdk.ActionResult{FieldErrors: ce.Fields}, nil
		}
		return sdk.ActionResult{Error: ce.Message}, nil
	}
	if err != nil {
		return sdk.ActionResult{}, err
	}
	return sdk.OK(l.T("ledger.changed", "ID", c.ID, "Status", statusLabel(l, c.Status))), nil
}

// queueBlock shows staff what waits for them; partners see nothing.
type queueBlock struct{}

func (queueBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "pipeline-queue", Title: "Waiting for you", Icon: "inbox",
		Description: "For partner managers: leads under review and deal registrations to approve."}
}

func (queueBlock) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	if !req.Viewer.Staff() {
		return ui.Stack{}, nil
	}
	leads, err := sp.ListLeads.Call(ctx, req.Host, sp.LeadQuery{Review: true, PerPage: 10})
	if err != nil {
		return nil, err
	}
	deals, err := sp.ListDeals.Call(ctx, req.Host, sp.DealQuery{Registration: sp.RegistrationPending, PerPage: 10})
	if err != nil {
		return nil, err
	}
	w := words(req.Viewer)
	l := ui.List{}
	for _, x := range leads.Items {
		l.Items = append(l.Items, ui.ListItem{Title: x.Company, Description: w.T("queue.lead", "Partner", x.PartnerName),
			Href: "/admin/work/leads/items/" + strconv.FormatInt(x.ID, 10), Badge: &ui.Badge{Text: w.T("queue.conflict"), Tone: ui.ToneWarning}})
	}
	for _, x := range deals.Items {
		l.Items = append(l.Items, ui.ListItem{Title: x.Name, Description: w.T("queue.registration", "Partner", x.PartnerName, "Value", w.Money(x.Value.Amount, x.Value.Currency)),
			Href: "/admin/work/deals/items/" + strconv.FormatInt(x.ID, 10), Badge: &ui.Badge{Text: w.T("queue.to-approve"), Tone: ui.ToneInfo}})
	}
	if len(l.Items) == 0 {
		return ui.Stack{Children: ui.Children{ui.Heading{Text: w.T("queue.title"), Level: 2}, ui.Empty{Title: w.T("queue.clear"), Description: w.T("queue.clear-hint")}}}, nil
	}
	return ui.Stack{Children: ui.Children{ui.Heading{Text: w.T("queue.title"), Level: 2}, l}}, nil
}
