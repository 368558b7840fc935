package main

import (
	"time"

	"github.com/atriumhq/atrium/core/doctor"
	"github.com/spf13/cobra"
)

func doctorCmd(g *globals) *cobra.Command {
	o := defaultServeOptions()
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the configuration and everything the portal depends on",
		Long: `Doctor takes serve's flags and ATRIUM_* variables and checks what the portal
would run with: the data folder and database, the migrations (none pending,
none unknown), the file store (it writes, reads back and deletes a probe),
the mail server (a greeting only), the installed plugins (manifests and
checksums, without running them) and the public URL. It prints each check
as ok, warn or fail with what to do, and exits non-zero when one fails.`,
		Example: "  ATRIUM_DATABASE_URL=postgres://atrium@db/atrium atrium doctor --https --public-url https://partners.example.com",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rs := doctor.Run(cmd.Context(), doctor.Config{Store: g.store(), BlobURL: g.blobURL, PluginsDir: pluginsDir(g),
				HostVersion: version, Locale: g.loc, SMTPAddr: o.smtp.Addr, SMTPFrom: o.smtp.From, PublicURL: o.smtp.BaseURL, HTTPS: o.https, Timeout: timeout})
			doctor.Print(g.stdout, rs)
			if doctor.Failed(rs) {
				// A non-zero status once the checks, failed ones included,
				// are printed.
				return g.loc.Errorf("cli.doctor.failed")
			}
			return nil
		},
	}
	serveFlags(cmd.Flags(), o)
	cmd.Flags().DurationVar(&timeout, "timeout", 5*time.Second, "how long each network check may take")
	return cmd
}
