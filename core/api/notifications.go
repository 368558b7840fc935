package api

import (
	"context"
	"net/http"

	"github.com/atriumhq/atrium/core/notify"
	"github.com/danielgtaylor/huma/v2"
)

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

func (a *API) registerNotifications() {
	if a.Notify == nil {
		return
	}
	huma.Register(a.huma, op("list-notifications", http.MethodGet, "/api/v1/notifications",
		"The caller's notifications, newest first, with the unread count", SignedIn, "Notifications"),
		func(ctx context.Context, in *NotificationsInput) (*struct{ Body notify.Page }, error) {
			page, err := a.Notify.List(ctx, caller(ctx).User.ID, notify.ListOptions{Page: in.Page, PerPage: in.PerPage, UnreadOnly: in.Unread})
			if err != nil {
				return nil, a.problem(err)
			}
			return &struct{ Body notify.Page }{page}, nil
		})
	huma.Register(a.huma, op("read-notification", http.MethodPost, "/api/v1/notifications/{id}/read",
		"Mark one of the caller's notifications read", SignedIn, "Notifications"),
		func(ctx context.Context, in *NotificationInput) (*struct{ Body notify.Item }, error) {
			it, err := a.Notify.MarkRead(ctx, caller(ctx).User.ID, in.ID)
			if err != nil {
				return nil, a.problem(err)
			}
			return &struct{ Body notify.Item }{it}, nil
		})
	huma.Register(a.huma, op("read-all-notifications", http.MethodPost, "/api/v1/notifications/read-all",
		"Mark all of the caller's notifications read", SignedIn, "Notifications"),
		func(ctx context.Context, _ *struct{}) (*struct{ Body ReadAllBody }, error) {
			n, err := a.Notify.MarkAllRead(ctx, caller(ctx).User.ID)
			if err != nil {
				return nil, a.problem(err)
			}
			return &struct{ Body ReadAllBody }{ReadAllBody{Marked: n}}, nil
		})
	huma.Register(a.huma, op("list-notification-preferences", http.MethodGet, "/api/v1/notifications/preferences",
		"The caller's email preferences per notification kind (\"*\": every other kind)", SignedIn, "Notifications"),
		func(ctx context.Context, _ *struct{}) (*struct{ Body []notify.Pref }, error) {
			prefs, err := a.Notify.Prefs(ctx, caller(ctx).User.ID)
			if err != nil {
				return nil, a.problem(err)
			}
			return &struct{ Body []notify.Pref }{prefs}, nil
		})
	huma.Register(a.huma, op("set-notification-preference", http.MethodPut, "/api/v1/notifications/preferences",
		"Set the caller's email preference for a kind: now, digest or never", SignedIn, "Notifications"),
		func(ctx context.Context, in *struct{ Body notify.Pref }) (*struct{ Body notify.Pref }, error) {
			if err := a.Notify.SetPref(ctx, caller(ctx).User.ID, in.Body.Kind, in.Body.Email); err != nil {
				return nil, a.problem(err)
			}
			return &struct{ Body notify.Pref }{in.Body}, nil
		})
}
