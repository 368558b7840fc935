package engagement

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"
)

// The CSV writers export each dashboard table with a header row. Dates are
// YYYY-MM-DD (a range's "to" is its last day, inclusive), durations are
// seconds. Text that a spreadsheet would run as a formula (starting with =,
// +, -, @ or a control character) is prefixed with an apostrophe.

// WriteLeaderboardCSV writes the leaderboard's rows (use PerPage 0 to get
// them all) and a totals row.
func WriteLeaderboardCSV(w io.Writer, l Leaderboard) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"rank", "partner_id", "partner", "type", "users", "sessions", "page_views", "actions", "avg_duration_seconds", "score"}) //nolint:errcheck // Flush reports it
	for _, r := range l.Rows {
		cw.Write([]string{itoa(int64(r.Rank)), itoa(r.PartnerID), cell(r.Name), cell(r.Type), itoa(r.Users), itoa(r.Sessions), //nolint:errcheck // Flush reports it
			itoa(r.PageViews), itoa(r.Actions), seconds(r.AvgDuration), strconv.FormatFloat(r.Score, 'f', 2, 64)})
	}
	t := l.Totals
	cw.Write([]string{"", "", "Total (" + itoa(int64(t.Partners)) + " partners)", "", itoa(t.Users), itoa(t.Sessions), //nolint:errcheck // Flush reports it
		itoa(t.PageViews), itoa(t.Actions), seconds(t.AvgDuration), ""})
	cw.Flush()
	return cw.Error()
}

// WriteTopContentCSV writes a top content tab. name, when set, names each
// row (a resource's title); otherwise the row's Label is used.
func WriteTopContentCSV(w io.Writer, rows []ContentRow, name func(ContentRow) string) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"kind", "id", "name", "views", "page_views", "actions", "users"}) //nolint:errcheck // Flush reports it
	for _, r := range rows {
		n := r.Label
		if name != nil {
			n = name(r)
		}
		cw.Write([]string{string(r.Kind), itoa(r.ID), cell(n), itoa(r.Views), itoa(r.PageViews), itoa(r.Actions), itoa(r.Users)}) //nolint:errcheck // Flush reports it
	}
	cw.Flush()
	return cw.Error()
}

// WriteTimelineCSV writes the timeline, one row per bucket.
func WriteTimelineCSV(w io.Writer, t Timeline) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"bucket", "from", "to", "sessions", "page_views", "actions", "users"}) //nolint:errcheck // Flush reports it
	for _, p := range t.Points {
		cw.Write([]string{string(t.Bucket), p.Start.Format(time.DateOnly), p.End.AddDate(0, 0, -1).Format(time.DateOnly), //nolint:errcheck // Flush reports it
			itoa(p.Sessions), itoa(p.PageViews), itoa(p.Actions), itoa(p.Users)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteAtRiskCSV writes the at-risk partners, reasons joined by "; ".
func WriteAtRiskCSV(w io.Writer, rows []AtRiskPartner) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"partner_id", "partner", "type", "reasons", "details", "last_active", "sessions", "previous_sessions", //nolint:errcheck // Flush reports it
		"avg_duration_seconds", "previous_avg_duration_seconds", "page_views", "actions"})
	for _, r := range rows {
		var codes, msgs []string
		for _, x := range r.Reasons {
			codes = append(codes, string(x.Reason))
			msgs = append(msgs, x.Message)
		}
		last := ""
		if !r.LastActive.IsZero() {
			last = r.LastActive.Format(time.DateOnly)
		}
		cw.Write([]string{itoa(r.PartnerID), cell(r.Name), cell(r.Type), strings.Join(codes, "; "), cell(strings.Join(msgs, " ")), last, //nolint:errcheck // Flush reports it
			itoa(r.Sessions), itoa(r.PreviousSessions), seconds(r.AvgDuration), seconds(r.PreviousAvgDuration), itoa(r.PageViews), itoa(r.Actions)})
	}
	cw.Flush()
	return cw.Error()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) }

// cell defuses text a spreadsheet would evaluate.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
