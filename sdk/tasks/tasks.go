// Package tasks declares the host API calls that keep checklist completion:
// which tasks of a block the viewer's partner (or the viewer) has done.
// Completion is stored by the portal, one row per completed task, so goals
// and reports can count it.
package tasks

import (
	"time"

	"github.com/atriumhq/atrium/sdk"
)

// ListCompletion returns the tasks of a block that are done, for the
// viewer's partner or, with PerUser, for the viewer alone.
var ListCompletion = sdk.Method[CompletionQuery, Completion]{Name: "tasks.completion.list", Permission: "tasks:read"}

// SetCompletion marks one task done or not done, as the viewer. Only
// partner users may; staff previews are read-only.
var SetCompletion = sdk.Method[CompletionChange, Completion]{Name: "tasks.completion.set", Permission: "tasks:write"}

// CompletionReport returns how far each partner the viewer reaches is with
// a block's tasks: admins see every partner, managers their own partners,
// a partner's users their own partner (and a distributor's its
// sub-partners); previews nobody.
var CompletionReport = sdk.Method[ReportQuery, Report]{Name: "tasks.completion.report", Permission: "tasks:read"}

// CompletionQuery names a block's checklist.
type CompletionQuery struct {
	// BlockKey identifies the checklist across the portal; blocks use
	// "<room slug>/<block id>".
	BlockKey string `json:"blockKey"`
	PerUser  bool   `json:"perUser,omitempty"`
}

// Completion maps the done tasks' ids to when they were completed.
type Completion struct {
	Done map[string]time.Time `json:"done"`
}

// CompletionChange marks one task.
type CompletionChange struct {
	BlockKey string `json:"blockKey"`
	PerUser  bool   `json:"perUser,omitempty"`
	TaskID   string `json:"taskId"`
	Done     bool   `json:"done"`
}

// ReportQuery names a block's checklist; empty BlockKey reports all.
type ReportQuery struct {
	BlockKey string `json:"blockKey,omitempty"`
}

// Report is completion per partner and checklist.
type Report struct {
	Rows []ReportRow `json:"rows"`
}

// ReportRow is one partner's progress on one checklist.
type ReportRow struct {
	BlockKey  string    `json:"blockKey"`
	PartnerID int64     `json:"partnerId"`
	Partner   string    `json:"partner"`
	Tasks     int       `json:"tasks"`  // distinct tasks done (by anyone, for per-user lists)
	People    int       `json:"people"` // distinct people who completed tasks
	Last      time.Time `json:"last"`
}
