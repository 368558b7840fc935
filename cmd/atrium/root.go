package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/sdk/i18n"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// globals are the flags every command shares.
type globals struct {
	data        string
	databaseURL string
	blobURL     string
	logLevel    string
	logFormat   string

	stdin          io.Reader
	stdout, stderr io.Writer

	// loc is the language every line for a person is written in, chosen
	// once from the locale variables; machine-readable output (JSON, YAML,
	// tables' column names aside) does not go through it.
	loc *i18n.Locale

	// traced is set by serve while OpenTelemetry tracing is on: the
	// database, the HTTP handler and plugin calls are then instrumented.
	traced bool
}

// resolveData makes the data folder absolute, once, before any command
// runs. Every path derived from it must then mean the same folder wherever
// it is used: a plugin is started with its own folder as working directory,
// so a relative executable path would be looked up inside that folder
// (fork/exec atrium-data/plugins/acme/nps/nps: no such file or directory).
func (g *globals) resolveData() error {
	abs, err := filepath.Abs(g.data)
	if err != nil {
		return fmt.Errorf("--data %q: %w", g.data, err)
	}
	g.data = abs
	return nil
}

func (g *globals) store() store.Config {
	return store.Config{DataDir: g.data, DatabaseURL: g.databaseURL}
}

func (g *globals) logger() *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if g.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(g.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(g.stderr, opts))
}

// say writes a message of the catalogue, in the CLI's language, as one line.
func (g *globals) say(w io.Writer, id string, args ...any) {
	fmt.Fprintln(w, g.loc.T(id, args...))
}

// sayN is say for a message that counts n.
func (g *globals) sayN(w io.Writer, id string, n int, args ...any) {
	fmt.Fprintln(w, g.loc.N(id, n, args...))
}

// num formats a count the way the CLI's language writes numbers.
func (g *globals) num(n int) string { return g.loc.Int(int64(n)) }

func newRoot(loc *i18n.Locale, stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	g := &globals{stdin: stdin, stdout: stdout, stderr: stderr, loc: loc}
	root := &cobra.Command{
		Use:   "atrium",
		Short: "Atrium, the self-hostable partner portal",
		Long: `Atrium is a partner portal: rooms of blocks for referral partners, resellers,
distributors and implementation partners.

Every flag can also be set with an ATRIUM_* environment variable: --data is
ATRIUM_DATA, --database-url is ATRIUM_DATABASE_URL, --blob-url is ATRIUM_BLOB_URL,
--addr is ATRIUM_ADDR.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := flagsFromEnv(cmd); err != nil {
				return err
			}
			return g.resolveData()
		},
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	pf := root.PersistentFlags()
	pf.StringVar(&g.data, "data", "./atrium-data", "data folder (the SQLite database, plugins and files)")
	pf.StringVar(&g.databaseURL, "database-url", "", "PostgreSQL URL (postgres://...); empty uses SQLite in the data folder")
	pf.StringVar(&g.blobURL, "blob-url", "", "object store for files: file:///dir or s3://bucket?endpoint=...&region=...&use_path_style=true (credentials from AWS_* variables); empty keeps files in the data folder")
	pf.StringVar(&g.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	pf.StringVar(&g.logFormat, "log-format", "text", "log format: text or json")

	root.AddCommand(
		serveCmd(g),
		migrateCmd(g),
		roomsCmd(g),
		programCmd(g),
		usersCmd(g),
		pluginsCmd(g),
		tokensCmd(g),
		openapiCmd(g),
		benchCmd(g),
		demoCmd(g),
		backupCmd(g),
		restoreCmd(g),
		doctorCmd(g),
		versionCmd(g),
	)
	return root
}

// flagsFromEnv sets every flag the command line did not set from its
// ATRIUM_* variable (--database-url from ATRIUM_DATABASE_URL).
func flagsFromEnv(cmd *cobra.Command) error {
	var err error
	set := func(f *pflag.Flag) {
		if err != nil || f.Changed {
			return
		}
		name := "ATRIUM_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(name); ok {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s=%q: %w", name, v, e)
			}
		}
	}
	cmd.Flags().VisitAll(set)
	cmd.InheritedFlags().VisitAll(set)
	return err
}

func versionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		Run: func(*cobra.Command, []string) {
			fmt.Fprintln(g.stdout, "atrium", version)
		},
	}
}
