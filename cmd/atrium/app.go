package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/uptrace/bun/extra/bunotel"

	"github.com/atriumhq/atrium/blocks/builtin"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/core/pluginhost"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/roomfile"
	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/plugins/brand"
	"github.com/atriumhq/atrium/plugins/compliance"
	"github.com/atriumhq/atrium/plugins/contacts"
	"github.com/atriumhq/atrium/plugins/deals"
	"github.com/atriumhq/atrium/plugins/distributor"
	"github.com/atriumhq/atrium/plugins/files"
	"github.com/atriumhq/atrium/plugins/leads"
	"github.com/atriumhq/atrium/plugins/messages"
	"github.com/atriumhq/atrium/plugins/overview"
	"github.com/atriumhq/atrium/plugins/projects"
	"github.com/atriumhq/atrium/plugins/resources"
	"github.com/atriumhq/atrium/sdk"
	"github.com/uptrace/bun"
)

// app is the portal's parts, wired once for a command.
type app struct {
	cfg   store.Config
	db    *bun.DB
	log   *slog.Logger
	reg   *registry.Registry
	dir   *directory.Directory
	rooms *room.Service
}

// builtinPlugins are the block and room types compiled into the binary. They
// register through the same interfaces as external plugins.
func builtinPlugins() []sdk.Plugin {
	return []sdk.Plugin{builtin.Plugin(), overview.Plugin(), leads.Plugin(), deals.Plugin(),
		resources.Plugin(), brand.Plugin(), files.Plugin(), contacts.Plugin(), messages.Plugin(),
		projects.Plugin(), compliance.Plugin(), distributor.Plugin()}
}

// open connects to the database, applies pending migrations and registers
// the built-in types.
func open(ctx context.Context, g *globals) (*app, error) {
	log := g.logger()
	cfg := g.store()
	db, err := store.Open(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", store.Describe(cfg), err)
	}
	if g.traced {
		// Statements are recorded with their placeholders, never with the
		// values: a trace must not carry partners' data.
		db.AddQueryHook(bunotel.NewQueryHook())
	}
	applied, err := store.Migrate(ctx, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, m := range applied {
		log.Info("applied migration", "migration", m)
	}
	reg := registry.New()
	for _, p := range builtinPlugins() {
		if err := reg.Register(p); err != nil {
			db.Close()
			return nil, err
		}
	}
	return &app{cfg: cfg, db: db, log: log, reg: reg, dir: directory.New(db), rooms: room.NewService(db, reg, room.WithText(roomfile.MarshalRoom))}, nil
}

func (a *app) Close() error { return a.db.Close() }

// loadPlugins starts the installed plugins so that their block and room
// types are in the registry, for commands that validate rooms against them.
// Plugins that cannot start are logged; their types stay unknown. Call the
// returned function to stop them.
func (a *app) loadPlugins(g *globals) func() {
	m := pluginhost.NewManager(pluginhost.Options{Dir: pluginsDir(g), Registry: a.reg, Host: host.New(nil),
		HostVersion: version, Log: a.log})
	if err := m.Load(); err != nil {
		a.log.Warn("some plugins did not start; rooms using their types will not validate", "err", err)
	}
	return m.Close
}
