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
// tests.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRoot(stdin, stdout, stderr)
	root.SetArgs(args)
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(stderr, "Error:", err)
		return 1
	}
	return 0
}
