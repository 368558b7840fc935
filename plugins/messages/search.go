package messages

import (
	"context"
	"errors"
	"net/url"
	"strconv"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
	sm "github.com/atriumhq/atrium/sdk/messages"
	"github.com/atriumhq/atrium/sdk/ui"
)

// searchHref is the search page for q at page.
func searchHref(room sdk.RoomRef, q string, page int) string {
	v := url.Values{}
	if q != "" {
		v.Set("q", q)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return room.Path + "/items/search"
	}
	return room.Path + "/items/search?" + v.Encode()
}

func searchForm(w *i18n.Locale, q, problem string) ui.Form {
	return ui.Form{Action: ui.Action{Name: "search"}, Submit: w.T("search"), Fields: []ui.Field{
		{Name: "q", Label: w.T("search-label"), Value: q, Required: true, MaxLength: 200, Error: problem}}}
}

// searchPage finds messages and attachment names, best first, with the
// matched words in bold.
func searchPage(ctx context.Context, req sdk.ItemRequest) (sdk.Page, error) {
	w := words(req.Viewer)
	q := first(req.Query, "q")
	pageNo, _ := strconv.Atoi(first(req.Query, "page"))
	pageNo = max(pageNo, 1)
	body := ui.Children{}
	back := ui.Link{Text: w.T("back"), Href: req.Room.Path}
	if q == "" {
		body = append(body, searchForm(w, "", ""), ui.Text{Text: w.T("search-hint"), Muted: true}, back)
		return sdk.Page{Title: w.T("search"), Body: ui.Stack{Children: body}}, nil
	}
	res, err := sm.Search.Call(ctx, req.Host, sm.SearchQuery{Q: q, Page: pageNo})
	var ce *sdk.CallError
	if errors.As(err, &ce) && ce.Code == sdk.CodeInvalid {
		problem := ce.Fields["q"]
		if problem == "" {
			problem = ce.Message
		}
		body = append(body, searchForm(w, q, problem), back)
		return sdk.Page{Title: w.T("search"), Body: ui.Stack{Children: body}}, nil
	}
	if err != nil {
		return sdk.Page{}, err
	}
	body = append(body, searchForm(w, q, ""))
	if len(res.Hits) == 0 {
		body = append(body, ui.Empty{Title: w.T("no-hits", "Query", q), Description: w.T("no-hits-help")})
	}
	for _, h := range res.Hits {
		body = append(body, hitCard(w, req.Room, h))
	}
	nav := ui.ActionBar{}
	if res.Page > 1 {
		nav.Buttons = append(nav.Buttons, ui.Button{Label: w.T("previous"), Href: searchHref(req.Room, q, res.Page-1), Variant: "secondary"})
	}
	if res.More {
		nav.Buttons = append(nav.Buttons, ui.Button{Label: w.T("next"), Href: searchHref(req.Room, q, res.Page+1), Variant: "secondary"})
	}
	if len(nav.Buttons) > 0 {
		body = append(body, ui.Text{Text: w.T("page", "Page", w.Int(int64(max(res.Page, 1)))), Muted: true}, nav)
	}
	body = append(body, back)
	return sdk.Page{Title: w.T("search-title", "Query", q), Body: ui.Stack{Children: body}}, nil
}

// hitCard is one message found: where it is, who wrote it, the passage
// with the matches in bold and the attachments whose names matched.
func hitCard(w *i18n.Locale, room sdk.RoomRef, h sm.Hit) ui.Component {
	sub := h.Author + " · " + when(w, h.At)
	if h.PartnerName != "" {
		sub = h.PartnerName + " · " + sub
	}
	body := ui.Children{}
	if s := highlight(h.Snippet); s != "" {
		body = append(body, ui.Markdown{Source: s})
	}
	if len(h.Attachments) > 0 {
		list := ui.List{}
		for _, a := range h.Attachments {
			list.Items = append(list.Items, ui.ListItem{Title: a.Name, Href: a.URL, Meta: size(w, a.Size), Icon: "download"})
		}
		body = append(body, list)
	}
	return ui.Card{Title: h.Subject, Href: threadHref(room, h.ThreadID), Subtitle: sub, Body: body}
}
