// Command atrium is the Atrium partner portal: one binary that serves the
// portal and manages its data (migrations, room files, users, tokens).
//
//	atrium serve --demo              start a portal with demo data
//	atrium rooms apply -f rooms/     apply room files
//	atrium rooms export -o rooms/    write the rooms back out
//
// Every flag can also be set with an ATRIUM_* environment variable
// (--database-url is ATRIUM_DATABASE_URL).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	coreI18n "github.com/atriumhq/atrium/core/i18n"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the CLI with the given arguments and streams, for main and for
// tests, in the language of the process's locale.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runIn(ctx, os.Getenv, args, stdin, stdout, stderr)
}

// runIn is run with the locale variables (LC_ALL, LC_MESSAGES, LANG) read
// from getenv, so a test can pick the language without touching the
// process's environment.
func runIn(ctx context.Context, getenv func(string) string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	loc := coreI18n.Locale(coreI18n.Environment(getenv))
	root := newRoot(loc, stdin, stdout, stderr)
	root.SetArgs(args)
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(stderr, loc.T("cli.error", "Error", err))
		return 1
	}
	return 0
}
