// Package compliance keeps what the program asks of partners and what a
// distributor hands on to its sub-partners.
//
// Requirements (a signed reseller agreement, an insurance certificate, a
// certification one of the partner's people holds) apply to partner types.
// Per partner, an item records the evidence handed in (a file of the file
// store, kind "evidence", whose new uploads become new versions) and its
// review: accepted, or rejected with a reason. A requirement a partner has
// handed nothing in for is missing; a certification is met while one of
// its active users has completed the named task of a per-user checklist
// (core/tasks). Expiring, expired and overdue are derived from the dates on
// the program's calendar, never stored; [Service.Remind] tells partners 30
// and 7 days ahead and when overdue, once per item and threshold across
// portal processes.
//
// Who sees what comes from core/reach, narrowed in SQL: a partner's users
// see their own partner's items and, for a distributor, its sub-partners';
// staff the items of the partners they reach. A partner's administrators
// hand in evidence; staff who reach the partner and the administrators of
// its parent distributor review it. An item the viewer may not see answers
// NotFound, like one that does not exist.
//
// [Service.Status] summarises partners' standing in one call, for the
// distributor's directory and other dashboards.
//
// Shares (shares.go) are files a distributor hands on: resources of the
// vendor's library it may see itself, or its own uploads (file kind
// "share"), shared with all or chosen sub-partners. Downloads per
// sub-partner are read from the file store's access log.
package compliance

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/sdk"
	sc "github.com/atriumhq/atrium/sdk/compliance"
	"github.com/uptrace/bun"
)

// Notification kinds; people choose per kind how they hear of them.
const (
	KindExpiring  = "compliance.expiring"
	KindOverdue   = "compliance.overdue"
	KindSubmitted = "compliance.submitted"
	KindReviewed  = "compliance.reviewed"
	KindShared    = "compliance.shared"
)

// Kinds are the notification kinds of compliance and shares.
var Kinds = []notify.Kind{
	{Name: KindExpiring, Label: "A compliance item of your company is due or expires soon", Group: "Compliance"},
	{Name: KindOverdue, Label: "A compliance item of your company is overdue or expired", Group: "Compliance"},
	{Name: KindSubmitted, Label: "Compliance evidence waits for your review", Group: "Compliance"},
	{Name: KindReviewed, Label: "Compliance evidence you handed in is accepted or rejected", Group: "Compliance"},
	{Name: KindShared, Label: "Your distributor shares a resource with you", Group: "Compliance"},
}

// Limits of what one person may write.
const (
	MaxName        = 200
	MaxDescription = 5000
	MaxReason      = 2000
	MaxValidity    = 120
	// Soon is how many days ahead an accepted item counts as expiring.
	Soon = 30
)

const dateLayout = "2006-01-02"

// Notifier tells people about compliance (core/notify).
type Notifier interface {
	Notify(ctx context.Context, recipients []int64, n notify.Notification) error
}

// Resources finds a library resource the viewer may see, for sharing:
// its file and title, or NotFound.
type Resources interface {
	SharableResource(ctx context.Context, v sdk.Viewer, id int64) (fileID int64, title string, err error)
}

// Options configure a Service.
type Options struct {
	// Files stores evidence and shared uploads; nil refuses them.
	Files *files.Service
	// Resources finds library resources to share; nil shares uploads only.
	Resources Resources
	// Notify is told about submissions, reviews, shares and reminders;
	// nil tells nobody.
	Notify Notifier
	// RoomPath is where the Compliance room lives, for links.
	RoomPath func(ctx context.Context) string
	// ResourcesPath is where the Resources room lives, for links to
	// shared files.
	ResourcesPath func(ctx context.Context) string
	// Location is the program's time zone: "today" is read on its
	// calendar. Default UTC.
	Location *time.Location
	Now      func() time.Time
	Log      *slog.Logger
}

// Service reads and writes compliance and shares.
type Service struct {
	db    *bun.DB
	dir   *directory.Directory
	reach *reach.Resolver
	opts  Options
}

// New returns a Service over db.
func New(db *bun.DB, dir *directory.Directory, res *reach.Resolver, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = func() time.Time { return time.Now().UTC() }
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.RoomPath == nil {
		opts.RoomPath = func(context.Context) string { return "/rooms/compliance" }
	}
	if opts.ResourcesPath == nil {
		opts.ResourcesPath = func(context.Context) string { return "/rooms/resources" }
	}
	return &Service{db: db, dir: dir, reach: res, opts: opts}
}

