package main

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/roomtemplate"
	"github.com/atriumhq/atrium/core/telemetry"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"

	"github.com/atriumhq/atrium/core/api"
	"github.com/atriumhq/atrium/core/auth"
	"github.com/atriumhq/atrium/core/blob"
	"github.com/atriumhq/atrium/core/catalog"
	"github.com/atriumhq/atrium/core/compliance"
	"github.com/atriumhq/atrium/core/contacts"
	"github.com/atriumhq/atrium/core/content"
	"github.com/atriumhq/atrium/core/demo"
	"github.com/atriumhq/atrium/core/engagement"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/core/library"
	"github.com/atriumhq/atrium/core/live"
	"github.com/atriumhq/atrium/core/mailin"
	"github.com/atriumhq/atrium/core/markdown"
	"github.com/atriumhq/atrium/core/messages"
	"github.com/atriumhq/atrium/core/network"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/core/pluginhost"
	"github.com/atriumhq/atrium/core/pluginpack"
	"github.com/atriumhq/atrium/core/pluginstore"
	"github.com/atriumhq/atrium/core/principal"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/projects"
	"github.com/atriumhq/atrium/core/render"
	"github.com/atriumhq/atrium/core/revenue"
	"github.com/atriumhq/atrium/core/secret"
	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/core/tasks"
	"github.com/atriumhq/atrium/core/theme"
	"github.com/atriumhq/atrium/core/web"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// serveOptions are the flags of "atrium serve".
type serveOptions struct {
	addr         string
	demo         bool
	themeDir     string
	https        bool
	trustProxy   bool
	metricsAllow []string
	sessionIdle  time.Duration
	sessionMax   time.Duration
	sessionCache time.Duration
	poll         time.Duration
	blockTimeout time.Duration
	pluginWatch  time.Duration
	// admission bounds the requests served at once (zero: by CPUs).
	admission web.Admission
	// smtp sends notifications by email to those who asked; no address, no
	// email.
	smtp notify.SMTPConfig
	// smtpListen is where replies by email arrive (empty: no listener);
	// replyDomain is the domain of their addresses.
	smtpListen  string
	replyDomain string
	// eventsRetention deletes raw engagement events older than this (0
	// keeps them); the rollups the dashboards read are kept.
	eventsRetention time.Duration
	rollupInterval  time.Duration
	// argon2 is the cost of new password hashes (zero: auth's default, no
	// flag). The tests' portals sign in thousands of times with the demo's
	// passwords: they hash cheaply, as core's own tests do, and leave
	// the production cost to core/auth's tests.
	argon2 auth.Argon2Params
}

// defaultServeOptions are serve's defaults, for its flags and for the
// portals that the bench command and the tests start in-process.
func defaultServeOptions() *serveOptions {
	return &serveOptions{
		addr:         "127.0.0.1:8080",
		sessionIdle:  30 * time.Minute,
		sessionMax:   8 * time.Hour,
		sessionCache: time.Second,
		poll:         time.Second, // a publish reaches every node well within 2 s
		blockTimeout: 2 * time.Second,
		pluginWatch:  2 * time.Second,
		// Thirteen months keeps a year-on-year comparison rebuildable.
		eventsRetention: 395 * 24 * time.Hour,
		rollupInterval:  15 * time.Second,
	}
}

func serveCmd(g *globals) *cobra.Command {
	o := defaultServeOptions()
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the portal",
		Example: "  atrium serve --demo\n" +
			"  atrium serve --addr 0.0.0.0:8080 --database-url postgres://atrium@db/atrium --https --trust-proxy",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serve(cmd.Context(), g, o, nil)
		},
	}
	serveFlags(cmd.Flags(), o)
	return cmd
}

