package reach

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/sdk"
	"github.com/uptrace/bun"
)

// Resolver builds viewers' reaches from the directory and the program's
// network rule. It is the one caller of [directory.Directory.ManagedPartnerIDs].
type Resolver struct {
	db  bun.IDB
	dir *directory.Directory

	// The network rule is read by every reach and changes rarely: it is kept
	// for a second, like the pipeline's vocabulary, so another portal
	// process sees a change within that second.
	mu     sync.Mutex
	rule   program.Network
	ruleAt time.Time
}

// ruleTTL is how long a read of the network rule is reused.
const ruleTTL = time.Second

// New returns a Resolver over db.
func New(db bun.IDB) *Resolver { return &Resolver{db: db, dir: directory.New(db)} }

// For returns the viewer's reach, read fresh from the directory: a
// deactivated user, a changed manager or a moved sub-partner counts at once.
// Within one request (see [Memo]) it is built once.
func (r *Resolver) For(ctx context.Context, v sdk.Viewer) (Reach, error) {
	if v.Preview || v.UserID <= 0 {
		return Reach{}, nil // a preview looks; it reaches nobody's records
	}
	m, _ := ctx.Value(memoKey{}).(*memo)
	if m != nil {
		if rc, ok := m.get(v); ok {
			return rc, nil
		}
	}
	rc, err := r.build(ctx, v.UserID, &v)
	if err != nil {
		return Reach{}, err
	}
	if m != nil {
		m.put(v, rc)
	}
	return rc, nil
}

// ForUser returns the reach of a user by id, for work done on a person's
// behalf outside a page (a staff member behind a preview, a mail).
func (r *Resolver) ForUser(ctx context.Context, userID int64) (Reach, error) {
	if userID <= 0 {
		return Reach{}, nil
	}
	return r.build(ctx, userID, nil)
}

// build reads the user's standing and their reach. When the viewer the
// request carries (v) no longer matches the directory — another role,
// another partner — it reaches nobody: the safe answer for an identity
// that went stale.
func (r *Resolver) build(ctx context.Context, userID int64, v *sdk.Viewer) (Reach, error) {
	st, err := r.dir.StandingOf(ctx, userID)
	if err != nil {
		return Reach{}, err
	}
	if !st.Active {
		return Reach{}, nil
	}
	if v != nil && (v.Role != st.Role || (!st.Role.Staff() && v.PartnerID() != st.PartnerID)) {
		return Reach{}, nil
	}
	switch st.Role {
	case sdk.RoleAdmin:
		return Everyone(), nil
	case sdk.RoleManager:
		ids, err := r.dir.ManagedPartnerIDs(ctx, userID)
		if err != nil {
			return Reach{}, err
		}
		rule, err := r.network(ctx)
		if err != nil {
			return Reach{}, err
		}
		if rule.ManagersReachSubPartners && len(ids) > 0 {
			subs, err := r.subPartners(ctx, ids, rule)
			if err != nil {
				return Reach{}, err
			}
			ids = append(ids, subs...)
		}
		return Staff(ids).Grant(st.Permissions...), nil
	case sdk.RolePartnerAdmin, sdk.RolePartnerUser:
		if st.PartnerID <= 0 {
			return Reach{}, nil
		}
		rule, err := r.network(ctx)
		if err != nil {
			return Reach{}, err
		}
		var subs []int64
		if rule.IsParentType(st.PartnerType) {
			if subs, err = r.dir.SubPartnerIDs(ctx, st.PartnerID); err != nil {
				return Reach{}, err
			}
		}
		return Partner(st.PartnerID, subs), nil
	}
	return Reach{}, nil
}

// StaffOf lists the active staff who reach (and may change) a partner's
// records: every admin, the partner's manager and, when the program lets
// managers reach sub-partners, the manager of its parent. It is the rule of
// build read the other way, in two queries, for lists of whom a record may
// be handed to (a conversation's assignee), instead of one reach per staff
// member.
func (r *Resolver) StaffOf(ctx context.Context, partnerID int64) ([]int64, error) {
	rule, err := r.network(ctx)
	if err != nil {
		return nil, err
	}
	var pt struct {
		ManagerID       *int64 `bun:"manager_id"`
		ParentManagerID *int64 `bun:"parent_manager_id"`
		ParentType      string `bun:"parent_type"`
	}
	err = r.db.NewSelect().TableExpr("partners AS p").
		ColumnExpr("p.manager_id, pp.manager_id AS parent_manager_id, COALESCE(pp.type, '') AS parent_type").
		Join("LEFT JOIN partners AS pp ON pp.id = p.parent_id").Where("p.id = ?", partnerID).Limit(1).Scan(ctx, &pt)
	if errors.Is(err, sql.ErrNoRows) {
		return []int64{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("staff of partner %d: %w", partnerID, err)
	}
	managers := []int64{}
	if pt.ManagerID != nil {
		managers = append(managers, *pt.ManagerID)
	}
	if pt.ParentManagerID != nil && rule.ManagersReachSubPartners && rule.IsParentType(pt.ParentType) {
		managers = append(managers, *pt.ParentManagerID)
	}
	var ids []int64
	q := r.db.NewSelect().Table("users").Column("id").Where("active").
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			q = q.Where("role = ?", sdk.RoleAdmin)
			if len(managers) > 0 {
				q = q.WhereOr("role = ? AND id IN (?)", sdk.RoleManager, bun.List(managers))
			}
			return q
		}).OrderExpr("id")
	if err := q.Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("staff of partner %d: %w", partnerID, err)
	}
	return ids, nil
}

// subPartners lists the sub-partners of those parents whose type may have
// them.
func (r *Resolver) subPartners(ctx context.Context, parents []int64, rule program.Network) ([]int64, error) {
	if len(rule.ParentTypes) == 0 {
		return nil, nil
	}
	var ids []int64
	err := r.db.NewSelect().TableExpr("partners AS s").Column("s.id").
		Join("JOIN partners AS p ON p.id = s.parent_id").
		Where("p.id IN (?)", bun.List(parents)).Where("p.type IN (?)", bun.List(rule.ParentTypes)).Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("sub-partners of managed partners: %w", err)
	}
	return ids, nil
}

func (r *Resolver) network(ctx context.Context) (program.Network, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.ruleAt.IsZero() && time.Since(r.ruleAt) < ruleTTL {
		return r.rule, nil
	}
	p, err := program.Load(ctx, r.db)
	if err != nil {
		return program.Network{}, fmt.Errorf("network rule: %w", err)
	}
	r.rule, r.ruleAt = p.Networks(), time.Now()
	return r.rule, nil
}

// Memo returns a context in which each viewer's reach is built once: the
// web and API layers wrap each request in one, so the blocks of a page and
// the calls they make share one reading of the directory.
func Memo(ctx context.Context) context.Context {
	if _, ok := ctx.Value(memoKey{}).(*memo); ok {
		return ctx
	}
	return context.WithValue(ctx, memoKey{}, &memo{})
}

type memoKey struct{}

// memo keeps the reaches built during one request, by user. A request
// serves one person, so it holds one entry, rarely two.
type memo struct {
	mu sync.Mutex
	m  map[int64]Reach
}

func (m *memo) get(v sdk.Viewer) (Reach, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	rc, ok := m.m[v.UserID]
	return rc, ok
}

func (m *memo) put(v sdk.Viewer, rc Reach) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[int64]Reach{}
	}
	m.m[v.UserID] = rc
}