// today is the program's date as "YYYY-MM-DD".
func (s *Service) today() time.Time {
	n := s.opts.Now().In(s.opts.Location)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

func day(t time.Time) string { return t.Format(dateLayout) }

// requirementRow is a stored requirement.
type requirementRow struct {
	bun.BaseModel `bun:"table:compliance_requirements,alias:r"`

	ID             int64     `bun:"id,pk,autoincrement"`
	Name           string    `bun:"name"`
	Description    string    `bun:"description"`
	Kind           string    `bun:"kind"`
	PartnerTypes   string    `bun:"partner_types"`
	ValidityMonths int       `bun:"validity_months"`
	DueOn          string    `bun:"due_on"`
	CertBlockKey   string    `bun:"cert_block_key"`
	CertTaskID     string    `bun:"cert_task_id"`
	Position       int       `bun:"position"`
	Archived       bool      `bun:"archived"`
	CreatedAt      time.Time `bun:"created_at"`
	UpdatedAt      time.Time `bun:"updated_at"`
}

func (r requirementRow) types() []string {
	var out []string
	_ = json.Unmarshal([]byte(r.PartnerTypes), &out)
	return out
}

// appliesTo reports whether the requirement asks something of a partner
// of type t.
func (r requirementRow) appliesTo(t string) bool {
	ts := r.types()
	return len(ts) == 0 || slices.Contains(ts, t)
}

func (r requirementRow) public() sc.Requirement {
	ts := r.types()
	if ts == nil {
		ts = []string{}
	}
	return sc.Requirement{ID: r.ID, Name: r.Name, Description: r.Description, Kind: r.Kind, PartnerTypes: ts,
		ValidityMonths: r.ValidityMonths, Due: r.DueOn, CertBlockKey: r.CertBlockKey, CertTaskID: r.CertTaskID, Archived: r.Archived}
}

// itemRow is a partner's stored evidence for a requirement.
type itemRow struct {
	bun.BaseModel `bun:"table:compliance_items,alias:i"`

	ID            int64      `bun:"id,pk,autoincrement"`
	RequirementID int64      `bun:"requirement_id"`
	PartnerID     int64      `bun:"partner_id"`
	Status        string     `bun:"status"`
	FileID        *int64     `bun:"file_id"`
	Version       int        `bun:"version"`
	ExpiresOn     string     `bun:"expires_on"`
	SubmittedBy   *int64     `bun:"submitted_by"`
	SubmittedAt   *time.Time `bun:"submitted_at"`
	ReviewedBy    *int64     `bun:"reviewed_by"`
	ReviewedAt    *time.Time `bun:"reviewed_at"`
	Reason        string     `bun:"reason"`
	UpdatedAt     time.Time  `bun:"updated_at"`
}

// access is what one viewer may do, resolved once per call.
type access struct {
	v  sdk.Viewer
	rc reach.Reach
}

func (s *Service) access(ctx context.Context, v sdk.Viewer) (access, error) {
	rc, err := s.reach.For(ctx, v)
	if err != nil {
		return access{}, err
	}
	return access{v: v, rc: rc}, nil
}

// submits reports whether the viewer hands in evidence for a partner: its
// own administrators.
func (a access) submits(partnerID int64) bool {
	return !a.rc.IsStaff() && a.v.Role == sdk.RolePartnerAdmin && a.rc.CanWrite(partnerID)
}

// reviews reports whether the viewer reviews a partner's evidence: staff
// who reach it, and the administrators of its parent distributor.
func (a access) reviews(partnerID int64, parentID *int64) bool {
	if a.rc.IsStaff() {
		return a.rc.Manages(partnerID)
	}
	return parentID != nil && a.v.Role == sdk.RolePartnerAdmin && a.rc.CanWrite(*parentID) && a.rc.CanRead(partnerID)
}

// cleanLine trims a one-line text and checks it; required is the catalogue
// id of what to write when the text is missing ("" when it may be).
func cleanLine(field, s string, max int, required string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	switch {
	case s == "" && required != "":
		return "", fail.Field(field, required)
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		return "", fail.Field(field, "invalid.text-unstorable")
	case utf8.RuneCountInString(s) > max:
		return "", fail.Field(field, "invalid.keep-under", "Max", max)
	}
	return s, nil
}

// cleanText trims a longer text and checks its length.
func cleanText(field, s string, max int) (string, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	switch {
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		return "", fail.Field(field, "invalid.text-unstorable")
	case utf8.RuneCountInString(s) > max:
		return "", fail.Field(field, "invalid.keep-under", "Max", max)
	}
	return s, nil
}

// cleanDate checks an optional "YYYY-MM-DD" date.
func cleanDate(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil || t.Year() < 2000 || t.Year() > 2200 {
		return "", fail.Field(field, "invalid.date-format-compliance")
	}
	return day(t), nil
}

// RequirementInput is what an administrator gives for a requirement.
type RequirementInput struct {
	Name           string   `json:"name" doc:"What is asked, at most 200 characters."`
	Description    string   `json:"description,omitempty" doc:"What counts as evidence, at most 5000 characters."`
	Kind           string   `json:"kind" enum:"document,certification" doc:"document: evidence uploaded and reviewed; certification: a per-user checklist task one of the partner's users completed."`
	PartnerTypes   []string `json:"partnerTypes,omitempty" doc:"The partner types it applies to; empty for every type."`
	ValidityMonths int      `json:"validityMonths,omitempty" minimum:"0" maximum:"120" doc:"How long an accepted item holds; 0 until replaced."`
	Due            string   `json:"due,omitempty" doc:"When evidence is due, YYYY-MM-DD; empty for no date."`
	CertBlockKey   string   `json:"certBlockKey,omitempty" doc:"certification: the checklist's block key (room/block)."`
	CertTaskID     string   `json:"certTaskId,omitempty" doc:"certification: the task's id on that checklist."`
	Archived       bool     `json:"archived,omitempty" doc:"An archived requirement is no longer asked."`
}

func (s *Service) validate(ctx context.Context, in RequirementInput) (requirementRow, error) {
	var r requirementRow
	var err error
	if r.Name, err = cleanLine("name", in.Name, MaxName, "invalid.compliance.name"); err != nil {
		return r, err
	}
	if r.Description, err = cleanText("description", in.Description, MaxDescription); err != nil {
		return r, err
	}
	if r.DueOn, err = cleanDate("due", in.Due); err != nil {
		return r, err
	}
	fields := fail.Problems{}
	switch in.Kind {
	case sc.Document:
	case sc.Certification:
		r.CertBlockKey, r.CertTaskID = strings.TrimSpace(in.CertBlockKey), strings.TrimSpace(in.CertTaskID)
		if r.CertBlockKey == "" || len(r.CertBlockKey) > 200 {
			fields.Add("certBlockKey", "invalid.compliance.checklist")
		}
		if r.CertTaskID == "" || len(r.CertTaskID) > 100 {
			fields.Add("certTaskId", "invalid.compliance.task")
		}
	default:
		fields.Add("kind", "invalid.compliance.kind")
	}
	r.Kind = in.Kind
	if in.ValidityMonths < 0 || in.ValidityMonths > MaxValidity {
		fields.Add("validityMonths", "invalid.compliance.validity", "Max", MaxValidity)
	}
	r.ValidityMonths = in.ValidityMonths
	prog, err := program.Load(ctx, s.db)
	if err != nil {
		return r, err
	}
	types := []string{}
	for _, t := range in.PartnerTypes {
		if !prog.HasType(t) {
			fields.Add("partnerTypes", "invalid.compliance.partner-type", "Type", t, "Types", strings.Join(prog.PartnerTypes, ", "))
			break
		}
		if !slices.Contains(types, t) {
			types = append(types, t)
		}
	}
	if err := fields.Err(); err != nil {
		return r, err
	}
	b, _ := json.Marshal(types)
	r.PartnerTypes, r.Archived = string(b), in.Archived
	return r, nil
}

// Requirements lists the program's requirements in order, archived last.
// Everyone signed in may read them: they are the program's rules.
func (s *Service) Requirements(ctx context.Context) ([]sc.Requirement, error) {
	var rows []requirementRow
	if err := s.db.NewSelect().Model(&rows).OrderExpr("r.archived, r.position, r.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list compliance requirements: %w", err)
	}
	out := make([]sc.Requirement, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.public())
	}
	return out, nil
}