// serveFlags defines serve's flags on f, into o. "atrium doctor" takes
// the same flags, so it checks exactly what serve would run with.
func serveFlags(f *pflag.FlagSet, o *serveOptions) {
	d := *defaultServeOptions()
	f.StringVar(&o.addr, "addr", d.addr, "address to listen on (HOST:PORT)")
	f.BoolVar(&o.demo, "demo", false, "seed the Acme Cloud demo program (idempotent) and print its accounts")
	f.StringVar(&o.themeDir, "theme", "", "folder whose files override the default theme's")
	f.BoolVar(&o.https, "https", false, "the portal is reached over HTTPS (a proxy terminates TLS): Secure, __Host- cookies and HSTS")
	f.BoolVar(&o.trustProxy, "trust-proxy", false, "honour X-Forwarded-For and X-Forwarded-Proto from the proxy in front")
	f.StringSliceVar(&o.metricsAllow, "metrics-allow", nil, "networks that may read /metrics without signing in (CIDR, repeatable)")
	f.DurationVar(&o.sessionIdle, "session-idle", d.sessionIdle, "sign out after this long without activity")
	f.DurationVar(&o.sessionMax, "session-max", d.sessionMax, "sign out this long after signing in, however active")
	f.DurationVar(&o.sessionCache, "session-cache", d.sessionCache, "reuse a checked session this long without a query (0 checks every request); the bell's unread count is kept as long; other portal processes see a sign-out or a new notification within it")
	f.DurationVar(&o.poll, "poll", d.poll, "how often to look for rooms changed by the CLI or another portal process")
	f.DurationVar(&o.pluginWatch, "plugin-watch", d.pluginWatch, "how often to look for plugins installed, enabled or disabled from the command line")
	f.DurationVar(&o.blockTimeout, "block-timeout", d.blockTimeout, "deadline for rendering one block of an out-of-process plugin")
	f.IntVar(&o.admission.Concurrent, "max-requests", 0, "pages and API calls served at once; more wait in a short queue, then get 503 with Retry-After (default: four per CPU, at least eight)")
	f.IntVar(&o.admission.Queue, "request-queue", 0, "requests that may wait for a turn beyond --max-requests (default: eight per turn)")
	f.StringVar(&o.smtp.Addr, "smtp-addr", "", "mail server (HOST:PORT) for notification emails; none sends no email")
	f.StringVar(&o.smtp.From, "smtp-from", "", "sender address of notification emails")
	f.StringVar(&o.smtp.FromName, "smtp-from-name", "", "sender name of notification emails")
	f.StringVar(&o.smtp.Username, "smtp-username", "", "mail server user (PLAIN auth, needs STARTTLS)")
	f.StringVar(&o.smtp.Password, "smtp-password", "", "mail server password; prefer ATRIUM_SMTP_PASSWORD")
	f.StringVar(&o.smtp.BaseURL, "public-url", "", "the portal's address as people reach it, for links in emails and invitation links (https://partners.example.com)")
	f.StringVar(&o.smtpListen, "smtp-listen", "", "address (HOST:PORT) of the inbound SMTP listener that turns email replies into messages; none takes no replies")
	f.StringVar(&o.replyDomain, "reply-domain", "", "domain of the reply addresses in message emails (its mail must reach --smtp-listen)")
	f.DurationVar(&o.eventsRetention, "events-retention", d.eventsRetention, "delete raw engagement events older than this (0 keeps them); the dashboards' rollups are kept")
	f.DurationVar(&o.rollupInterval, "rollup-interval", d.rollupInterval, "how often to fold new engagement events into sessions and rollups")
}

// portal is a wired, running-ready portal.
type portal struct {
	*app
	handler http.Handler
	catalog *catalog.Catalog
	auth    *auth.Service
	api     *api.API
	plugins *pluginhost.Manager
	web     *web.Server
	content *content.Service
	blobs   *blob.Store
	events  *engagement.Recorder
	notify  *notify.Service
	pipe    *pipeline.Service
	msgs    *messages.Service
	work    *projects.Service
	papers  *compliance.Service
	replies *mailin.Server
	live    *live.Hub
	job     *engagement.Job
	hosts   *host.Factory
}

