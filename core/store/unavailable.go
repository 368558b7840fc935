package store

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// Unavailable reports whether err says the database could not be reached
// (refused or dropped connections, a closed pool, a database file that
// cannot be opened), as opposed to a query it refused. Pages and the API
// answer those 503 with Retry-After, and never take them for a signed-out
// visitor or an invalid token.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var netErr *net.OpError
	var connectErr *pgconn.ConnectError
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.ErrUnexpectedEOF),
		errors.As(err, &netErr), errors.As(err, &connectErr):
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08: connection exceptions; 57P01-03: the server is
		// shutting down or cannot take connections now.
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	}
	msg := err.Error()
	return strings.Contains(msg, "sql: database is closed") || strings.Contains(msg, "unable to open database file") ||
		strings.Contains(msg, "conn closed") || strings.Contains(msg, "failed to connect")
}
