package web

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/notify"
)

// NotificationList is the data of the notifications page.
type NotificationList struct {
	Page       notify.Page
	UnreadOnly bool
	Prev, Next string
	// Email is the person's email preference for all kinds.
	Email string
	// Kinds are the person's choices kind by kind ("" follows Email),
	// grouped by room.
	Kinds []KindChoice
	// Digest is how often the person's digest goes out, and when;
	// Weekday is the day of a weekly one in the reader's words.
	Digest  notify.Schedule
	Weekday string
}

// KindChoice is one kind of notification with the person's choice.
type KindChoice struct {
	notify.Kind
	Email string // now, digest, never, or "" for the default
	// First is true for the first kind of its group.
	First bool
}

// emailChoices are the values of an email preference.
var emailChoices = []string{notify.EmailNow, notify.EmailDigest, notify.EmailNever}

// kindChoices pairs the program's kinds with the person's preferences,
// each kind and group named in the reader's words.
func (s *Server) kindChoices(r *http.Request, prefs []notify.Pref) []KindChoice {
	out := make([]KindChoice, 0, len(s.NotificationKinds))
	for i, k := range s.NotificationKinds {
		c := KindChoice{Kind: kindIn(r, k), First: i == 0 || s.NotificationKinds[i-1].Group != k.Group}
		for _, p := range prefs {
			if p.Kind == k.Name {
				c.Email = p.Email
			}
		}
		out = append(out, c)
	}
	return out
}

// kindIn is a kind named in the request's language: its label from
// "notifications.kind.<name>" and its group from
// "notifications.group.<group>"; a kind the catalogue does not know keeps
// the words it came with.
func kindIn(r *http.Request, k notify.Kind) notify.Kind {
	l := loc(r)
	if id := "notifications.kind." + k.Name; l.Has(id) {
		k.Label = l.T(id)
	}
	if id := "notifications.group." + strings.ToLower(k.Group); l.Has(id) {
		k.Group = l.T(id)
	}
	return k
}

// weekday names a day of the week in the request's language.
func weekday(r *http.Request, day string) string {
	if id := "notifications.weekday." + strings.ToLower(day); loc(r).Has(id) {
		return tr(r, id)
	}
	return day
}

// notifications lists the signed-in person's notifications, newest first.
func (s *Server) notifications(w http.ResponseWriter, r *http.Request) {
	if s.Notify == nil {
		s.notFound(w, r)
		return
	}
	p := principal(r)
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	opt := notify.ListOptions{Page: page, PerPage: 20, UnreadOnly: q.Get("unread") == "1"}
	res, err := s.Notify.List(r.Context(), p.User.ID, opt)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	email, err := s.Notify.EmailDefault(r.Context(), p.User.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	digest, err := s.Notify.DigestSchedule(r.Context(), p.User.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	prefs, err := s.Notify.Prefs(r.Context(), p.User.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Notifications the portal made are worded for the reader; text
	// stored as written stays as it is.
	l := loc(r)
	for i, it := range res.Items {
		res.Items[i] = it.In(l)
	}
	data := NotificationList{Page: res, UnreadOnly: opt.UnreadOnly, Email: email, Digest: digest, Weekday: weekday(r, digest.Weekday),
		Kinds: s.kindChoices(r, prefs)}
	data.Prev, data.Next = pageLinks(r.URL, res.Page, res.Pages())
	s.page(w, r, http.StatusOK, "notifications", tr(r, "notifications.title"), data)
}

// openNotification marks a notification read and goes to its object: the
// list links every entry here, so opening one is reading it.
func (s *Server) openNotification(w http.ResponseWriter, r *http.Request) {
	if s.Notify == nil {
		s.notFound(w, r)
		return
	}
	p := principal(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	it, err := s.Notify.MarkRead(r.Context(), p.User.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	to := it.Link
	if to == "" {
		to = "/notifications"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// readAllNotifications marks every notification of the person read.
func (s *Server) readAllNotifications(w http.ResponseWriter, r *http.Request) {
	if s.Notify == nil {
		s.notFound(w, r)
		return
	}
	p := principal(r)
	if _, err := s.Notify.MarkAllRead(r.Context(), p.User.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, r, "success", tr(r, "notifications.all-read"))
	http.Redirect(w, r, "/notifications", http.StatusSeeOther)
}

// unread is the bell's count for the signed-in person; 0 when the portal
// runs without notifications or the count fails (the page still renders).
func (s *Server) unread(r *http.Request, userID int64) int {
	if s.Notify == nil {
		return 0
	}
	n, err := s.Notify.Unread(r.Context(), userID)
	if err != nil {
		s.Log.Warn("unread count failed", "err", err)
		return 0
	}
	return n
}

// notificationPrefs stores how the person wants to hear of notifications
// by email, and how often their digest goes out. The form posts both; a
// form without the digest field (an older page) leaves the frequency be.
// Both are checked before either is stored.
func (s *Server) notificationPrefs(w http.ResponseWriter, r *http.Request) {
	if s.Notify == nil {
		s.notFound(w, r)
		return
	}
	p := principal(r)
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, tr(r, "error.bad-form-title"), tr(r, "error.bad-form"))
		return
	}
	email, digest := r.PostForm.Get("email"), r.PostForm.Get("digest")
	if r.PostForm.Has("digest") && digest != notify.DigestDaily && digest != notify.DigestWeekly {
		s.errorPage(w, r, http.StatusUnprocessableEntity, tr(r, "error.bad-form-title"), tr(r, "notifications.choose-digest"))
		return
	}
	// Kind by kind: "" follows the default. Every value is checked before
	// anything is stored.
	kinds := map[string]string{}
	for _, k := range s.NotificationKinds {
		field := "kind-" + k.Name
		if !r.PostForm.Has(field) {
			continue
		}
		v := r.PostForm.Get(field)
		if v != "" && !slices.Contains(emailChoices, v) {
			s.errorPage(w, r, http.StatusUnprocessableEntity, tr(r, "error.bad-form-title"), tr(r, "notifications.choose-email-for", "Kind", kindIn(r, k).Label))
			return
		}
		kinds[k.Name] = v
	}
	if err := s.Notify.SetPref(r.Context(), p.User.ID, "*", email); err != nil {
		if fail.CodeOf(err) == fail.Invalid {
			s.errorPage(w, r, http.StatusUnprocessableEntity, tr(r, "error.bad-form-title"), tr(r, "notifications.choose-email"))
			return
		}
		s.fail(w, r, err)
		return
	}
	for kind, v := range kinds {
		var err error
		if v == "" {
			err = s.Notify.ClearPref(r.Context(), p.User.ID, kind)
		} else {
			err = s.Notify.SetPref(r.Context(), p.User.ID, kind, v)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if digest != "" {
		if err := s.Notify.SetDigestFrequency(r.Context(), p.User.ID, digest); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	msg := tr(r, "notifications.saved")
	if email == notify.EmailDigest || slices.Contains(slices.Collect(maps.Values(kinds)), notify.EmailDigest) {
		sc, err := s.Notify.DigestSchedule(r.Context(), p.User.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		hour := fmt.Sprintf("%02d", sc.Hour)
		msg = tr(r, "notifications.saved-daily", "Hour", hour, "Zone", sc.TimeZone)
		if sc.Frequency == notify.DigestWeekly {
			msg = tr(r, "notifications.saved-weekly", "Day", weekday(r, sc.Weekday), "Hour", hour, "Zone", sc.TimeZone)
		}
	}
	s.setFlash(w, r, "success", msg)
	http.Redirect(w, r, "/notifications", http.StatusSeeOther)
}
