// Package program holds the partner program's vocabulary (partner types,
// ordered tiers, ordered stages, contact roles) and its branding. Everything
// that names a tier or a stage is checked against it.
package program

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/atriumhq/atrium/core/i18n"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/revision"
	"github.com/atriumhq/atrium/sdk"
	"github.com/uptrace/bun"
)

// Program is the vocabulary and branding of the partner program.
type Program struct {
	Name         string   `json:"name"`
	LogoURL      string   `json:"logoUrl,omitempty"`
	PrimaryColor string   `json:"primaryColor,omitempty"`
	PartnerTypes []string `json:"partnerTypes"`
	Tiers        []string `json:"tiers"`  // lowest first
	Stages       []string `json:"stages"` // earliest first
	ContactRoles []string `json:"contactRoles"`
	// EmbedHosts may be shown in embed blocks' frames; "*.example.com"
	// matches subdomains.
	EmbedHosts []string `json:"embedHosts,omitempty"`
	// MaxUploadMB is the largest file partners and staff may upload, in
	// MB; 0 means the portal's default (200 MB).
	MaxUploadMB int `json:"maxUploadMb,omitempty"`
	// Network is the two-tier rule; nil means [DefaultNetwork].
	Network *Network `json:"network,omitempty"`
	// Language is the portal's language for people whose own setting and
	// browser name none it ships (a tag such as "de"); "" is English.
	Language string `json:"language,omitempty"`
}

// Network is the program's two-tier rule: who may have sub-partners, and who
// reaches them. Access to partners' records follows it (core/reach), so a
// program can name its own parent type instead of the code naming one.
type Network struct {
	// ParentTypes are the partner types whose partners may have
	// sub-partners. Their users read (never change) their sub-partners'
	// records: pipeline, engagement, compliance.
	ParentTypes []string `json:"parentTypes" yaml:"parentTypes,flow"`
	// ManagersReachSubPartners lets the manager of a parent partner work
	// its sub-partners as if they managed them too.
	ManagersReachSubPartners bool `json:"managersReachSubPartners,omitempty" yaml:"managersReachSubPartners,omitempty"`
	// RecruitsWithoutApproval lets a parent partner's admin bring a new
	// sub-partner in at once. By default (false) the vendor's manager of
	// the parent approves each recruit first (core/network).
	RecruitsWithoutApproval bool `json:"recruitsWithoutApproval,omitempty" yaml:"recruitsWithoutApproval,omitempty"`
	// Onboarding names the checklist whose progress a parent partner sees
	// per sub-partner, as "room-slug/block-id" of a tasks block kept per
	// partner; empty means [DefaultOnboarding].
	Onboarding string `json:"onboarding,omitempty" yaml:"onboarding,omitempty"`
}

// DefaultOnboarding is the checklist a program that names none tracks
// sub-partners' onboarding with: the Getting Started room's checklist.
const DefaultOnboarding = "onboarding/first-steps"

// OnboardingChecklist is the "room-slug/block-id" of the onboarding
// checklist.
func (n Network) OnboardingChecklist() string {
	if n.Onboarding == "" {
		return DefaultOnboarding
	}
	return n.Onboarding
}

// DefaultNetwork is the rule of a program that sets none: distributors have
// networks, and managers reach the partners they manage only.
func DefaultNetwork() Network { return Network{ParentTypes: []string{"distributor"}} }

// Networks returns the program's two-tier rule.
func (p Program) Networks() Network {
	if p.Network == nil {
		return DefaultNetwork()
	}
	return *p.Network
}

// IsParentType reports whether partners of type t may have sub-partners.
func (n Network) IsParentType(t string) bool { return slices.Contains(n.ParentTypes, t) }

// Default is the program a new portal starts with.
func Default() Program {
	return Program{
		Name:         "Partner Portal",
		PrimaryColor: "#2563eb",
		PartnerTypes: []string{"referral", "reseller", "distributor", "implementation"},
		Tiers:        []string{"bronze", "silver", "gold", "platinum"},
		Stages:       []string{"getting-started", "training", "active", "strategic"},
		ContactRoles: []string{"sales", "technical", "executive", "marketing"},
	}
}

