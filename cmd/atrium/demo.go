package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/demo"
	"github.com/atriumhq/atrium/core/engagement"
	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/spf13/cobra"
)

func demoCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "demo", Short: "Demo data for trying the portal and measuring it"}
	cmd.AddCommand(demoEventsCmd(g), demoPipelineCmd(g))
	return cmd
}

func demoPipelineCmd(g *globals) *cobra.Command {
	var partners, leads int
	var manager string
	var seed uint64
	gen := &cobra.Command{
		Use:   "pipeline [--partners N] [--leads N]",
		Short: "Add generated partners and a pipeline (leads, deals, commissions) for load tests",
		Long: "Adds partners and leads spread over them straight into the database, in batches, " +
			"for load tests and benchmarks. Not for real programs: the rows skip the pipeline's rules.",
		Example: "  atrium demo pipeline --partners 10000 --leads 1000000",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if partners < 1 || leads < 0 {
				return g.loc.Errorf("cli.demo.bad-counts")
			}
			a, err := open(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer a.Close()
			var managerID int64
			if manager != "" {
				u, err := a.dir.UserByEmail(cmd.Context(), manager)
				if err != nil {
					return fmt.Errorf("--manager %s: %w", manager, err)
				}
				managerID = u.ID
			}
			bar := newProgressBar(g.stderr, g.loc.T("cli.demo.unit-rows"))
			start := time.Now()
			res, err := pipeline.Generate(cmd.Context(), a.db, pipeline.GenerateOptions{Partners: partners, Leads: leads,
				ManagerID: managerID, Seed: seed, Progress: bar.update})
			bar.finish()
			if err != nil {
				return err
			}
			g.say(g.stdout, "cli.demo.pipeline-added", "Partners", g.num(len(res.PartnerIDs)), "Leads", g.num(res.Leads), "Deals", g.num(res.Deals),
				"Duration", time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	f := gen.Flags()
	f.IntVar(&partners, "partners", 100, "partners to add")
	f.IntVar(&leads, "leads", 10000, "leads to spread over them")
	f.StringVar(&manager, "manager", "", "email of the partner manager who manages the new partners")
	f.Uint64Var(&seed, "seed", 1, "random seed, for repeatable data")
	return gen
}

func demoEventsCmd(g *globals) *cobra.Command {
	var partners, users, events, months int
	var seed uint64
	cmd := &cobra.Command{
		Use:   "events",
		Short: "Write months of realistic engagement history and rebuild the dashboards' rollups",
		Long: `Writes page views and actions: sessions in business hours, quiet weekends, a
summer and a year-end dip, and partners that go quiet, never act or visit ever
more briefly. Without --partners the history is for the portal's own partners
and users (seed the demo first with "atrium serve --demo"); with it, for a
synthetic population that exists only in the events, for measuring.`,
		Example: "  atrium demo events --events 200000 --months 24\n" +
			"  atrium demo events --partners 5000 --users 50000 --events 10000000 --months 24",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, err := open(ctx, g)
			if err != nil {
				return err
			}
			defer a.Close()
			bar := newProgressBar(g.stderr, g.loc.T("cli.demo.unit-events"))
			var res engagement.GenerateResult
			if partners > 0 {
				to := time.Now().UTC().Truncate(24 * time.Hour)
				res, err = engagement.Generate(ctx, a.db, engagement.GenerateOptions{Partners: partners, Users: max(users, partners), Events: events,
					From: to.AddDate(0, -months, 0), To: to, Seed: seed, Progress: bar.update})
			} else {
				res, err = demo.History(ctx, a.db, demo.HistoryOptions{Events: events, Months: months, Seed: seed, Progress: bar.update})
			}
			bar.finish()
			if err != nil {
				return err
			}
			job := engagement.NewJob(a.db, engagement.JobOptions{Logger: a.log})
			rollups := newProgressBar(g.stderr, g.loc.T("cli.demo.unit-rollups"))
			err = job.Rebuild(ctx, engagement.RebuildOptions{Progress: rollups.update})
			rollups.finish()
			if err != nil {
				return fmt.Errorf("rebuild rollups: %w", err)
			}
			g.sayN(g.stdout, "cli.demo.events-written", res.Events, "Quiet", g.num(len(res.Quiet)), "Passive", g.num(len(res.Passive)),
				"Fading", g.num(len(res.Fading)))
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&partners, "partners", 0, "synthetic partners (0: the portal's own partners and users)")
	f.IntVar(&users, "users", 0, "synthetic users, spread over the synthetic partners")
	f.IntVar(&events, "events", 100_000, "events to write")
	f.IntVar(&months, "months", 12, "months of history, ending today")
	f.Uint64Var(&seed, "seed", 1, "seed, for the same history again")
	return cmd
}

// progressBar draws "[#####.....]  42%  420000/1000000 rows" on one line,
// at most ten times a second. A few lines here spare a dependency.
type progressBar struct {
	w    io.Writer
	unit string
	last time.Time
	drew bool
}

func newProgressBar(w io.Writer, unit string) *progressBar { return &progressBar{w: w, unit: unit} }

func (p *progressBar) update(done, total int) {
	if total <= 0 || (time.Since(p.last) < 100*time.Millisecond && done < total) {
		return
	}
	p.last = time.Now()
	const width = 30
	filled := done * width / total
	fmt.Fprintf(p.w, "\r[%s%s] %3d%%  %d/%d %s", strings.Repeat("#", filled), strings.Repeat(".", width-filled), done*100/total, done, total, p.unit)
	p.drew = true
}

func (p *progressBar) finish() {
	if p.drew {
		fmt.Fprintln(p.w)
	}
}
