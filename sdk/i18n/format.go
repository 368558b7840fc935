package i18n

import (
	"math"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// formats are how a language writes dates and places a currency. Numbers
// themselves (separators, grouping) come from CLDR through x/text.
type formats struct {
	printer *message.Printer
	// date and dateTime are Go layouts in which "Jan" stands for the
	// short month name of months and "January" for the full one.
	date, dateTime, monthYear string
	months, monthsLong        [12]string
	// currencyAfter writes "1.234,50 €" rather than "€1,234.50".
	currencyAfter bool
	and           string
}

var layouts = map[language.Base]formats{
	base("en"): {
		date: "2 Jan 2006", dateTime: "2 Jan 2006, 15:04", monthYear: "January 2006",
		months:     [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
		monthsLong: [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		and:        "and",
	},
	base("de"): {
		date: "2. Jan 2006", dateTime: "2. Jan 2006, 15:04", monthYear: "January 2006",
		months:        [12]string{"Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."},
		monthsLong:    [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
		currencyAfter: true,
		and:           "und",
	},
	base("es"): {
		date: "2 Jan 2006", dateTime: "2 Jan 2006, 15:04", monthYear: "January de 2006",
		months:        [12]string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"},
		monthsLong:    [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
		currencyAfter: true,
		and:           "y",
	},
}

func base(s string) language.Base { return language.MustParseBase(s) }

// formatsFor returns the formats of a language, or English's.
func formatsFor(tag language.Tag) formats {
	b, _ := tag.Base()
	f, ok := layouts[b]
	if !ok {
		f = layouts[base("en")]
	}
	f.printer = message.NewPrinter(tag)
	return f
}

// Int formats a whole number with the language's grouping: 1,234 or
// 1.234.
func (l *Locale) Int(n int64) string {
	return l.printer().Sprint(number.Decimal(n))
}

// Number formats a number with at most the given decimals (trailing zeros
// dropped): 1,234.5 or 1.234,5.
func (l *Locale) Number(v float64, maxDecimals int) string {
	return l.printer().Sprint(number.Decimal(v, number.MaxFractionDigits(maxDecimals)))
}

// Percent formats a share (0.25 is 25%), rounded to a whole percent.
func (l *Locale) Percent(share float64) string {
	return l.printer().Sprint(number.Percent(share, number.MaxFractionDigits(0)))
}

// Money formats an amount in minor units (cents) of an ISO 4217 currency:
// "$1,234.50" in English, "1.234,50 $" in German. Whole amounts show no
// cents; "" is US dollars, as the pipeline counts them.
func (l *Locale) Money(minor int64, currency string) string {
	neg := minor < 0
	if neg {
		minor = -minor
	}
	var s string
	if minor%100 == 0 {
		s = l.printer().Sprint(number.Decimal(minor / 100))
	} else {
		s = l.printer().Sprint(number.Decimal(float64(minor)/100, number.Scale(2)))
	}
	sym := symbol(currency)
	f := l.formats()
	switch {
	case f.currencyAfter:
		s = s + "\u00a0" + sym
	case len(sym) > 1 && !strings.ContainsAny(sym, "$€£¥"):
		s = s + " " + sym // "1,000 CHF"
	default:
		s = sym + s
	}
	if neg {
		s = "−" + s
	}
	return s
}

// MoneyFloat is Money for an amount in major units (12.5 is $12.50), as
// reports keep them.
func (l *Locale) MoneyFloat(v float64, currency string) string {
	return l.Money(int64(math.Round(v*100)), currency)
}

// symbol is the sign people know a currency by, or its code.
func symbol(code string) string {
	switch strings.ToUpper(code) {
	case "USD", "":
		return "$"
	case "EUR":
		return "€"
	case "GBP":
		return "£"
	case "JPY":
		return "¥"
	}
	return strings.ToUpper(code)
}

// Date formats a day: "23 Nov 2026", "23. Nov. 2026", "23 nov 2026". A zero
// time is "—".
func (l *Locale) Date(t time.Time) string { return l.layout(t, l.formats().date) }

// Day formats a calendar date kept as "YYYY-MM-DD" (a due date, a
// milestone) like Date; anything else is returned as it is, so a date a
// record holds in another form still shows.
func (l *Locale) Day(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return l.Date(t)
}

// DateTime formats a moment to the minute, in t's own zone.
func (l *Locale) DateTime(t time.Time) string { return l.layout(t, l.formats().dateTime) }

// Month names t's month short, with its year or without, as a chart's
// scale does: "Nov", "Nov 2026", "Nov. 2026", "nov 2026".
func (l *Locale) Month(t time.Time, withYear bool) string {
	m := l.formats().months[t.Month()-1]
	if withYear {
		return m + " " + strconv.Itoa(t.Year())
	}
	return m
}

// MonthYear formats a month: "November 2026", "noviembre de 2026".
func (l *Locale) MonthYear(t time.Time) string { return l.layout(t, l.formats().monthYear) }

// layout formats t with a layout whose month names are the language's.
func (l *Locale) layout(t time.Time, layout string) string {
	if t.IsZero() {
		return "—"
	}
	f := l.formats()
	m := t.Month() - 1
	// The month names go in after Go has formatted the rest, through
	// placeholders Go's layout does not know.
	layout = strings.ReplaceAll(layout, "January", "\x01")
	layout = strings.ReplaceAll(layout, "Jan", "\x02")
	s := t.Format(layout)
	// Two plain replacements: a strings.Replacer built per call costs a
	// 6 KB table, and a board formats a date per card.
	s = strings.ReplaceAll(s, "\x01", f.monthsLong[m])
	return strings.ReplaceAll(s, "\x02", f.months[m])
}

func (l *Locale) formats() formats {
	if l == nil || l.fmts.printer == nil {
		return formatsFor(language.English)
	}
	return l.fmts
}

func (l *Locale) printer() *message.Printer { return l.formats().printer }
