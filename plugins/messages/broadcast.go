package messages

import (
	"context"
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
		for _, word := range words {
			if v := first(values, prefix+"-"+word); v != "" && v != "false" {
				out = append(out, word)
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
		for _, word := range words {
			v.Set(prefix+"-"+word, "1")
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
	w := words(req.Viewer)
	aud := audienceFrom(req.Query, prog)
	fields := []ui.Field{}
	group := func(prefix, label string, names, chosen []string) {
		for _, name := range names {
			fields = append(fields, ui.Field{Name: prefix + "-" + name, Label: w.T("audience-option", "Group", label, "Name", name), Type: "checkbox",
				Value: strconv.FormatBool(slices.Contains(chosen, name))})
		}
	}
	group(audType, w.T("partner-types"), prog.PartnerTypes, aud.PartnerTypes)
	group(audTier, w.T("tiers"), prog.Tiers, aud.Tiers)
	group(audStage, w.T("stages"), prog.Stages, aud.Stages)
	if len(fields) > 0 {
		fields[0].Help = w.T("audience-help")
	}
	body := ui.Children{
		ui.Heading{Text: w.T("audience"), Level: 2},
		ui.Form{Action: ui.Action{Name: "count"}, Submit: w.T("count-partners"), Fields: fields},
	}
	_, counted := req.Query["count"]
	n, _ := strconv.Atoi(first(req.Query, "count"))
	switch {
	case !counted:
		body = append(body, ui.Text{Text: w.T("broadcast-note"), Muted: true})
	case n == 0:
		body = append(body, ui.Empty{Title: w.T("no-audience"), Description: w.T("no-audience-help")})
	default:
		send := w.N("send-to", n)
		body = append(body,
			ui.Callout{Tone: ui.ToneInfo, Title: w.N("reaches", n), Body: w.T("one-per-partner")},
			ui.Heading{Text: w.T("write"), Level: 2},
			// The audience travels in the signed state: what was counted is
			// what is sent.
			ui.Form{Action: ui.Action{Name: "broadcast", State: audienceQuery(aud).Encode(), Confirm: w.N("send-to-confirm", n)}, Submit: send, Fields: []ui.Field{
				{Name: "subject", Label: w.T("subject"), Required: true, MaxLength: 200},
				{Name: "body", Label: w.T("message"), Type: "textarea", Required: true, Help: w.T("message-help"), MaxLength: 20000},
			}})
	}
	body = append(body, ui.Link{Text: w.T("back"), Href: req.Room.Path})
	return sdk.Page{Title: w.T("message-partners"), Body: ui.Stack{Children: body}}, nil
}