// Close stops the plugins, writes the engagement events still queued and
// releases the object store and the database.
func (p *portal) Close() error {
	p.plugins.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.events.Close(ctx); err != nil {
		p.log.Warn("engagement events lost on shutdown", "err", err, "failed", p.events.Stats().Failed)
	}
	_ = p.blobs.Close()
	return p.app.Close()
}

// pluginsDir is where installed plugins live: <data>/plugins.
func pluginsDir(g *globals) string { return filepath.Join(g.data, "plugins") }

// publisherKeys lists the trusted publisher keys kept in the plugins
// folder, for the admin plugins page.
func publisherKeys(g *globals) func() ([]pluginpack.Key, error) {
	return func() ([]pluginpack.Key, error) { return pluginpack.Keys(pluginsDir(g)) }
}

// buildPortal wires the portal's services and HTTP handler.
func buildPortal(ctx context.Context, g *globals, o *serveOptions) (*portal, error) {
	a, err := open(ctx, g)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			a.Close()
		}
	}()
	authSvc := auth.New(a.db, a.dir, auth.Config{IdleTimeout: o.sessionIdle, AbsoluteTimeout: o.sessionMax, SessionCache: o.sessionCache, Argon2: o.argon2})
	job := engagement.NewJob(a.db, engagement.JobOptions{Interval: o.rollupInterval, Retention: o.eventsRetention, Logger: a.log})
	if o.demo {
		res, err := demo.Seed(ctx, a.db, a.rooms, authSvc)
		if err != nil {
			return nil, fmt.Errorf("seed demo: %w", err)
		}
		if err := demo.SeedPipeline(ctx, a.db); err != nil {
			return nil, fmt.Errorf("seed demo pipeline: %w", err)
		}
		if err := demo.SeedNetwork(ctx, a.db, authSvc); err != nil {
			return nil, fmt.Errorf("seed demo network: %w", err)
		}
		a.log.Info("demo ready", "rooms created", len(res.Created), "rooms changed", len(res.Changed))
	}
	cat, err := catalog.New(ctx, a.db, a.log)
	if err != nil {
		return nil, err
	}
	blobs, err := blob.Open(ctx, g.blobURL, g.data)
	if err != nil {
		return nil, err
	}
	defer func() {
		if !ok {
			blobs.Close()
		}
	}()
	events := engagement.NewRecorder(a.db, engagement.RecorderOptions{Logger: a.log})
	defer func() {
		if !ok {
			_ = events.Close(context.Background())
		}
	}()
	fileSvc := files.New(a.db, blobs, files.Options{Recorder: events, MaxSize: func(context.Context) int64 {
		return int64(cat.Current().Program.MaxUploadMB) << 20
	}})
	contentSvc := &content.Service{Files: fileSvc, Library: library.New(a.db, fileSvc), Dir: a.dir,
		Program: func() program.Program { return cat.Current().Program }, Rooms: cat.Current, Reach: reach.New(a.db)}
	if o.demo {
		if err := demo.SeedContent(ctx, a.db, a.dir, contentSvc); err != nil {
			return nil, fmt.Errorf("seed demo content: %w", err)
		}
		// After the content, so the history points at the library's
		// resources.
		if err := seedDemoHistory(ctx, a, job); err != nil {
			return nil, err
		}
	}
	metrics := web.NewMetrics(a.db.DB)
	hosts := host.New(cat)
	pluginstore.Register(hosts, a.db)
	plugins := pluginhost.NewManager(pluginhost.Options{Dir: pluginsDir(g), Registry: a.reg, Host: hosts,
		HostVersion: version, Log: a.log, PublishStatus: true, Traced: g.traced})
	plugins.RegisterHost(hosts)
	// A plugin that cannot start is logged and shown to admins with its
	// reason; the portal starts without it.
	_ = plugins.Load()
	// Follow `atrium plugins install/enable/disable` run against the data
	// folder while the portal runs.
	plugins.Watch(o.pluginWatch)
	defer func() {
		if !ok {
			plugins.Close()
		}
	}()
	contentSvc.Register(hosts)
	pipe := pipeline.New(a.db, a.dir)
	pipeline.RegisterHost(hosts, pipe)
	renderer := render.New(a.reg, render.Options{Timeout: o.blockTimeout, Host: hosts.For, Observe: metrics.ObserveBlock, Log: a.log})
	th, err := theme.Load(theme.Options{Dir: o.themeDir, Markdown: markdown.New(markdown.Options{}), Logger: a.log})
	if err != nil {
		return nil, err
	}
	key, err := secret.Key(ctx, a.db, "actions")
	if err != nil {
		return nil, err
	}
	var allow []netip.Prefix
	for _, c := range o.metricsAllow {
		p, err := netip.ParsePrefix(strings.TrimSpace(c))
		if err != nil {
			return nil, fmt.Errorf("--metrics-allow %q: %w", c, err)
		}
		allow = append(allow, p)
	}
	reports := engagement.NewReports(a.db, engagement.ReportOptions{Resources: contentSvc.Library})
	// Both dashboards cut days in the same reporting zone.
	revenueReports := revenue.NewReports(a.db, revenue.Options{Location: reports.Location(), Vocabulary: pipe})
	notifyOpts := []notify.Option{notify.WithLogger(a.log), notify.WithUnreadCache(o.sessionCache),
		notify.WithDigestLocation(reports.Location())}
	if o.replyDomain != "" {
		// Every process signs reply addresses; the one with the listener
		// takes the replies.
		addrs, err := replyAddresses(ctx, a, o.replyDomain)
		if err != nil {
			return nil, err
		}
		o.smtp.ReplyTo = addrs.ForScope
	}
	if o.smtp.Addr != "" {
		if o.smtp.From == "" {
			return nil, g.loc.Errorf("cli.serve.smtp-from-needed")
		}
		notifyOpts = append(notifyOpts, notify.WithChannel(notify.NewEmail(o.smtp)))
	}
	notes := notify.New(a.db, notifyOpts...)
	hub := live.New(a.db, live.WithDatabaseURL(a.cfg.DatabaseURL), live.WithLogger(a.log))
	authSvc.OnCutOff(hub.Disconnect) // sign-out and deactivation end open streams
	msgs := messages.New(a.db, a.dir, reach.New(a.db), messages.Options{Files: fileSvc, Notify: notes, Log: a.log, Live: hub,
		Program: func() program.Program { return cat.Current().Program }, RoomPath: roomPath(cat, "messages")})
	msgs.RegisterHost(hosts)
	contentSvc.Converses = func(ctx context.Context, p *principal.Principal, fileID int64) (bool, error) {
		return msgs.CanSeeAttachment(ctx, p.Viewer(), fileID)
	}
	work := projects.New(a.db, a.dir, reach.New(a.db), projects.Options{Files: fileSvc, Notify: notes, Log: a.log,
		Location: reports.Location(), RoomPath: roomPath(cat, "projects")})
	work.RegisterHost(hosts)
	contentSvc.Delivers = func(ctx context.Context, p *principal.Principal, fileID int64) (bool, error) {
		return work.CanSeeDeliverable(ctx, p.Viewer(), fileID)
	}
	// Compliance and distributor shares: evidence and shared uploads are
	// files whose download asks the service.
	papers := compliance.New(a.db, a.dir, reach.New(a.db), compliance.Options{Files: fileSvc, Resources: contentSvc, Notify: notes,
		Log: a.log, Location: reports.Location(), RoomPath: roomPath(cat, "compliance"), ResourcesPath: roomPath(cat, "resources")})
	papers.RegisterHost(hosts)
	contentSvc.Evidences = func(ctx context.Context, p *principal.Principal, fileID int64) (bool, error) {
		return papers.CanSeeEvidence(ctx, p.Viewer(), fileID)
	}
	contentSvc.Shared = func(ctx context.Context, p *principal.Principal, fileID int64) (bool, error) {
		return papers.CanSeeShared(ctx, p.Viewer(), fileID)
	}
	networks := network.New(a.db, a.dir, reach.New(a.db), network.Options{Revenue: revenueReports, Engagement: reports, Invite: authSvc,
		Notify: notes, Checklist: onboardingChecklist(cat), Location: reports.Location(), Log: a.log, RoomPath: roomPath(cat, "distributor"),
		Compliance: networkCompliance{papers}, PublicURL: o.smtp.BaseURL})
	networks.RegisterHost(hosts)
	replies, err := replyListener(ctx, g, a, o, msgs)
	if err != nil {
		return nil, err
	}
	fileSvc.SetNotifier(fileNotifications{n: notes})
	a.rooms.SetReviewers(roomReviews{n: notes, dir: a.dir})
	pipe.SetEvents(pipelineNotifications{n: notify.NewPipelineNotifier(notes, notify.NewRecipients(a.dir)), log: a.log})
	people, checklists := contacts.New(a.db, a.dir), tasks.New(a.db, a.dir)
	people.Register(hosts)
	checklists.Register(hosts)
	templates := roomtemplate.NewCatalog(a.db, a.reg)
	apiSrv := api.New(api.Deps{DB: a.db, Log: a.log, Auth: authSvc, Dir: a.dir, Rooms: a.rooms, Registry: a.reg, Catalog: cat, Version: version,
		Plugins: plugins, Content: contentSvc, Notify: notes, Pipeline: pipe, Reports: reports, Revenue: revenueReports,
		Templates: templates, Events: hub.Stream, Messages: msgs, Projects: work, Compliance: papers, Network: networks})
	deps := web.Deps{DB: a.db, Log: a.log, Auth: authSvc, Dir: a.dir, Catalog: cat, Registry: a.reg, Rooms: a.rooms, Templates: templates,
		Renderer: renderer, Hosts: hosts, Plugins: plugins, PublisherKeys: publisherKeys(g), Theme: th, Metrics: metrics, API: apiSrv, OpenAPI: apiSrv.OpenAPI(),
		Content: contentSvc, Notify: notes, NotificationKinds: slices.Concat(messages.Kinds, projects.Kinds, compliance.Kinds, network.Kinds, notify.PipelineKinds), Projects: work, Network: networks, Contacts: people, Tasks: checklists, Program: pipe, Events: events, Reports: reports, Revenue: revenueReports,
		StaffRoomTypes: []web.StaffRoomType{
			{Name: "overview", Title: "Pipeline", Icon: "chart"},
			{Name: "leads", Title: "Leads", Icon: "inbox"},
			{Name: "deals", Title: "Deals", Icon: "briefcase"},
			{Name: "resources", Title: "Resources", Icon: "folder", ViewAs: true},
			{Name: "brand", Title: "Brand Guidelines", Icon: "image", ViewAs: true},
			{Name: "files", Title: "Shared Files", Icon: "inbox", ViewAs: true},
			{Name: "distributor", Title: "Networks", Icon: "users"},
		}}
	if o.demo {
		deps.Extra = map[string]http.Handler{"GET /demo/": demo.Static()}
		if err := demo.SeedMessages(ctx, a.db, a.dir, fileSvc); err != nil {
			return nil, fmt.Errorf("seed demo messages: %w", err)
		}
		if err := demo.SeedProjects(ctx, a.db, a.dir, fileSvc, reports.Location()); err != nil {
			return nil, fmt.Errorf("seed demo projects: %w", err)
		}
		if err := demo.SeedCompliance(ctx, a.db, a.dir, fileSvc, reports.Location()); err != nil {
			return nil, fmt.Errorf("seed demo compliance: %w", err)
		}
	}
	srv, err := web.New(deps, web.Options{HTTPS: o.https, TrustProxy: o.trustProxy, MetricsAllow: allow, ActionKey: key, Events: hub.Stream, Admission: o.admission})
	if err != nil {
		return nil, err
	}
	cat.OnChange(func(*catalog.Snapshot) {
		renderer.Purge()
		srv.Purge()
	})
	ok = true
	var handler http.Handler = srv
	if g.traced {
		// A span per request, named after its route once it is routed
		// (core/web and core/api rename it); until then by its method only,
		// so unrouted paths do not make a name each.
		handler = otelhttp.NewHandler(srv, "request", otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method }))
	}
	return &portal{app: a, handler: handler, catalog: cat, auth: authSvc, api: apiSrv, plugins: plugins, web: srv,
		content: contentSvc, blobs: blobs, events: events, notify: notes, pipe: pipe, msgs: msgs, work: work, papers: papers, replies: replies, live: hub, job: job, hosts: hosts}, nil
}

