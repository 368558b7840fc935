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
				fmt.Fprintln(g.stdout, "Database is up to date.")
			}
			for _, m := range applied {
				fmt.Fprintln(g.stdout, "applied", m)
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
			fmt.Fprintln(w, "MIGRATION\tSTATUS")
			pending := 0
			for _, m := range st {
				s := "applied"
				if !m.Applied {
					s, pending = "pending", pending+1
				}
				fmt.Fprintf(w, "%s\t%s\n", m.Name, s)
			}
			w.Flush()
			fmt.Fprintf(g.stdout, "%d migrations, %d pending (%s)\n", len(st), pending, store.Describe(g.store()))
			return nil
		},
	})
	return cmd
}
