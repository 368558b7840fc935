package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/demo"
	"github.com/atriumhq/atrium/core/engagement"
	"github.com/spf13/cobra"
)

func demoCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "demo", Short: "Demo data for trying the portal and measuring it"}
	cmd.AddCommand(demoEventsCmd(g))
	return cmd
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
			bar := progressBar(g.stderr, "events")
			var res engagement.GenerateResult
			if partners > 0 {
				to := time.Now().UTC().Truncate(24 * time.Hour)
				res, err = engagement.Generate(ctx, a.db, engagement.GenerateOptions{Partners: partners, Users: max(users, partners), Events: events,
					From: to.AddDate(0, -months, 0), To: to, Seed: seed, Progress: bar})
			} else {
				res, err = demo.History(ctx, a.db, demo.HistoryOptions{Events: events, Months: months, Seed: seed, Progress: bar})
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(g.stderr)
			job := engagement.NewJob(a.db, engagement.JobOptions{Logger: a.log})
			if err := job.Rebuild(ctx, engagement.RebuildOptions{Progress: progressBar(g.stderr, "rollups")}); err != nil {
				return fmt.Errorf("rebuild rollups: %w", err)
			}
			fmt.Fprintln(g.stderr)
			fmt.Fprintf(g.stdout, "wrote %d events; %d partners go quiet, %d never act, %d visit ever more briefly\n",
				res.Events, len(res.Quiet), len(res.Passive), len(res.Fading))
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

// progressBar draws a progress bar on w, redrawn in place.
func progressBar(w io.Writer, what string) func(done, total int) {
	last := -1
	return func(done, total int) {
		if total <= 0 {
			return
		}
		pct := done * 100 / total
		if pct == last {
			return
		}
		last = pct
		n := pct * 30 / 100
		fmt.Fprintf(w, "\r%-8s [%s%s] %3d%% %d/%d", what, strings.Repeat("#", n), strings.Repeat("-", 30-n), pct, done, total)
	}
}