// seedDemoHistory gives a fresh demo a year of engagement history, so its
// dashboard tells a story at once. It runs once: a portal with any event
// keeps what it has. The history is small, to keep startup quick.
func seedDemoHistory(ctx context.Context, a *app, job *engagement.Job) error {
	has, err := demo.HasHistory(ctx, a.db)
	if err != nil || has {
		return err
	}
	res, err := demo.History(ctx, a.db, demo.HistoryOptions{Events: 15_000, Months: 12, Seed: 7})
	if err != nil {
		return fmt.Errorf("demo history: %w", err)
	}
	if err := job.Rebuild(ctx, engagement.RebuildOptions{}); err != nil {
		return fmt.Errorf("demo history: rollups: %w", err)
	}
	a.log.Info("demo engagement history written", "events", res.Events)
	return nil
}

// serve runs the portal until ctx ends. ready, if set, is called with the
// address once the portal listens (tests use port 0).
func serve(ctx context.Context, g *globals, o *serveOptions, ready func(addr string)) error {
	if telemetry.Wanted(os.Getenv) {
		tracing, err := telemetry.Start(ctx, version)
		if err != nil {
			return err
		}
		defer func() {
			sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer scancel()
			if err := tracing.Stop(sctx); err != nil {
				g.logger().Warn("traces were not all sent", "err", err)
			}
		}()
		g.traced = true
	}
	p, err := buildPortal(ctx, g, o)
	if err != nil {
		return err
	}
	defer p.Close()
	if g.traced {
		p.log.Info("tracing with OpenTelemetry", "exporter", cmp.Or(os.Getenv("OTEL_TRACES_EXPORTER"), "otlp"))
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go p.catalog.Watch(ctx, o.poll)
	go prune(ctx, p)
	jobDone, mailDone, liveDone, remindDone := make(chan struct{}), make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(remindDone)
		// Due-tomorrow and overdue reminders, claimed per task in the
		// database like the digests, so each goes out once across nodes.
		p.work.Run(ctx, 5*time.Minute)
	}()
	papersDone := make(chan struct{})
	go func() {
		defer close(papersDone)
		// Compliance reminders 30 and 7 days ahead and when overdue,
		// claimed per item and threshold in the database.
		p.papers.Run(ctx, 15*time.Minute)
	}()
	go func() {
		defer close(liveDone)
		if err := p.live.Run(ctx); err != nil && ctx.Err() == nil {
			p.log.Error("live updates stopped", "err", err)
		}
	}()
	go func() {
		defer close(jobDone)
		p.job.Run(ctx)
	}()
	go func() {
		defer close(mailDone)
		p.notify.Run(ctx, time.Minute) // email, off the request path
	}()
	if p.replies != nil {
		go func() {
			if err := p.replies.ListenAndServe(); err != nil && ctx.Err() == nil {
				p.log.Error("the reply listener stopped", "addr", o.smtpListen, "err", err)
			}
		}()
		p.log.Info("taking replies by email", "addr", o.smtpListen, "domain", o.replyDomain)
	}
	defer func() {
		cancel()
		if p.replies != nil {
			sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
			_ = p.replies.Shutdown(sctx)
			scancel()
		}
		<-jobDone // hand the lease back before the database closes
		<-mailDone
		<-liveDone
		<-remindDone
		<-papersDone
	}()
	return web.Run(ctx, o.addr, p.handler, p.log, func(addr string) {
		p.log.Info("portal is listening", "url", "http://"+addr, "database", store.Describe(p.cfg))
		if o.demo {
			printDemo(g, addr)
		}
		if ready != nil {
			ready(addr)
		}
	})
}

