package mailin

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode the charsets mail clients use (ISO-8859-*, windows-125*, ...)
	"github.com/emersion/go-message/mail"
)

// Attachment is a file that came with a reply: an attachment, or an inline
// part with a name (a pasted image).
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// inbound is what the listener reads from a mail.
type inbound struct {
	From      string // the From header's address, lowercased
	Subject   string
	MessageID string
	// Auto is why the mail looks automatic (an out-of-office, a bounce),
	// or "" for a mail a person wrote.
	Auto        string
	Text        string // the body as text, before stripping
	Attachments []Attachment
}

// readMessage parses a mail with go-message: it decodes transfer encodings
// and charsets, walks nested multiparts, prefers text/plain and falls back
// to text/html turned into text.
func readMessage(r io.Reader) (inbound, error) {
	mr, err := mail.CreateReader(r)
	if err != nil && !messageCharsetOnly(err) {
		return inbound{}, fmt.Errorf("read mail header: %w", err)
	}
	defer mr.Close()
	var m inbound
	from, err := mr.Header.AddressList("From")
	if err != nil || len(from) != 1 {
		return inbound{}, errNoFrom
	}
	m.From = strings.ToLower(from[0].Address)
	m.Subject, _ = mr.Header.Subject()
	m.MessageID, _ = mr.Header.MessageID()
	m.Auto = autoReason(mr.Header, m.Subject)

	var plain, html strings.Builder
	var havePlain, haveHTML bool
	parts := 0
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		// A reply has a few parts; thousands of them are an attack on the
		// parser, refused before their text is gathered.
		if parts++; parts > maxParts {
			return inbound{}, errTooManyParts
		}
		if err != nil && !messageCharsetOnly(err) {
			return inbound{}, fmt.Errorf("read mail part: %w", err)
		}
		data, err := io.ReadAll(p.Body)
		if err != nil {
			return inbound{}, fmt.Errorf("read mail part: %w", err)
		}
		ctype, params, _ := mimeType(p.Header.Get("Content-Type"))
		name := partName(p.Header, params)
		_, isAttachment := p.Header.(*mail.AttachmentHeader)
		switch {
		case isAttachment || name != "":
			if name == "" {
				name = "attachment"
			}
			m.Attachments = append(m.Attachments, Attachment{Name: name, ContentType: ctype, Data: data})
		// Apple Mail sends text, a pasted image, and more text as parts of
		// one multipart/mixed: the text parts are joined in order.
		case ctype == "text/plain":
			joinText(&plain, string(data))
			havePlain = true
		case ctype == "text/html":
			joinText(&html, string(data))
			haveHTML = true
		}
	}
	switch {
	case havePlain:
		m.Text = plain.String()
	case haveHTML:
		m.Text = htmlText(html.String())
	}
	return m, nil
}

// maxParts bounds the parts of one mail.
const maxParts = 200

var errTooManyParts = errors.New("the mail has too many parts")

// joinText appends a text part on a line of its own, in linear time
// whatever the number of parts.
func joinText(b *strings.Builder, part string) {
	if b.Len() > 0 {
		// The previous part's trailing line ends were written as they came;
		// one line end separates the parts.
		if !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
	}
	b.WriteString(part)
}

var errNoFrom = errors.New("the mail has no single From address")

// messageCharsetOnly reports an error that only says a charset or transfer
// encoding is unknown: go-message still returns the part, undecoded, which
// is better than refusing the reply.
func messageCharsetOnly(err error) bool { return message.IsUnknownCharset(err) }

func mimeType(v string) (string, map[string]string, error) {
	if v == "" {
		return "text/plain", nil, nil
	}
	t, params, err := mime.ParseMediaType(v)
	return strings.ToLower(t), params, err
}

// partName is the file name of a part, from Content-Disposition's filename
// or, as older clients write it, Content-Type's name.
func partName(h mail.PartHeader, ctParams map[string]string) string {
	if d := h.Get("Content-Disposition"); d != "" {
		if _, params, err := mime.ParseMediaType(d); err == nil && params["filename"] != "" {
			return cleanName(params["filename"])
		}
	}
	return cleanName(ctParams["name"])
}

// cleanName keeps the last path element of a name, so a file named
// "../../x" cannot reach anywhere a careless consumer might write it.
func cleanName(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if s == "." || s == ".." {
		return ""
	}
	return s
}

// autoReason says why a mail is automatic, so the listener drops it rather
// than posting an out-of-office into a thread (whose notification would
// trigger the next out-of-office).
func autoReason(h mail.Header, subject string) string {
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && v != "no" {
		return "Auto-Submitted: " + v
	}
	for _, k := range []string{"X-Autoreply", "X-Autorespond", "X-Autoresponder"} {
		if h.Get(k) != "" {
			return k
		}
	}
	switch p := strings.ToLower(strings.TrimSpace(h.Get("Precedence"))); p {
	case "bulk", "junk", "list", "auto_reply":
		return "Precedence: " + p
	}
	if h.Get("X-MS-Exchange-Inbox-Rules-Loop") != "" {
		return "X-MS-Exchange-Inbox-Rules-Loop"
	}
	s := strings.ToLower(subject)
	for _, prefix := range []string{"out of office", "automatic reply", "auto:", "autoreply", "abwesenheitsnotiz", "réponse automatique", "automatische antwort"} {
		if strings.HasPrefix(s, prefix) {
			return "subject " + prefix
		}
	}
	return ""
}
