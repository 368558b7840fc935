package messages

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
)

// The audience's parts, as checkbox prefixes in the count form and as
// parameters in the page's URL.
const (
	audType  = "type"
	audTier  = "tier"
	audStage = "stage"
)

// audienceFrom reads an audience from checkboxes named "type-reseller",
// "tier-gold", ... that are ticked, keeping only the program's words.
func audienceFrom(values map[string][]string, prog sdk.Program) sdk.Audience {
	pick := func(prefix string, words []string) []string {
		var out []string
		for _, w := range words {
			if v := first(values, prefix+"-"+w); v != "" && v != "false" {
				out = append(out, w)
			}
		}
		return out
	}
	return sdk.Audience{PartnerTypes: pick(audType, prog.PartnerTypes), Tiers: pick(audTier, prog.Tiers), Stages: pick(audStage, prog.Stages)}
}

// audienceQuery writes an audience as a URL query, the same shape
// audienceFrom reads.
func audienceQuery(a sdk.Audience) url.Values {
	v := url.Values{}
	for prefix, words := range map[string][]string{audType: a.PartnerTypes, audTier: a.Tiers, audStage: a.Stages} {
		for _, w := range words {
			v.Set(prefix+"-"+w, "1")
		}
	}
	return v
}

// broadcastPage lets staff message an audience: count the partners it
// reaches, then write the message, which opens one thread per partner.
func broadcastPage(ctx context.Context, req sdk.ItemRequest) (sdk.Page, error) {
	if !req.Viewer.Staff() {
		return sdk.Page{}, sdk.ErrNotFound
	}
	prog, err := req.Host.Program(ctx)
	if err != nil {
		return sdk.Page{}, err
	}
	aud := audienceFrom(req.Query, prog)
	fields := []ui.Field{}
	group := func(prefix, label string, words, chosen []string) {
		for _, w := range words {
			fields = append(fields, ui.Field{Name: prefix + "-" + w, Label: label + ": " + w, Type: "checkbox",
				Value: strconv.FormatBool(slices.Contains(chosen, w))})
		}
	}
	group(audType, txtPartnerTypes, prog.PartnerTypes, aud.PartnerTypes)
	group(audTier, txtTiers, prog.Tiers, aud.Tiers)
	group(audStage, txtStages, prog.Stages, aud.Stages)
	if len(fields) > 0 {
		fields[0].Help = txtAudienceHelp
	}
	body := ui.Children{
		ui.Heading{Text: txtAudience, Level: 2},
		ui.Form{Action: ui.Action{Name: "count"}, Submit: txtCount, Fields: fields},
	}
	_, counted := req.Query["count"]
	n, _ := strconv.Atoi(first(req.Query, "count"))
	switch {
	case !counted:
		body = append(body, ui.Text{Text: txtBroadcastNote, Muted: true})
	case n == 0:
		body = append(body, ui.Empty{Title: txtNoAudience, Description: txtNoAudienceHelp})
	default:
		send := fmt.Sprintf(txtSendTo, plural(n, "partner", "partners"))
		body = append(body,
			ui.Callout{Tone: ui.ToneInfo, Title: fmt.Sprintf(txtReaches, plural(n, "partner", "partners")), Body: txtOnePerPartner},
			ui.Heading{Text: txtWrite, Level: 2},
			// The audience travels in the signed state: what was counted is
			// what is sent.
			ui.Form{Action: ui.Action{Name: "broadcast", State: audienceQuery(aud).Encode(), Confirm: send + "?"}, Submit: send, Fields: []ui.Field{
				{Name: "subject", Label: txtSubject, Required: true, MaxLength: 200},
				{Name: "body", Label: txtMessage, Type: "textarea", Required: true, Help: txtMessageHelp, MaxLength: 20000},
			}})
	}
	body = append(body, ui.Link{Text: txtBack, Href: req.Room.Path})
	return sdk.Page{Title: txtMessagePartners, Body: ui.Stack{Children: body}}, nil
}
