package revenue

import (
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The CSV writers export each dashboard table with a header row. Money is
// one row (or one pair of columns) per currency: an exact decimal amount
// ("1234.50") and its ISO code, never a sum across currencies. Dates are
// YYYY-MM-DD (a range's "to" is its last day, inclusive). Text a
// spreadsheet would run as a formula is prefixed with an apostrophe.

// Decimal writes minor units as an exact decimal: 123450 → "1234.50".
func Decimal(minor int64) string {
	neg := minor < 0
	if neg {
		minor = -minor
	}
	s := strconv.FormatInt(minor/100, 10) + "." + strconv.FormatInt(100+minor%100, 10)[1:]
	if neg {
		return "-" + s
	}
	return s
}

// WriteKPIsCSV writes the KPI cards: a row per measure and currency, this
// period and the previous one.
func WriteKPIsCSV(w io.Writer, k KPIs) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"measure", "currency", "value", "previous", "from", "to", "previous_from"}) //nolint:errcheck // Flush reports it
	dates := []string{k.From.Format(time.DateOnly), k.To.AddDate(0, 0, -1).Format(time.DateOnly), k.PreviousFrom.Format(time.DateOnly)}
	money := func(name string, m MoneyMetric) {
		for _, cur := range currencies(m.Value, m.Previous) {
			cw.Write(append([]string{name, cur, Decimal(m.Value.In(cur)), Decimal(m.Previous.In(cur))}, dates...)) //nolint:errcheck // Flush reports it
		}
	}
	count := func(name string, m Metric) {
		cw.Write(append([]string{name, "", itoa(m.Value), itoa(m.Previous)}, dates...)) //nolint:errcheck // Flush reports it
	}
	money("revenue_won", k.RevenueWon)
	count("deals_won", k.DealsWon)
	count("leads_submitted", k.LeadsSubmitted)
	count("leads_won", Metric{k.Conversion.Won, k.Conversion.PreviousWon})
	money("commissions_pending", k.CommissionsPending)
	money("commissions_paid", k.CommissionsPaid)
	cw.Flush()
	return cw.Error()
}

// currencies lists the currencies of a and b, a's order first.
func currencies(a, b Amounts) []string {
	var out []string
	for _, m := range append(append(Amounts{}, a...), b...) {
		if !slices.Contains(out, m.Currency) {
			out = append(out, m.Currency)
		}
	}
	return out
}

// WriteTimelineCSV writes revenue won per bucket, a row per currency.
func WriteTimelineCSV(w io.Writer, t Timeline) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"bucket", "from", "to", "currency", "revenue_won", "deals_won"}) //nolint:errcheck // Flush reports it
	for _, p := range t.Points {
		for i, m := range p.Won {
			if i > 0 && m.Amount == 0 {
				continue
			}
			deals := ""
			if i == 0 {
				deals = itoa(p.Deals) // deals in every currency, once per bucket
			}
			cw.Write([]string{string(t.Bucket), p.Start.Format(time.DateOnly), p.End.AddDate(0, 0, -1).Format(time.DateOnly), //nolint:errcheck // Flush reports it
				m.Currency, Decimal(m.Amount), deals})
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteStagesCSV writes the pipeline by stage, a row per stage and currency.
func WriteStagesCSV(w io.Writer, stages []Stage) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"stage", "label", "deals", "currency", "value"}) //nolint:errcheck // Flush reports it
	for _, s := range stages {
		for i, m := range s.Value {
			if i > 0 && m.Amount == 0 {
				continue
			}
			deals := ""
			if i == 0 {
				deals = itoa(s.Deals)
			}
			cw.Write([]string{s.Key, cell(s.Label), deals, m.Currency, Decimal(m.Amount)}) //nolint:errcheck // Flush reports it
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteFunnelCSV writes the funnel's steps with their share of submitted
// leads (four decimals), then the lost leads.
func WriteFunnelCSV(w io.Writer, f Funnel) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"step", "leads", "share_of_submitted"}) //nolint:errcheck // Flush reports it
	for _, s := range f.Steps {
		share := ""
		if f.Steps[0].Leads > 0 {
			share = strconv.FormatFloat(float64(s.Leads)/float64(f.Steps[0].Leads), 'f', 4, 64)
		}
		cw.Write([]string{strings.ToLower(s.Label), itoa(s.Leads), share}) //nolint:errcheck // Flush reports it
	}
	cw.Write([]string{"lost", itoa(f.Lost), ""}) //nolint:errcheck // Flush reports it
	cw.Flush()
	return cw.Error()
}

// WriteTopPartnersCSV writes the partners by revenue won, a row per partner
// and currency.
func WriteTopPartnersCSV(w io.Writer, rows []PartnerRevenue) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"rank", "partner_id", "partner", "type", "deals_won", "currency", "revenue_won"}) //nolint:errcheck // Flush reports it
	for _, r := range rows {
		for i, m := range r.Won {
			if i > 0 && m.Amount == 0 {
				continue
			}
			cw.Write([]string{itoa(int64(r.Rank)), itoa(r.PartnerID), cell(r.Name), cell(r.Type), itoa(r.Deals), m.Currency, Decimal(m.Amount)}) //nolint:errcheck // Flush reports it
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteCommissionsCSV writes commission earned in the period by status and
// currency.
func WriteCommissionsCSV(w io.Writer, cs []Commission) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"status", "entries", "currency", "amount"}) //nolint:errcheck // Flush reports it
	for _, c := range cs {
		for i, m := range c.Amount {
			if i > 0 && m.Amount == 0 {
				continue
			}
			n := ""
			if i == 0 {
				n = itoa(c.Entries)
			}
			cw.Write([]string{c.Status, n, m.Currency, Decimal(m.Amount)}) //nolint:errcheck // Flush reports it
		}
	}
	cw.Flush()
	return cw.Error()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// cell defuses text a spreadsheet would evaluate.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