var (
	wordRE  = regexp.MustCompile(`^[a-z][a-z0-9-]{0,39}$`)
	colorRE = regexp.MustCompile(`^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)
	// onboardingRE is "room-slug/block-id".
	onboardingRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}/[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)
	hostRE       = regexp.MustCompile(`^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
)

// Validate checks the program and returns every problem found, each naming
// its field.
func (p Program) Validate() error {
	var errs []error
	if strings.TrimSpace(p.Name) == "" {
		errs = append(errs, errors.New("name: is required"))
	}
	if !i18n.Valid(p.Language) {
		errs = append(errs, fmt.Errorf("language: %q is not a language the portal ships (%s)", p.Language, strings.Join(i18n.Catalog().Languages(), ", ")))
	}
	if p.MaxUploadMB < 0 || p.MaxUploadMB > 10240 {
		errs = append(errs, errors.New("maxUploadMb: must be between 0 (the default) and 10240"))
	}
	if p.PrimaryColor != "" && !colorRE.MatchString(p.PrimaryColor) {
		errs = append(errs, fmt.Errorf("primaryColor: %q is not a #rgb or #rrggbb colour", p.PrimaryColor))
	}
	if p.LogoURL != "" && !strings.HasPrefix(p.LogoURL, "https://") && !strings.HasPrefix(p.LogoURL, "/") {
		errs = append(errs, fmt.Errorf("logoUrl: must be an https URL or a path starting with /"))
	}
	for field, list := range map[string][]string{
		"partnerTypes": p.PartnerTypes, "tiers": p.Tiers, "stages": p.Stages, "contactRoles": p.ContactRoles,
	} {
		if len(list) == 0 {
			errs = append(errs, fmt.Errorf("%s: needs at least one value", field))
		}
		seen := map[string]bool{}
		for i, v := range list {
			if !wordRE.MatchString(v) {
				errs = append(errs, fmt.Errorf("%s[%d]: %q must be lowercase letters, digits and hyphens, starting with a letter", field, i, v))
			}
			if seen[v] {
				errs = append(errs, fmt.Errorf("%s[%d]: %q appears twice", field, i, v))
			}
			seen[v] = true
		}
	}
	if p.Network != nil {
		for i, t := range p.Network.ParentTypes {
			if !slices.Contains(p.PartnerTypes, t) {
				errs = append(errs, fmt.Errorf("network.parentTypes[%d]: %q is not one of the program's partner types", i, t))
			}
		}
		if o := p.Network.Onboarding; o != "" && !onboardingRE.MatchString(o) {
			errs = append(errs, fmt.Errorf("network.onboarding: %q must be a room slug and a block id, such as onboarding/first-steps", o))
		}
	}
	for i, h := range p.EmbedHosts {
		if !hostRE.MatchString(h) {
			errs = append(errs, fmt.Errorf("embedHosts[%d]: %q is not a host name (use www.example.com or *.example.com)", i, h))
		}
	}
	return errors.Join(errs...)
}

// HasType, HasTier, HasStage and HasRole report whether a value is in the
// program's vocabulary.
func (p Program) HasType(v string) bool  { return slices.Contains(p.PartnerTypes, v) }
func (p Program) HasTier(v string) bool  { return slices.Contains(p.Tiers, v) }
func (p Program) HasStage(v string) bool { return slices.Contains(p.Stages, v) }
func (p Program) HasRole(v string) bool  { return slices.Contains(p.ContactRoles, v) }

// TierRank is the position of a tier, lowest first, or -1 if unknown.
func (p Program) TierRank(tier string) int { return slices.Index(p.Tiers, tier) }

// StageRank is the position of a stage, earliest first, or -1 if unknown.
func (p Program) StageRank(stage string) int { return slices.Index(p.Stages, stage) }

// SDK is the program as the SDK shows it to block and room types.
func (p Program) SDK() sdk.Program {
	return sdk.Program{
		Name:         p.Name,
		PartnerTypes: slices.Clone(p.PartnerTypes),
		Tiers:        slices.Clone(p.Tiers),
		Stages:       slices.Clone(p.Stages),
		ContactRoles: slices.Clone(p.ContactRoles),
		EmbedHosts:   slices.Clone(p.EmbedHosts),
	}
}

// row is the program table's single row.
type row struct {
	bun.BaseModel `bun:"table:program"`
	ID            int       `bun:"id,pk"`
	Name          string    `bun:"name"`
	LogoURL       string    `bun:"logo_url"`
	PrimaryColor  string    `bun:"primary_color"`
	PartnerTypes  string    `bun:"partner_types"`
	Tiers         string    `bun:"tiers"`
	Stages        string    `bun:"stages"`
	ContactRoles  string    `bun:"contact_roles"`
	EmbedHosts    string    `bun:"embed_hosts"`
	Network       string    `bun:"network"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

// Load reads the program, or returns Default when none was saved yet.
func Load(ctx context.Context, db bun.IDB) (Program, error) {
	var r row
	err := db.NewSelect().Model(&r).Where("id = 1").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return Default(), nil
	}
	if err != nil {
		return Program{}, fmt.Errorf("load program: %w", err)
	}
	p := Program{Name: r.Name, LogoURL: r.LogoURL, PrimaryColor: r.PrimaryColor}
	for dst, src := range map[*[]string]string{
		&p.PartnerTypes: r.PartnerTypes, &p.Tiers: r.Tiers, &p.Stages: r.Stages,
		&p.ContactRoles: r.ContactRoles, &p.EmbedHosts: r.EmbedHosts,
	} {
		if err := json.Unmarshal([]byte(src), dst); err != nil {
			return Program{}, fmt.Errorf("load program: corrupt list: %w", err)
		}
	}
	if r.Network != "" {
		p.Network = new(Network)
		if err := json.Unmarshal([]byte(r.Network), p.Network); err != nil {
			return Program{}, fmt.Errorf("load program: corrupt network rule: %w", err)
		}
	}
	return p, nil
}

// Save validates and stores the program and bumps its revision so every
// portal process picks it up.
func Save(ctx context.Context, db bun.IDB, p Program) error {
	if err := p.Validate(); err != nil {
		return err
	}
	enc := func(v []string) string {
		if v == nil {
			v = []string{}
		}
		b, _ := json.Marshal(v)
		return string(b)
	}
	r := row{
		ID: 1, Name: p.Name, LogoURL: p.LogoURL, PrimaryColor: p.PrimaryColor,
		PartnerTypes: enc(p.PartnerTypes), Tiers: enc(p.Tiers), Stages: enc(p.Stages),
		ContactRoles: enc(p.ContactRoles), EmbedHosts: enc(p.EmbedHosts), UpdatedAt: time.Now().UTC(),
	}
	if p.Network != nil {
		n := *p.Network
		if n.ParentTypes == nil {
			n.ParentTypes = []string{}
		}
		b, _ := json.Marshal(n)
		r.Network = string(b)
	}
	if _, err := db.NewInsert().Model(&r).On("CONFLICT (id) DO UPDATE").
		Set("name = EXCLUDED.name, logo_url = EXCLUDED.logo_url, primary_color = EXCLUDED.primary_color").
		Set("partner_types = EXCLUDED.partner_types, tiers = EXCLUDED.tiers, stages = EXCLUDED.stages").
		Set("contact_roles = EXCLUDED.contact_roles, embed_hosts = EXCLUDED.embed_hosts, network = EXCLUDED.network").
		Set("updated_at = EXCLUDED.updated_at").
		Exec(ctx); err != nil {
		return fmt.Errorf("save program: %w", err)
	}
	return revision.Bump(ctx, db, revision.Program)
}
