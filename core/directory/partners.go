package directory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/program"
	"github.com/uptrace/bun"
	"golang.org/x/text/unicode/norm"
)

// PartnerInput is what staff give to create or change a partner.
type PartnerInput struct {
	Name      string `json:"name"`
	Slug      string `json:"slug,omitempty"` // derived from the name when empty
	Type      string `json:"type"`
	Tier      string `json:"tier"`
	Stage     string `json:"stage"`
	ManagerID *int64 `json:"managerId,omitempty"`
	ParentID  *int64 `json:"parentId,omitempty"`
	LogoURL   string `json:"logoUrl,omitempty"`
}

var slugRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$`)

// Slugify turns a name into a URL-safe slug ("Carlos & Co" -> "carlos-co").
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(strings.ToLower(name)) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case unicode.Is(unicode.Mn, r): // accents dropped by NFKD
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 64 {
		s = strings.Trim(s[:64], "-")
	}
	return s
}

// validate checks a partner input against the program; it fills the slug.
func (d *Directory) validatePartner(ctx context.Context, in *PartnerInput, self int64) error {
	prog, err := program.Load(ctx, d.db)
	if err != nil {
		return err
	}
	fields := fail.Problems{}
	in.Name = strings.TrimSpace(in.Name)
	switch {
	case in.Name == "":
		fields.Add("name", "invalid.partner.name")
	case len(in.Name) > 200:
		fields.Add("name", "invalid.at-most-200-sentence")
	}
	if in.Slug == "" {
		in.Slug = Slugify(in.Name)
	}
	if !slugRE.MatchString(in.Slug) {
		fields.Add("slug", "invalid.partner.slug")
	}
	if !prog.HasType(in.Type) {
		fields.Add("type", "invalid.choose-one-of", "Options", strings.Join(prog.PartnerTypes, ", "))
	}
	if !prog.HasTier(in.Tier) {
		fields.Add("tier", "invalid.choose-one-of", "Options", strings.Join(prog.Tiers, ", "))
	}
	if !prog.HasStage(in.Stage) {
		fields.Add("stage", "invalid.choose-one-of", "Options", strings.Join(prog.Stages, ", "))
	}
	if in.LogoURL != "" && !strings.HasPrefix(in.LogoURL, "https://") && !strings.HasPrefix(in.LogoURL, "/") {
		fields.Add("logoUrl", "invalid.url-or-path")
	}
	if in.ManagerID != nil {
		m, err := d.User(ctx, *in.ManagerID)
		if err != nil || !m.Role.Staff() || !m.Active {
			fields.Add("managerId", "invalid.partner.manager")
		}
	}
	if in.ParentID != nil {
		switch parent, err := d.Partner(ctx, *in.ParentID); {
		case err != nil:
			fields.Add("parentId", "invalid.partner.no-parent")
		case parent.ID == self:
			fields.Add("parentId", "invalid.partner.own-parent")
		case parent.ParentID != nil:
			fields.Add("parentId", "invalid.partner.parent-is-sub")
		case !prog.Networks().IsParentType(parent.Type):
			fields.Add("parentId", "invalid.partner.no-subs-for-type", "Type", parent.Type, "Types", strings.Join(prog.Networks().ParentTypes, ", "))
		}
		if self != 0 {
			if n, _ := d.db.NewSelect().Model((*Partner)(nil)).Where("parent_id = ?", self).Count(ctx); n > 0 {
				fields.Add("parentId", "invalid.partner.has-subs")
			}
		}
	}
	return fields.Err()
}

// CreatePartner validates and stores a new partner. A slug derived from the
// name gets a numeric suffix when taken; a slug given explicitly must be free.
func (d *Directory) CreatePartner(ctx context.Context, in PartnerInput) (Partner, error) {
	explicit := in.Slug != ""
	if err := d.validatePartner(ctx, &in, 0); err != nil {
		return Partner{}, err
	}
	slug, err := d.freeSlug(ctx, in.Slug, 0, explicit)
	if err != nil {
		return Partner{}, err
	}
	t := now()
	p := Partner{Slug: slug, Name: in.Name, Type: in.Type, Tier: in.Tier, Stage: in.Stage,
		ManagerID: in.ManagerID, ParentID: in.ParentID, LogoURL: in.LogoURL, CreatedAt: t, UpdatedAt: t}
	if _, err := d.db.NewInsert().Model(&p).Returning("id").Exec(ctx); err != nil {
		return Partner{}, fmt.Errorf("create partner: %w", err)
	}
	return p, nil
}

// UpdatePartner changes a partner.
func (d *Directory) UpdatePartner(ctx context.Context, id int64, in PartnerInput) (Partner, error) {
	p, err := d.Partner(ctx, id)
	if err != nil {
		return Partner{}, err
	}
	if in.Slug == "" {
		in.Slug = p.Slug
	}
	if err := d.validatePartner(ctx, &in, id); err != nil {
		return Partner{}, err
	}
	if _, err := d.freeSlug(ctx, in.Slug, id, true); err != nil {
		return Partner{}, err
	}
	p.Slug, p.Name, p.Type, p.Tier, p.Stage = in.Slug, in.Name, in.Type, in.Tier, in.Stage
	p.ManagerID, p.ParentID, p.LogoURL, p.UpdatedAt = in.ManagerID, in.ParentID, in.LogoURL, now()
	if _, err := d.db.NewUpdate().Model(&p).WherePK().Exec(ctx); err != nil {
		return Partner{}, fmt.Errorf("update partner %d: %w", id, err)
	}
	return p, nil
}

// freeSlug returns slug if no other partner has it. Otherwise it fails when
// the slug was chosen explicitly, or tries slug-2, slug-3, ...
func (d *Directory) freeSlug(ctx context.Context, slug string, self int64, explicit bool) (string, error) {
	for i := 1; i < 1000; i++ {
		cand := slug
		if i > 1 {
			cand = fmt.Sprintf("%s-%d", slug, i)
		}
		n, err := d.db.NewSelect().Model((*Partner)(nil)).Where("slug = ? AND id <> ?", cand, self).Count(ctx)
		if err != nil {
			return "", fmt.Errorf("check slug: %w", err)
		}
		if n == 0 {
			return cand, nil
		}
		if explicit {
			return "", fail.Field("slug", "invalid.partner.slug-taken", "Slug", cand)
		}
	}
	return "", fail.Msg(fail.Conflict, "invalid.partner.no-slug", "Slug", slug)
}

// Partner returns a partner by id.
func (d *Directory) Partner(ctx context.Context, id int64) (Partner, error) {
	var p Partner
	err := d.db.NewSelect().Model(&p).Where("id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return Partner{}, fail.Msg(fail.NotFound, "invalid.partner.not-found")
	}
	if err != nil {
		return Partner{}, fmt.Errorf("load partner %d: %w", id, err)
	}
	return p, nil
}

// PartnerBySlug returns a partner by slug.
func (d *Directory) PartnerBySlug(ctx context.Context, slug string) (Partner, error) {
	var p Partner
	err := d.db.NewSelect().Model(&p).Where("slug = ?", slug).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return Partner{}, fail.Msg(fail.NotFound, "invalid.partner.slug-not-found", "Slug", slug)
	}
	if err != nil {
		return Partner{}, fmt.Errorf("load partner %q: %w", slug, err)
	}
	return p, nil
}

// PartnerSlugs returns the set of every partner slug, for validating room
// files that name partners.
func (d *Directory) PartnerSlugs(ctx context.Context) (map[string]bool, error) {
	var slugs []string
	if err := d.db.NewSelect().Model((*Partner)(nil)).Column("slug").Scan(ctx, &slugs); err != nil {
		return nil, fmt.Errorf("list partner slugs: %w", err)
	}
	out := make(map[string]bool, len(slugs))
	for _, s := range slugs {
		out[s] = true
	}
	return out, nil
}

// PartnerFilter narrows a partner list. Zero fields do not filter.
type PartnerFilter struct {
	Query    string // matches name or slug, case-insensitively
	Type     string
	Tier     string
	Stage    string
	ParentID int64
	// Within limits the list to these partners when not nil (a viewer's
	// reach, from core/reach); an empty, non-nil list matches none.
	Within  []int64
	Page    int
	PerPage int
}

// ListPartners returns one page of partners, by name.
func (d *Directory) ListPartners(ctx context.Context, f PartnerFilter) (Page[Partner], error) {
	page, per := paging(f.Page, f.PerPage)
	var items []Partner
	q := d.db.NewSelect().Model(&items)
	if s := strings.TrimSpace(f.Query); s != "" {
		like := "%" + escapeLike(strings.ToLower(s)) + "%"
		q = q.Where("(lower(name) LIKE ? ESCAPE '\\' OR slug LIKE ? ESCAPE '\\')", like, like)
	}
	if f.Type != "" {
		q = q.Where("type = ?", f.Type)
	}
	if f.Tier != "" {
		q = q.Where("tier = ?", f.Tier)
	}
	if f.Stage != "" {
		q = q.Where("stage = ?", f.Stage)
	}
	if f.ParentID != 0 {
		q = q.Where("parent_id = ?", f.ParentID)
	}
	if f.Within != nil {
		q = q.Where("id IN (?)", bun.List(f.Within))
	}
	total, err := q.OrderExpr("lower(name), id").Limit(int64(per)).Offset(int64((page - 1) * per)).ScanAndCount(ctx)
	if err != nil {
		return Page[Partner]{}, fmt.Errorf("list partners: %w", err)
	}
	return Page[Partner]{Items: items, Total: int(total), Page: page, PerPage: per}, nil
}

// escapeLike escapes LIKE wildcards so a search for "50%" means the text.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// ManagedPartnerIDs lists the ids of the partners a manager manages.
func (d *Directory) ManagedPartnerIDs(ctx context.Context, managerID int64) ([]int64, error) {
	ids, err := d.ids(ctx, managedSQL, managerID)
	if err != nil {
		return nil, fmt.Errorf("list partners of manager %d: %w", managerID, err)
	}
	return ids, nil
}

// SubPartnerIDs lists the partners whose parent is parent.
func (d *Directory) SubPartnerIDs(ctx context.Context, parent int64) ([]int64, error) {
	ids, err := d.ids(ctx, subsSQL, parent)
	if err != nil {
		return nil, fmt.Errorf("list sub-partners of %d: %w", parent, err)
	}
	return ids, nil
}
