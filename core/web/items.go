package web

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/sdk"
)

// itemBlock is the block id an item page's tree is drawn under; its forms
// post to /rooms/{slug}/blocks/item/actions/{name} and reach the room
// type's own ActionHandler.
const itemBlock = "item"

// itemAction hands a form of an item page to its room type. The answer
// always leads back to a page of the room: where the room type navigates,
// else the page the form was on.
func (s *Server) itemAction(w http.ResponseWriter, r *http.Request, rm *room.Room, v sdk.Viewer, name string) {
	if rm.Type == "" {
		s.notFound(w, r)
		return
	}
	rt, ok := s.Registry.RoomType(rm.Type)
	if !ok {
		s.notFound(w, r)
		return
	}
	handler, ok := rt.Type.(sdk.ActionHandler)
	if !ok {
		s.notFound(w, r)
		return
	}
	base := "/rooms/" + rm.Slug
	again := func(page string, q url.Values, replay *formReplay) bool {
		ir, ok := rt.Type.(sdk.ItemRenderer)
		path, isItem := strings.CutPrefix(page, base+"/items/")
		if !ok || !isItem {
			return false
		}
		s.showItem(w, r, http.StatusUnprocessableEntity, s.catalog.Current(), rm, v, ir, path, q, replay)
		return true
	}
	s.runItemAction(w, r, handler, sdk.RoomRef{Slug: rm.Slug, Title: rm.TitleIn(loc(r).Lang()), Type: rm.Type, Path: base},
		actionClaims{User: v.UserID, Room: rm.Slug, Block: itemBlock, Action: name}, v, again)
}

// redraw shows the page a refused form was on again, with the form's
// values and errors; it reports false when it cannot draw that page.
type redraw func(page string, query url.Values, replay *formReplay) bool

// runItemAction verifies a form's signed state and runs it. A refusal with
// field errors draws the form's page again (422) through again, so each
// error sits beside its field and what was typed stays; anything else
// answers with a redirect and a notice.
func (s *Server) runItemAction(w http.ResponseWriter, r *http.Request, h sdk.ActionHandler, ref sdk.RoomRef, claims actionClaims, v sdk.Viewer, again redraw) {
	back := sameRoomReferer(r, ref.Path)
	sub, err := s.readSubmission(w, r, claims)
	if !s.submitted(w, r, err, back) {
		return
	}
	state, values := sub.state, sub.values
	var res sdk.ActionResult
	if len(sub.errors) > 0 {
		// Refused files: the form comes back without asking the room type.
		res = sdk.ActionResult{FieldErrors: sub.errors}
	} else {
		ctx, cancel := context.WithTimeout(r.Context(), s.opt.ActionTimeout)
		defer cancel()
		res, err = handleAction(ctx, h, sdk.ActionRequest{Viewer: v, Room: ref, BlockID: claims.Block, Name: claims.Action,
			State: state, Values: values, Host: s.host(v)})
		s.refusedWithFiles(r, sub, &res)
	}
	if err == nil && len(res.FieldErrors) > 0 && again != nil {
		// The page to draw again is the one the room type names (it knows
		// which page holds the form), else the one the browser came from:
		// a browser may send no Referer, and the room's first page does
		// not hold an item's forms.
		page, query, _ := strings.Cut(back, "?")
		if res.Navigate != "" {
			page, query, _ = strings.Cut(localPath(res.Navigate), "?")
		}
		q, _ := url.ParseQuery(query)
		if again(page, q, &formReplay{block: claims.Block, action: claims.Action, state: state, values: values, errors: res.FieldErrors,
			err: cmp.Or(res.Error, tr(r, "invalid.check-fields"))}) {
			return
		}
	}
	if res.Navigate != "" {
		back = localPath(res.Navigate)
	}
	switch {
	case err != nil:
		s.Log.Warn("action failed", "room", ref.Slug, "block", claims.Block, "action", claims.Action, "err", err)
		s.setFlash(w, r, "danger", tr(r, "invalid.try-again"))
	case res.Error != "":
		s.setFlash(w, r, "danger", res.Error)
	case len(res.FieldErrors) > 0:
		var parts []string
		for k, m := range res.FieldErrors {
			parts = append(parts, k+": "+m)
		}
		s.setFlash(w, r, "danger", strings.Join(parts, "; "))
	case res.Message != "":
		s.setFlash(w, r, "success", res.Message)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// submitted answers a form that could not be taken (readSubmission's
// error) and reports whether the action may go on: a missing, altered or
// expired token leads back with a notice, an unreadable body is a 400.
func (s *Server) submitted(w http.ResponseWriter, r *http.Request, err error, back string) bool {
	switch {
	case err == nil:
		return true
	case errors.Is(err, errBadToken):
		s.setFlash(w, r, "warning", err.Error())
		http.Redirect(w, r, back, http.StatusSeeOther)
	case errors.Is(err, errUnreadable):
		s.errorPage(w, r, http.StatusBadRequest, tr(r, "error.bad-form-title"), tr(r, "error.bad-form"))
	default:
		s.Log.Warn("form could not be taken", "path", r.URL.Path, "err", err)
		s.setFlash(w, r, "danger", tr(r, "invalid.try-again"))
		http.Redirect(w, r, back, http.StatusSeeOther)
	}
	return false
}

// sameRoomReferer is the page a form was posted from when it lies inside
// the room, else the room itself.
func sameRoomReferer(r *http.Request, base string) string {
	if u, err := url.Parse(r.Referer()); err == nil && (u.Host == "" || u.Host == r.Host) &&
		(u.Path == base || strings.HasPrefix(u.Path, base+"/")) {
		if u.RawQuery != "" {
			return u.Path + "?" + u.RawQuery
		}
		return u.Path
	}
	return base
}
