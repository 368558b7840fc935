// Package network is a distributor's own network of sub-partners: the
// directory of its sub-partners with their onboarding progress and a
// performance summary, a read-only page per sub-partner, recruiting new
// sub-partners (with the vendor's approval when the program asks for it),
// and the network's pipeline, revenue, commissions and engagement. It
// serves the host API of sdk/network, the REST API under /api/v1/network
// and the CSV export.
//
// Who sees a network comes from core/reach, never from here: a
// distributor's users read the sub-partners their reach reads (their own
// network only); staff read the sub-partners they reach; a sub-partner
// reaches no sibling. Every list is narrowed in SQL by the reach, and a
// sub-partner or invitation outside it answers NotFound. The network shows
// directory, pipeline, onboarding and engagement numbers only: a
// sub-partner's messages, files and projects stay with it and the vendor.
//
// The numbers are the vendor dashboards' own: pipeline by stage and
// commissions come from core/revenue's reports scoped to the network's
// partners, each sub-partner's figures from the counts per partner under
// the same rules (figures.go), engagement from core/engagement's rollups.
package network

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/engagement"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/revenue"
	"github.com/atriumhq/atrium/sdk"
	sn "github.com/atriumhq/atrium/sdk/network"
	"github.com/uptrace/bun"
)

// Notification kinds; people choose per kind how they hear of them.
const (
	KindRecruitRequested = "network.recruit_requested"
	KindRecruitDecided   = "network.recruit_decided"
)

// Kinds are the notification kinds of the network.
var Kinds = []notify.Kind{
	{Name: KindRecruitRequested, Label: "A distributor asks to add a sub-partner", Group: "Networks"},
	{Name: KindRecruitDecided, Label: "A sub-partner you invited is approved or declined", Group: "Networks"},
}

// Limits of what one person may write.
const (
	MaxCompany = 200
	MaxName    = 200
	MaxReason  = 2000
)

// Inviter hands out invitation links for new users (core/auth).
type Inviter interface {
	Invite(ctx context.Context, userID, invitedBy int64) (token string, expires time.Time, err error)
}

// Notifier tells people about recruits (core/notify).
type Notifier interface {
	Notify(ctx context.Context, recipients []int64, n notify.Notification) error
}

// ComplianceSource reports sub-partners' compliance status. The network
// shows a compliance column only when one is wired in.
type ComplianceSource interface {
	Compliance(ctx context.Context, partnerIDs []int64) (map[int64]sn.Compliance, error)
}

// Options configure a Service.
type Options struct {
	// Revenue and Engagement answer the dashboard's numbers; nil leaves
	// those panels empty.
	Revenue    *revenue.Reports
	Engagement *engagement.Reports
	// Invite hands out the link of a new sub-partner's admin; nil refuses
	// recruits.
	Invite Inviter
	// Notify tells managers of recruits and distributors of decisions; nil
	// tells nobody.
	Notify Notifier
	// Checklist lists the tasks of a checklist named "room-slug/block-id"
	// (the program's onboarding checklist); nil counts none.
	Checklist func(ctx context.Context, key string) ([]sn.Task, error)
	// Compliance, when set, fills sub-partners' compliance status.
	Compliance ComplianceSource
	// RoomPath is where the distributor room lives, for links in
	// notifications ("/rooms/network").
	RoomPath func(ctx context.Context) string
	// PublicURL is the portal's address as people reach it
	// (https://partners.example.com), so that an invitation link handed to
	// a distributor can be passed on as it is; empty leaves it a path, as
	// the links in emails are without one.
	PublicURL string
	// Location is the reporting zone. Default UTC.
	Location *time.Location
	Now      func() time.Time
	Log      *slog.Logger
}

// Service reads networks and recruits sub-partners.
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
		opts.RoomPath = func(context.Context) string { return "/rooms/network" }
	}
	return &Service{db: db, dir: dir, reach: res, opts: opts}
}

// view is one viewer looking at one distributor's network.
type view struct {
	v    sdk.Viewer
	rc   reach.Reach
	prog program.Program
	dist directory.Partner
	// ids are the network's sub-partners the viewer reaches, in order.
	ids []int64
	// whole is true when the viewer reads every sub-partner of the
	// network (checked in Go with CanRead), so SQL narrows by the parent
	// alone instead of listing a thousand ids in every query.
	whole bool
}

// subs narrows a query on a partner column to the network's sub-partners
// the viewer reaches.
func (w view) subs(q *bun.SelectQuery, col string) *bun.SelectQuery {
	q = q.Where(col+" IN (SELECT id FROM partners WHERE parent_id = ?)", w.dist.ID)
	if w.whole {
		return q
	}
	return w.rc.Where(q, col)
}

// network resolves whose network the viewer looks at: a partner's users
// their own partner's (when its type may have sub-partners), staff a
// distributor they reach, named by id.
func (s *Service) network(ctx context.Context, v sdk.Viewer, distributorID int64) (view, error) {
	rc, err := s.reach.For(ctx, v)
	if err != nil {
		return view{}, err
	}
	prog, err := program.Load(ctx, s.db)
	if err != nil {
		return view{}, err
	}
	id := distributorID
	switch {
	case rc.IsStaff():
		if id == 0 {
			return view{}, fail.Field("distributorId", "invalid.network.distributor")
		}
		if !rc.CanRead(id) {
			return view{}, noNetwork()
		}
	default:
		own := v.PartnerID()
		if (id != 0 && id != own) || !rc.CanWrite(own) {
			return view{}, noNetwork()
		}
		id = own
	}
	d, err := s.dir.Partner(ctx, id)
	if fail.CodeOf(err) == fail.NotFound || (err == nil && (!prog.Networks().IsParentType(d.Type) || d.ParentID != nil)) {
		return view{}, noNetwork()
	}
	if err != nil {
		return view{}, err
	}
	w := view{v: v, rc: rc, prog: prog, dist: d}
	// The sub-partners the viewer reaches, listed once per call: a
	// distributor's users read all of them (checked here against the
	// reach rather than assumed), staff those they reach.
	var all []int64
	if err := s.db.NewSelect().Table("partners").Column("id").Where("parent_id = ?", d.ID).Order("id").Scan(ctx, &all); err != nil {
		return view{}, fmt.Errorf("network of %d: %w", d.ID, err)
	}
	w.ids = slices.DeleteFunc(slices.Clone(all), func(id int64) bool { return !rc.CanRead(id) })
	w.whole = len(w.ids) == len(all)
	return w, nil
}

func noNetwork() error { return fail.Msg(fail.NotFound, "invalid.network.none") }

func noSubPartner() error { return fail.Msg(fail.NotFound, "invalid.network.no-sub-partner") }

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
		return "", fail.Field(field, "invalid.keep-shorter")
	}
	return s, nil
}

func percent(done, total int) int {
	if total == 0 {
		return 0
	}
	return min(100, done*100/total)
}
