package web

import (
	"maps"
	"net/http"
	"slices"
	"strconv"

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
	// Digest is how often the person's digest goes out, and when.
	Digest notify.Schedule
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

// kindChoices pairs the program's kinds with the person's preferences.
func (s *Server) kindChoices(prefs []notify.Pref) []KindChoice {
	out := make([]KindChoice, 0, len(s.NotificationKinds))
	for i, k := range s.NotificationKinds {
		c := KindChoice{Kind: k, First: i == 0 || s.NotificationKinds[i-1].Group != k.Group}
		for _, p := range prefs {
			if p.Kind == k.Name {
				c.Email = p.Email
			}
		}
		out = append(out, c)
	}
	return out
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
	data := NotificationList{Page: res, UnreadOnly: opt.UnreadOnly, Email: email, Digest: digest, Kinds: s.kindChoices(prefs)}
	data.Prev, data.Next = pageLinks(r.URL, res.Page, res.Pages())
	s.page(w, r, http.StatusOK, "notifications", "Notifications", data)
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
	s.setFlash(w, r, "success", "All notifications are marked read.")
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
		s.errorPage(w, r, http.StatusUnprocessableEntity, "That did not work", "Choose a daily or a weekly digest.")
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
			s.errorPage(w, r, http.StatusUnprocessableEntity, "That did not work", "Choose one of the email options for "+k.Label+".")
			return
		}
		kinds[k.Name] = v
	}
	if err := s.Notify.SetPref(r.Context(), p.User.ID, "*", email); err != nil {
		if fail.CodeOf(err) == fail.Invalid {
			s.errorPage(w, r, http.StatusUnprocessableEntity, "That did not work", "Choose one of the email options.")
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
	msg := "Your email preference is saved."
	if email == notify.EmailDigest || slices.Contains(slices.Collect(maps.Values(kinds)), notify.EmailDigest) {
		sc, err := s.Notify.DigestSchedule(r.Context(), p.User.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		msg = "Your email preference is saved: your digest goes out " + sc.Describe() + "."
	}
	s.setFlash(w, r, "success", msg)
	http.Redirect(w, r, "/notifications", http.StatusSeeOther)
}
