// Package pipeline is the program's revenue pipeline: leads and their status
// history, duplicate and conflict detection, deals (converted from leads or
// registered by partners and approved by staff, with a protection period),
// notes, commission rules per partner type and tier, and the commission
// ledger (pending → approved → paid; corrections are new entries).
//
// Every method takes the viewer it acts for and authorises against it: a
// partner user reads and writes their own partner's records, a distributor
// also reads its sub-partners', a partner manager works the partners they
// manage and an admin all of them. A record outside the viewer's reach is
// [fail.NotFound], the same answer as a record that does not exist.
//
// Money is int64 minor units with a currency; nothing here uses floats.
//
// # Events
//
// The pipeline announces what happened through [Events], so notifications
// (and later email and digests) hook in without the pipeline knowing them:
//
//	svc := pipeline.New(db, dir, pipeline.WithEvents(notifier))
//
// Publish is called after the change is committed, with one of the event
// types in events.go ([LeadSubmitted], [LeadStatusChanged], [DealStageChanged],
// ...). The default publishes nowhere. Publish must not block for long: it
// runs on the request's goroutine.
package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/reach"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// Service reads and writes the pipeline.
type Service struct {
	db     *bun.DB
	dir    *directory.Directory
	reach  *reach.Resolver
	events Events
	now    func() time.Time

	// The vocabulary is read by nearly every call and changes rarely: it is
	// kept for a second, so a page's blocks share one read and another
	// portal process sees a change within that second.
	cfgMu sync.Mutex
	cfg   sp.Config
	cfgAt time.Time
}

// configTTL is how long a read of the vocabulary is reused.
const configTTL = time.Second

// Option configures a Service.
type Option func(*Service)

// WithEvents sends the pipeline's events to e.
func WithEvents(e Events) Option { return func(s *Service) { s.events = e } }

// WithClock replaces the clock, for tests and the history generator.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// New returns a Service.
func New(db *bun.DB, dir *directory.Directory, opts ...Option) *Service {
	s := &Service{db: db, dir: dir, reach: reach.New(db), events: nopEvents{}, now: func() time.Time { return time.Now().UTC() }}
	for _, o := range opts {
		o(s)
	}
	return s
}

// SetEvents replaces where events go, for wiring that builds the notifier
// after the pipeline.
func (s *Service) SetEvents(e Events) {
	if e == nil {
		e = nopEvents{}
	}
	s.events = e
}

// configKey is the settings row holding the program's pipeline vocabulary.
const configKey = "pipeline.config"

// DefaultConfig is the pipeline vocabulary until the program sets its own.
func DefaultConfig() sp.Config {
	return sp.Config{
		LeadStatuses: sp.LeadStatuses,
		DealStages: []sp.Stage{
			{Key: "proposal", Label: "Proposal"},
			{Key: "negotiation", Label: "Negotiation"},
			{Key: "contract_review", Label: "Contract review"},
			{Key: sp.StageWon, Label: "Closed won"},
			{Key: sp.StageLost, Label: "Closed lost"},
		},
		Currency:       "USD",
		ProtectionDays: 90,
	}
}

// Config returns the program's pipeline vocabulary.
func (s *Service) Config(ctx context.Context) (sp.Config, error) {
	s.cfgMu.Lock()
	defer s.cfgMu.Unlock()
	if !s.cfgAt.IsZero() && time.Since(s.cfgAt) < configTTL {
		return s.cfg, nil
	}
	cfg, err := s.readConfig(ctx)
	if err != nil {
		return sp.Config{}, err
	}
	s.cfg, s.cfgAt = cfg, time.Now()
	return cfg, nil
}

func (s *Service) readConfig(ctx context.Context) (sp.Config, error) {
	var raw []string
	if err := s.db.NewRaw("SELECT value FROM settings WHERE key = ?", configKey).Scan(ctx, &raw); err != nil {
		return sp.Config{}, fmt.Errorf("read pipeline config: %w", err)
	}
	cfg := DefaultConfig()
	if len(raw) == 0 {
		return cfg, nil
	}
	if err := json.Unmarshal([]byte(raw[0]), &cfg); err != nil {
		return sp.Config{}, fmt.Errorf("read pipeline config: %w", err)
	}
	cfg.LeadStatuses = sp.LeadStatuses
	return cfg, nil
}

// SetConfig stores the program's vocabulary: renamed or added deal stages
// (the closing two must stay, last) and extra lead fields.
func (s *Service) SetConfig(ctx context.Context, cfg sp.Config) error {
	n := len(cfg.DealStages)
	if n < 3 || cfg.DealStages[n-2].Key != sp.StageWon || cfg.DealStages[n-1].Key != sp.StageLost {
		return fmt.Errorf("pipeline config: deal stages must end with %s and %s", sp.StageWon, sp.StageLost)
	}
	if cfg.Currency == "" {
		cfg.Currency = "USD"
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		return err
	}
	_, err = s.db.NewRaw("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", configKey, string(b)).Exec(ctx)
	s.cfgMu.Lock()
	s.cfgAt = time.Time{}
	s.cfgMu.Unlock()
	return err
}
