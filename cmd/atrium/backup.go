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
				fmt.Fprintf(g.stdout, "The database is PostgreSQL: this command does not copy it. Back it up with pg_dump:\n  %s\nand restore it into an empty database with:\n  %s\n",
					backup.PgDumpCommand(g.databaseURL, "atrium-"+stamp+".dump"), backup.PgRestoreCommand(g.databaseURL, "atrium-"+stamp+".dump"))
			}
			if blobs.Dir() == "" {
				if err := blobs.Accessible(ctx); err != nil {
					return fmt.Errorf("the object store does not answer: %w", err)
				}
				fmt.Fprintf(g.stdout, "Files are kept in %s, which answers; they are not copied into the archive: back the bucket up with its own versioning or replication.\n", blobs)
			}
			tmp := output + ".partial"
			f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				return fmt.Errorf("backup: %w", err)
			}
			defer os.Remove(tmp) // gone once renamed
			pr := &progressPrinter{w: g.stderr, every: 2 * time.Second}
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
				fmt.Fprintf(g.stdout, "%d files were deleted while the backup ran and are not in it: %s\n", len(res.Skipped), strings.Join(res.Skipped, ", "))
			}
			m := res.Manifest
			fmt.Fprintf(g.stdout, "Backup written to %s: %d entries, database engine %s", output, len(m.Files), m.Engine)
			if m.Schema != "" {
				fmt.Fprintf(g.stdout, ", schema %s", m.Schema)
			}
			fmt.Fprintln(g.stdout, ".")
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
					return fmt.Errorf("restore writes files into a folder; --blob-url %s is not one: restore without it, then copy the data folder's files into the bucket", g.blobURL)
				}
				opt.FilesDir = dir
			}
			pr := &progressPrinter{w: g.stderr, every: 2 * time.Second}
			opt.Progress = pr.print
			m, err := backup.Restore(cmd.Context(), args[0], opt)
			if err != nil {
				return err
			}
			pr.done()
			abs, _ := filepath.Abs(g.data)
			fmt.Fprintf(g.stdout, "Restored %d entries made by Atrium %s on %s into %s.\n", len(m.Files), m.Version, m.CreatedAt.Format(time.RFC3339), abs)
			if m.Engine == "postgres" {
				fmt.Fprintln(g.stdout, "The archive holds no database (it was made on PostgreSQL): restore the database from its pg_dump with pg_restore.")
			}
			return nil
		},
	}
}

// progressPrinter shows how far a long backup or restore has come, at
// most once every so often, so a short run prints nothing.
type progressPrinter struct {
	w       io.Writer
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
	pct := 100.0
	if pr.Total > 0 {
		pct = float64(pr.Done) * 100 / float64(pr.Total)
	}
	fmt.Fprintf(p.w, "%.0f%% done: %d files, %.1f of %.1f MB\n", pct, pr.Files, float64(pr.Done)/1e6, float64(pr.Total)/1e6)
}

func (p *progressPrinter) done() {
	if p.printed {
		fmt.Fprintf(p.w, "Done in %s.\n", time.Since(p.start).Round(time.Second))
	}
}
