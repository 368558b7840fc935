package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/atriumhq/atrium/core/store"
	"github.com/spf13/cobra"
)

func migrateCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply or list database migrations",
		Long:  "Migrations are applied automatically when the portal starts; these commands do it by hand.",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "up",
		Short: "Apply every pending migration",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := store.Open(cmd.Context(), g.store())
			if err != nil {
				return err
			}
			defer db.Close()
			applied, err := store.Migrate(cmd.Context(), db)
			if err != nil {
				return err
			}
			if len(applied) == 0 {
				g.say(g.stdout, "cli.migrate.up-to-date")
			}
			for _, m := range applied {
				g.say(g.stdout, "cli.migrate.applied", "Migration", m)
			}
			return nil
		},
	}, &cobra.Command{
		Use:   "status",
		Short: "List migrations and whether each is applied",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := store.Open(cmd.Context(), g.store())
			if err != nil {
				return err
			}
			defer db.Close()
			st, err := store.Status(cmd.Context(), db)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, g.loc.T("cli.migrate.status-head"))
			pending := 0
			for _, m := range st {
				s := g.loc.T("cli.migrate.state-applied")
				if !m.Applied {
					s, pending = g.loc.T("cli.migrate.state-pending"), pending+1
				}
				fmt.Fprintf(w, "%s\t%s\n", m.Name, s)
			}
			w.Flush()
			g.sayN(g.stdout, "cli.migrate.summary", len(st), "Pending", g.num(pending), "Database", store.Describe(g.store()))
			return nil
		},
	})
	return cmd
}