// SaveRequirement creates a requirement (id 0) or replaces one: the
// program's administrators only, like the program's other settings.
func (s *Service) SaveRequirement(ctx context.Context, v sdk.Viewer, id int64, in RequirementInput) (sc.Requirement, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sc.Requirement{}, err
	}
	if !a.rc.Everyone() {
		return sc.Requirement{}, fail.Msg(fail.Forbidden, "invalid.compliance.admins")
	}
	r, err := s.validate(ctx, in)
	if err != nil {
		return sc.Requirement{}, err
	}
	now := s.opts.Now()
	r.UpdatedAt = now
	if id == 0 {
		r.CreatedAt = now
		n, err := s.db.NewSelect().Model((*requirementRow)(nil)).Count(ctx)
		if err != nil {
			return sc.Requirement{}, fmt.Errorf("count compliance requirements: %w", err)
		}
		r.Position = int(n)
		if _, err := s.db.NewInsert().Model(&r).Returning("id").Exec(ctx); err != nil {
			return sc.Requirement{}, fmt.Errorf("store compliance requirement: %w", err)
		}
		return r.public(), nil
	}
	res, err := s.db.NewUpdate().Model(&r).Column("name", "description", "kind", "partner_types", "validity_months", "due_on",
		"cert_block_key", "cert_task_id", "archived", "updated_at").Where("id = ?", id).Exec(ctx)
	if err != nil {
		return sc.Requirement{}, fmt.Errorf("update compliance requirement %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return sc.Requirement{}, fail.Msg(fail.NotFound, "invalid.compliance.no-requirement")
	}
	r.ID = id
	return r.public(), nil
}

func notFound() error { return fail.Msg(fail.NotFound, "invalid.compliance.no-item") }
