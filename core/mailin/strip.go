package mailin

import (
	"regexp"
	"strings"
)

// No Go port of GitHub's email_reply_parser is maintained today, and the
// original knows only English "On ... wrote:" and ">" quotes; so this is a
// small stripper that knows the marks the common clients (Gmail, Outlook,
// Apple Mail, Thunderbird, phones) leave in several languages. It errs on the
// side of keeping text: a line is only cut at a mark it recognises.

// attribution matches the line a client puts above quoted history ("On Mon,
// 7 Dec 2026 at 10:00, Ana <ana@example.com> wrote:"), in the languages the
// common clients use. Gmail wraps a long one over two lines; StripReply tries
// each line joined with the next.
var attribution = regexp.MustCompile(`(?i)^(` +
	`on\s.{1,200}\swrote:` + // English: Gmail, Apple Mail, Thunderbird
	`|le\s.{1,200}\sa\s+écrit\s?:` + // French
	`|am\s.{1,200}\sschrieb.{0,200}:` + // German
	`|el\s.{1,200}\sescribió:` + // Spanish
	`|op\s.{1,200}\sschreef.{0,200}:` + // Dutch
	`|il\s.{1,200}\sha\s+scritto:` + // Italian
	`|em\s.{1,200}\sescreveu:` + // Portuguese
	`|.{1,200}\sskrev.{0,200}:` + // Danish, Norwegian, Swedish
	`|w\s+dniu\s.{1,200}\spisze:` + // Polish
	`)$`)

// separator matches the line Outlook and others put above the original
// message when they do not quote it with ">".
var separator = regexp.MustCompile(`(?i)^-{3,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale|oorspronkelijk bericht|mensagem original|opprinnelig melding|ursprungligt meddelande)\s*-{3,}$`)

// headerFrom and headerSent match the first two lines of the header block
// that Outlook writes above the original message ("From: Ana" then "Sent:
// Monday, 7 December 2026 10:00"), in several languages; a line of
// underscores often stands above it.
var (
	headerFrom = regexp.MustCompile(`(?i)^\*?(from|de|von|van|da|fra|från|od)\s?:`)
	headerSent = regexp.MustCompile(`(?i)^\*?(sent|date|envoyé|gesendet|datum|verzonden|inviato|enviado|enviada|data|sendt|skickat|wysłano)\s?:`)
)

// footer matches the one-line signatures phones and mail apps add.
var footer = regexp.MustCompile(`(?i)^(` +
	`sent from my\s.{1,60}` +
	`|sent from (mail|outlook|yahoo mail|proton mail)\b.{0,60}` +
	`|get outlook for\s.{1,40}` +
	`|sent (with|via)\s.{1,60}` +
	`|envoyé de mon\s.{1,60}` +
	`|von meinem\s.{1,60}\sgesendet` +
	`|enviado desde mi\s.{1,60}` +
	`|verzonden (vanaf|met) mijn\s.{1,60}` +
	`|inviato da(l mio)?\s.{1,60}` +
	`|enviado do meu\s.{1,60}` +
	`)$`)

// StripReply returns the new text of a plain-text reply: quoted history
// (">" lines, the "On ... wrote:" attribution, Outlook's original-message
// block), the signature after a "-- " line and phone footers removed, and
// blank lines at either end trimmed. A reply written below the quote
// (bottom-posting) or between quoted lines keeps its text.
func StripReply(text string) string {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\u00a0")
	}

	// History: cut at its first mark. When nothing but blank lines and
	// quotes stands above the mark, the writer bottom-posted: keep what
	// follows and drop only the mark (the quotes go below).
	if at, skip := historyStart(lines); at >= 0 {
		above := lines[:at]
		if hasText(above) {
			lines = above
		} else {
			lines = append(above, lines[at+skip:]...)
		}
	}

	kept := lines[:0:0]
	for _, l := range lines {
		t := strings.TrimLeft(l, " \t")
		if strings.HasPrefix(t, ">") {
			continue
		}
		// The signature delimiter is "-- " (RFC 3676); many clients trim
		// it to "--". Everything below it is the signature.
		if l == "--" || l == "-- " || l == "—" {
			break
		}
		if footer.MatchString(strings.TrimSpace(t)) {
			break
		}
		kept = append(kept, l)
	}
	return strings.Trim(strings.Join(kept, "\n"), "\n \t")
}

// historyStart finds the first line that opens quoted history and how many
// lines the mark spans; -1 when there is none.
func historyStart(lines []string) (at, span int) {
	for i := range lines {
		t := strings.TrimSpace(lines[i])
		if t == "" || strings.HasPrefix(t, ">") {
			continue
		}
		if attribution.MatchString(t) {
			return i, 1
		}
		if i+1 < len(lines) && len(t) < 200 {
			next := strings.TrimSpace(lines[i+1])
			if next != "" && attribution.MatchString(t+" "+next) && startsAttribution(t) {
				return i, 2
			}
		}
		if separator.MatchString(t) {
			return i, 1
		}
		if headerFrom.MatchString(t) && sentFollows(lines, i+1) {
			return i, 1
		}
		if strings.Trim(t, "_") == "" && len(t) >= 10 {
			if j := nextText(lines, i+1); j >= 0 && headerFrom.MatchString(strings.TrimSpace(lines[j])) {
				return i, 1
			}
		}
	}
	return -1, 0
}

// startsAttribution keeps the two-line join from gluing a paragraph that
// merely ends in "wrote:" to the line above it.
func startsAttribution(t string) bool {
	first, _, _ := strings.Cut(strings.ToLower(t), " ")
	switch first {
	case "on", "le", "am", "el", "op", "il", "em", "den", "w":
		return true
	}
	return false
}

// sentFollows reports whether a date line of an Outlook header block comes
// within the three lines after from.
func sentFollows(lines []string, from int) bool {
	for j := from; j < len(lines) && j < from+3; j++ {
		if headerSent.MatchString(strings.TrimSpace(lines[j])) {
			return true
		}
	}
	return false
}

func nextText(lines []string, from int) int {
	for j := from; j < len(lines); j++ {
		if strings.TrimSpace(lines[j]) != "" {
			return j
		}
	}
	return -1
}

func hasText(lines []string) bool {
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t != "" && !strings.HasPrefix(t, ">") {
			return true
		}
	}
	return false
}