// prune removes expired sessions and invitations, interrupted uploads'
// temporary files, the bytes of uploads a
// crash cut off from their records, and files attached to forms that no
// action claimed within a day, every hour.
func prune(ctx context.Context, p *portal) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := p.auth.Prune(ctx); err != nil && ctx.Err() == nil {
			p.log.Warn("pruning sessions failed", "err", err)
		} else if n > 0 {
			p.log.Info("pruned expired sessions and invitations", "count", n)
		}
		if err := p.blobs.SweepTemp(); err != nil && ctx.Err() == nil {
			p.log.Warn("sweeping interrupted uploads failed", "err", err)
		}
		if n, err := p.content.Files.Sweep(ctx); err != nil && ctx.Err() == nil {
			p.log.Warn("sweeping unrecorded files failed", "err", err)
		} else if n > 0 {
			p.log.Info("removed files a crash left unrecorded", "count", n)
		}
		if n, err := p.content.Files.SweepStaged(ctx); err != nil && ctx.Err() == nil {
			p.log.Warn("sweeping unclaimed uploads failed", "err", err)
		} else if n > 0 {
			p.log.Info("removed uploads no form claimed", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// roomPath finds where the room of a type lives ("/rooms/messages"), for
// links in notifications; the first such room wins.
func roomPath(cat *catalog.Catalog, roomType string) func(context.Context) string {
	return func(context.Context) string {
		for _, rm := range cat.Current().Rooms {
			if rm.Type == roomType {
				return "/rooms/" + rm.Slug
			}
		}
		return "/rooms/" + roomType
	}
}

// replyListener builds the inbound SMTP listener that turns replies to
// message emails into messages, when --smtp-listen asks for one.
func replyListener(ctx context.Context, g *globals, a *app, o *serveOptions, msgs *messages.Service) (*mailin.Server, error) {
	if o.smtpListen == "" {
		return nil, nil
	}
	if o.replyDomain == "" {
		return nil, g.loc.Errorf("cli.serve.reply-domain-needed")
	}
	addrs, err := replyAddresses(ctx, a, o.replyDomain)
	if err != nil {
		return nil, err
	}
	users := mailin.UsersFunc(func(ctx context.Context, id int64) (string, bool, error) {
		u, err := a.dir.User(ctx, id)
		return u.Email, u.Active, err
	})
	return mailin.New(mailin.Config{Addr: o.smtpListen, Domain: o.replyDomain, DB: a.db, Log: a.log}, addrs, users, msgs), nil
}

// replyAddresses signs reply addresses with the portal's key, the same on
// every portal process.
func replyAddresses(ctx context.Context, a *app, domain string) (*mailin.Addresses, error) {
	key, err := secret.Key(ctx, a.db, "mail-reply")
	if err != nil {
		return nil, err
	}
	return mailin.NewAddresses(key, domain), nil
}

func printDemo(g *globals, addr string) {
	fmt.Fprintln(g.stdout)
	g.say(g.stdout, "cli.demo.running", "URL", "http://"+addr)
	fmt.Fprintln(g.stdout)
	g.say(g.stdout, "cli.demo.accounts", "Password", fmt.Sprintf("%q", demo.Password))
	fmt.Fprintln(g.stdout)
	w := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", g.loc.T("cli.demo.col-email"), g.loc.T("cli.demo.col-name"), g.loc.T("cli.demo.col-role"), g.loc.T("cli.demo.col-partner"))
	for _, acc := range demo.Accounts() {
		partner := acc.Partner
		if partner == "" {
			partner = g.loc.T("cli.demo.staff", "Vendor", "Acme Cloud")
		}
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", acc.Email, acc.Name, acc.Role, partner)
	}
	w.Flush()
	fmt.Fprintln(g.stdout)
}
