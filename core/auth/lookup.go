package auth

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/sdk"
	"github.com/uptrace/bun"
)

// sessionLookup loads a session with its user and the user's partner in one
// round trip. It runs on every signed-in request, so the statement is
// prepared once (SQLite otherwise compiles the SQL every time, which cost
// more than the query) and the row is scanned without reflection.
type sessionLookup struct {
	once sync.Once
	stmt *sql.Stmt
	err  error
}

const sessionColumns = `s.id, s.token_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at,
	u.id, u.email, u.name, u.role, u.contact_role, u.partner_id, u.title, u.phone, u.photo_url, u.language,
	u.password_hash, u.permissions, u.active, u.last_login_at, u.created_at, u.updated_at,
	p.id, p.slug, p.name, p.type, p.tier, p.stage, p.manager_id, p.parent_id, p.logo_url, p.created_at, p.updated_at
FROM sessions AS s
JOIN users AS u ON u.id = s.user_id
LEFT JOIN partners AS p ON p.id = u.partner_id
WHERE s.token_hash = `

type sessionFound struct {
	session sessionRow
	user    directory.User
	partner *directory.Partner
}

func (l *sessionLookup) find(ctx context.Context, idb bun.IDB, hash string) (sessionFound, error) {
	db, ok := idb.(*bun.DB)
	if !ok {
		return sessionFound{}, fmt.Errorf("session lookup needs a database, not a transaction")
	}
	l.once.Do(func() {
		placeholder := "?"
		if store.IsPostgres(db) {
			placeholder = "$1"
		}
		l.stmt, l.err = db.DB.PrepareContext(context.Background(), "SELECT "+sessionColumns+placeholder)
	})
	if l.err != nil {
		return sessionFound{}, fmt.Errorf("prepare session lookup: %w", l.err)
	}
	var (
		f                                                    sessionFound
		role                                                 string
		sCreated, sSeen, sExpires, uLast, uCreated, uUpdated any
		pCreated, pUpdated, uActive                          any
		uPartner, pID, pManager, pParent                     sql.NullInt64
		pSlug, pName, pType, pTier, pStage, pLogo            sql.NullString
	)
	err := l.stmt.QueryRowContext(ctx, hash).Scan(
		&f.session.ID, &f.session.TokenHash, &f.session.UserID, &sCreated, &sSeen, &sExpires,
		&f.user.ID, &f.user.Email, &f.user.Name, &role, &f.user.ContactRole, &uPartner, &f.user.Title, &f.user.Phone,
		&f.user.PhotoURL, &f.user.Language, &f.user.PasswordHash, &f.user.Permissions, &uActive, &uLast, &uCreated, &uUpdated,
		&pID, &pSlug, &pName, &pType, &pTier, &pStage, &pManager, &pParent, &pLogo, &pCreated, &pUpdated)
	if err != nil {
		return sessionFound{}, err
	}
	f.user.Role = sdk.Role(role)
	f.user.Active = truthy(uActive)
	f.user.PartnerID = optionalID(uPartner)
	var errs [8]error
	f.session.CreatedAt, errs[0] = timeOf(sCreated)
	f.session.LastSeenAt, errs[1] = timeOf(sSeen)
	f.session.ExpiresAt, errs[2] = timeOf(sExpires)
	f.user.CreatedAt, errs[3] = timeOf(uCreated)
	f.user.UpdatedAt, errs[4] = timeOf(uUpdated)
	if uLast != nil {
		t, err := timeOf(uLast)
		f.user.LastLoginAt, errs[5] = &t, err
	}
	if pID.Valid {
		p := &directory.Partner{ID: pID.Int64, Slug: pSlug.String, Name: pName.String, Type: pType.String, Tier: pTier.String,
			Stage: pStage.String, ManagerID: optionalID(pManager), ParentID: optionalID(pParent), LogoURL: pLogo.String}
		p.CreatedAt, errs[6] = timeOf(pCreated)
		p.UpdatedAt, errs[7] = timeOf(pUpdated)
		f.partner = p
	}
	for _, e := range errs {
		if e != nil {
			return sessionFound{}, fmt.Errorf("read session: %w", e)
		}
	}
	return f, nil
}

func optionalID(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}

// truthy reads a boolean column: PostgreSQL gives bool, SQLite an integer.
func truthy(v any) bool {
	switch b := v.(type) {
	case bool:
		return b
	case int64:
		return b != 0
	case []byte:
		return string(b) == "1" || string(b) == "true"
	case string:
		return b == "1" || b == "true"
	}
	return false
}

// timeOf reads a timestamp column: PostgreSQL gives time.Time; SQLite holds
// the text bun wrote ("2006-01-02 15:04:05.999999-07:00"), which the driver
// may or may not have parsed already.
func timeOf(v any) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return t, nil
	case nil:
		return time.Time{}, nil
	case []byte:
		return parseTime(string(t))
	case string:
		return parseTime(t)
	case int64:
		return time.Unix(t, 0).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("unexpected time value %T", v)
}

var timeLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"}

func parseTime(s string) (time.Time, error) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable time %s", strconv.Quote(s))
}
