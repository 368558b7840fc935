package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/backup"
	"github.com/atriumhq/atrium/core/blob"
	"github.com/atriumhq/atrium/sdk/i18n"
	"github.com/spf13/cobra"
)

func backupCmd(g *globals) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "backup",
		Short: "Copy the database, files and plugins into one archive",
		Long: `Backup copies the SQLite database (online: the portal may keep serving), the
files of a folder store and the installed plugins into one .tar.gz archive
with a manifest and SHA-256 checksums. "atrium restore" puts it back.

On PostgreSQL the database is not copied: the command prints the pg_dump
command to use, and archives the files and plugins. Files kept in S3 are
not copied either (use the bucket's versioning or replication); the
command checks that the store answers.`,
		Example: "  atrium backup --data /var/lib/atrium --output /backups/atrium.tar.gz",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			stamp := time.Now().UTC().Format("20060102-150405")
			if output == "" {
				output = "atrium-backup-" + stamp + ".tar.gz"
			}
			blobs, err := blob.Open(ctx, g.blobURL, g.data)
			if err != nil {
				return err
			}
			defer blobs.Close()
			if g.databaseURL != "" {
				g.say(g.stdout, "cli.backup.postgres", "Dump", backup.PgDumpCommand(g.databaseURL, "atrium-"+stamp+".dump"),
					"Restore", backup.PgRestoreCommand(g.databaseURL, "atrium-"+stamp+".dump"))
			}
			if blobs.Dir() == "" {
				if err := blobs.Accessible(ctx); err != nil {
					return fmt.Errorf("%s: %w", g.loc.T("cli.backup.store-silent"), err)
				}
				g.say(g.stdout, "cli.backup.bucket", "Store", fmt.Sprint(blobs))
			}
			tmp := output + ".partial"
			f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				return fmt.Errorf("backup: %w", err)
			}
			defer os.Remove(tmp) // gone once renamed
			pr := &progressPrinter{w: g.stderr, loc: g.loc, every: 2 * time.Second}
			res, err := backup.Create(ctx, f, backup.Options{Store: g.store(), Blobs: blobs, PluginsDir: pluginsDir(g),
				Version: version, Progress: pr.print})
			if err == nil {
				err = f.Sync()
			}
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			if err := os.Rename(tmp, output); err != nil {
				return fmt.Errorf("backup: %w", err)
			}
			pr.done()
			if len(res.Skipped) > 0 {
				g.sayN(g.stdout, "cli.backup.skipped", len(res.Skipped), "Files", strings.Join(res.Skipped, ", "))
			}
			m := res.Manifest
			if m.Schema != "" {
				g.sayN(g.stdout, "cli.backup.written-schema", len(m.Files), "Archive", output, "Engine", m.Engine, "Schema", m.Schema)
			} else {
				g.sayN(g.stdout, "cli.backup.written", len(m.Files), "Archive", output, "Engine", m.Engine)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "archive to write (default: atrium-backup-<UTC time>.tar.gz in the current folder)")
	return cmd
}

func restoreCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "restore ARCHIVE",
		Short: "Restore a backup into an empty data folder",
		Long: `Restore checks every entry of an archive made by "atrium backup" against its
SHA-256 before writing anything, refuses an archive from a newer schema, and
writes the database, files and plugins into the data folder, which must be
empty or not exist. With --blob-url file:///DIR the files go to DIR (also
empty); an S3 store receives nothing.`,
		Example: "  atrium restore --data /var/lib/atrium-new /backups/atrium.tar.gz",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opt := backup.RestoreOptions{DataDir: g.data}
			if g.blobURL != "" {
				dir, ok := strings.CutPrefix(g.blobURL, "file://")
				if !ok {
					return g.loc.Errorf("cli.restore.not-a-folder", "Store", g.blobURL)
				}
				opt.FilesDir = dir
			}
			pr := &progressPrinter{w: g.stderr, loc: g.loc, every: 2 * time.Second}
			opt.Progress = pr.print
			m, err := backup.Restore(cmd.Context(), args[0], opt)
			if err != nil {
				return err
			}
			pr.done()
			abs, _ := filepath.Abs(g.data)
			g.sayN(g.stdout, "cli.restore.restored", len(m.Files), "Version", m.Version, "When", g.loc.DateTime(m.CreatedAt.UTC())+" UTC", "Folder", abs)
			if m.Engine == "postgres" {
				g.say(g.stdout, "cli.restore.no-database")
			}
			return nil
		},
	}
}

// progressPrinter shows how far a long backup or restore has come, at
// most once every so often, so a short run prints nothing.
type progressPrinter struct {
	w       io.Writer
	loc     *i18n.Locale
	every   time.Duration
	start   time.Time
	last    time.Time
	printed bool
}

func (p *progressPrinter) print(pr backup.Progress) {
	now := time.Now()
	if p.start.IsZero() {
		p.start, p.last = now, now
		return
	}
	if now.Sub(p.last) < p.every {
		return
	}
	p.last, p.printed = now, true
	share := 1.0
	if pr.Total > 0 {
		share = float64(pr.Done) / float64(pr.Total)
	}
	fmt.Fprintln(p.w, p.loc.N("cli.backup.progress", pr.Files, "Percent", p.loc.Percent(share),
		"Done", p.loc.Number(float64(pr.Done)/1e6, 1), "Total", p.loc.Number(float64(pr.Total)/1e6, 1)))
}

func (p *progressPrinter) done() {
	if p.printed {
		fmt.Fprintln(p.w, p.loc.T("cli.backup.done", "Duration", time.Since(p.start).Round(time.Second)))
	}
}
