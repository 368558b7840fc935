package api

import (
	"context"
	"net/http"

	"github.com/atriumhq/atrium/core/i18n"
	"github.com/atriumhq/atrium/core/notify"
	sdki18n "github.com/atriumhq/atrium/sdk/i18n"
)

func (a *API) registerNotifications() {
	if a.Notify == nil {
		return
	}
	for _, r := range []route{
		bind(op("list-notifications", http.MethodGet, "/api/v1/notifications", "The caller's notifications, newest first, with the unread count", SignedIn, "Notifications"), a.listNotifications),
		bind(op("read-notification", http.MethodPost, "/api/v1/notifications/{id}/read", "Mark one of the caller's notifications read", SignedIn, "Notifications"), a.readNotification),
		bind(op("read-all-notifications", http.MethodPost, "/api/v1/notifications/read-all", "Mark all of the caller's notifications read", SignedIn, "Notifications"), a.readAllNotifications),
		bind(op("list-notification-preferences", http.MethodGet, "/api/v1/notifications/preferences", "The caller's email preferences per notification kind (\"*\": every other kind)", SignedIn, "Notifications"), a.notificationPrefs),
		bind(op("set-notification-preference", http.MethodPut, "/api/v1/notifications/preferences", "Set the caller's email preference for a kind: now, digest or never", SignedIn, "Notifications"), a.setNotificationPref),
		bind(op("get-notification-digest", http.MethodGet, "/api/v1/notifications/digest", "When the caller's digest goes out: daily or weekly, at which hour in which zone, and next when", SignedIn, "Notifications"), a.notificationDigest),
		bind(op("set-notification-digest", http.MethodPut, "/api/v1/notifications/digest", "Set how often the caller's digest goes out: daily or weekly", SignedIn, "Notifications"), a.setNotificationDigest),
	} {
		r(a.huma)
	}
}

// NotificationsInput pages through the caller's notifications.
type NotificationsInput struct {
	Page    int  `query:"page" minimum:"1" default:"1" doc:"Page number, from 1."`
	PerPage int  `query:"perPage" minimum:"1" maximum:"100" default:"20" doc:"Notifications per page."`
	Unread  bool `query:"unread" doc:"Only unread notifications."`
}

// NotificationInput names one of the caller's notifications.
type NotificationInput struct {
	ID int64 `path:"id" doc:"The notification's id."`
}

// ReadAllBody says how many notifications were marked read.
type ReadAllBody struct {
	Marked int `json:"marked"`
}

func (a *API) listNotifications(ctx context.Context, in *NotificationsInput) (*body[notify.Page], error) {
	page, err := a.Notify.List(ctx, caller(ctx).User.ID, notify.ListOptions{Page: in.Page, PerPage: in.PerPage, UnreadOnly: in.Unread})
	l := callerWords(ctx)
	for i, it := range page.Items {
		page.Items[i] = it.In(l)
	}
	return wrapBody(page, err, a)
}

// callerWords is the catalogue in the caller's own language setting (an
// API client has no page language; without a setting it is English), in
// which the notifications the portal made are worded.
func callerWords(ctx context.Context) *sdki18n.Locale {
	return i18n.Locale(i18n.Chooser{}.Choose(caller(ctx).User.Language, ""))
}

func (a *API) readNotification(ctx context.Context, in *NotificationInput) (*body[notify.Item], error) {
	it, err := a.Notify.MarkRead(ctx, caller(ctx).User.ID, in.ID)
	return wrapBody(it.In(callerWords(ctx)), err, a)
}

func (a *API) readAllNotifications(ctx context.Context, _ *struct{}) (*body[ReadAllBody], error) {
	n, err := a.Notify.MarkAllRead(ctx, caller(ctx).User.ID)
	return wrapBody(ReadAllBody{Marked: n}, err, a)
}

func (a *API) notificationPrefs(ctx context.Context, _ *struct{}) (*body[[]notify.Pref], error) {
	prefs, err := a.Notify.Prefs(ctx, caller(ctx).User.ID)
	return wrapBody(prefs, err, a)
}

// PrefInput sets one email preference.
type PrefInput struct{ Body notify.Pref }

func (a *API) setNotificationPref(ctx context.Context, in *PrefInput) (*body[notify.Pref], error) {
	err := a.Notify.SetPref(ctx, caller(ctx).User.ID, in.Body.Kind, in.Body.Email)
	return wrapBody(in.Body, err, a)
}

func (a *API) notificationDigest(ctx context.Context, _ *struct{}) (*body[notify.Schedule], error) {
	sc, err := a.Notify.DigestSchedule(ctx, caller(ctx).User.ID)
	return wrapBody(sc, err, a)
}

// DigestInput sets how often the caller's digest goes out.
type DigestInput struct {
	Body struct {
		Frequency string `json:"frequency" enum:"daily,weekly" doc:"daily or weekly."`
	}
}

func (a *API) setNotificationDigest(ctx context.Context, in *DigestInput) (*body[notify.Schedule], error) {
	id := caller(ctx).User.ID
	if err := a.Notify.SetDigestFrequency(ctx, id, in.Body.Frequency); err != nil {
		return nil, a.problem(err)
	}
	sc, err := a.Notify.DigestSchedule(ctx, id)
	return wrapBody(sc, err, a)
}
