package notify

import (
	"bytes"
	"context"
	"fmt"
	"github.com/atriumhq/atrium/core/i18n"
	sdki18n "github.com/atriumhq/atrium/sdk/i18n"
	"html/template"
	"io"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"strings"
	"time"
)

// SendDigest mails one digest: a plain-text part and an HTML alternative,
// both listing the notifications by room with their links.
func (e *Email) SendDigest(ctx context.Context, to Recipient, d Digest) error {
	if to.Email == "" || strings.ContainsAny(to.Email, "\r\n") {
		return fmt.Errorf("no usable address for user %d", to.UserID)
	}
	msg, err := e.digestMessage(to, d, time.Now())
	if err != nil {
		return err
	}
	return e.send(ctx, to, msg)
}

// DigestSubject is a digest's subject in English: "Your daily digest: 5
// updates".
func DigestSubject(d Digest) string { return digestSubject(i18n.Locale("en"), d) }

// digestSubject is a digest's subject in a reader's words.
func digestSubject(l *sdki18n.Locale, d Digest) string {
	id := "mail.digest-daily"
	if d.Frequency == DigestWeekly {
		id = "mail.digest-weekly"
	}
	return l.N(id, d.Total)
}

// digestLine is one notification as a digest shows it.
type digestLine struct {
	Title, Body, URL string
}

type digestView struct {
	Intro, Footer string
	All           string // the link to every notification
	Rooms         []struct {
		Title string
		Lines []digestLine
	}
	More   string
	AllURL string
}

// digestHTML is the HTML alternative; html/template escapes every value, so
// a notification's text is never markup.
var digestHTML = template.Must(template.New("digest").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Intro}}</title></head>
<body style="font-family:sans-serif;line-height:1.4">
<p>{{.Intro}}</p>
{{- range .Rooms}}
<h2 style="font-size:1.1em">{{.Title}}</h2>
<ul>
{{- range .Lines}}
<li>{{if .URL}}<a href="{{.URL}}">{{.Title}}</a>{{else}}{{.Title}}{{end}}{{with .Body}}<br>{{.}}{{end}}</li>
{{- end}}
</ul>
{{- end}}
{{- with .More}}<p>{{.}}</p>{{end}}
<p><a href="{{.AllURL}}">{{.All}}</a></p>
<p style="color:#666;font-size:0.9em">{{.Footer}}</p>
</body></html>
`))

// digestMessage builds the digest mail as multipart/alternative, each part
// quoted-printable so that no line is too long for SMTP.
func (e *Email) digestMessage(to Recipient, d Digest, now time.Time) ([]byte, error) {
	w := to.words()
	subject := digestSubject(w, d)
	v := digestView{
		Intro:  w.T("mail.digest-intro", "Subject", subject, "Since", w.DateTime(d.Since)+" "+d.Since.Format("MST")),
		AllURL: e.link("/notifications"),
		All:    w.T("mail.all"),
		Footer: w.T("mail.digest-footer", "Link", e.link("/notifications")),
	}
	if d.More > 0 {
		v.More = w.N("mail.more", d.More)
	}
	var text strings.Builder
	text.WriteString(v.Intro + "\n")
	for _, r := range d.Rooms {
		room := struct {
			Title string
			Lines []digestLine
		}{Title: r.Title}
		text.WriteString("\n" + r.Title + "\n" + strings.Repeat("-", max(3, len([]rune(r.Title)))) + "\n")
		for _, it := range r.Items {
			l := digestLine{Title: it.Title, Body: it.Body}
			if it.Link != "" {
				l.URL = e.link(it.Link)
			}
			room.Lines = append(room.Lines, l)
			text.WriteString("* " + oneLine(l.Title) + "\n")
			if l.Body != "" {
				text.WriteString("  " + oneLine(l.Body) + "\n")
			}
			if l.URL != "" {
				text.WriteString("  " + l.URL + "\n")
			}
		}
		v.Rooms = append(v.Rooms, room)
	}
	if v.More != "" {
		text.WriteString("\n" + v.More + "\n")
	}
	text.WriteString("\n" + v.All + ": " + v.AllURL + "\n\n-- \n" + v.Footer + "\n")
	var html bytes.Buffer
	if err := digestHTML.Execute(&html, v); err != nil {
		return nil, fmt.Errorf("digest html: %w", err)
	}

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, part := range []struct {
		typ     string
		content string
	}{{"text/plain; charset=utf-8", text.String()}, {"text/html; charset=utf-8", html.String()}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {part.typ}, "Content-Transfer-Encoding": {"quoted-printable"}})
		if err != nil {
			return nil, err
		}
		if err := writeQP(w, part.content); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	var b strings.Builder
	e.headers(&b, to, subject, now)
	b.WriteString("Content-Type: multipart/alternative; boundary=\"" + mw.Boundary() + "\"\r\n")
	b.WriteString("Auto-Submitted: auto-generated\r\n\r\n")
	b.Write(body.Bytes())
	return []byte(b.String()), nil
}

// writeQP writes s quoted-printable with CRLF line ends.
func writeQP(w io.Writer, s string) error {
	qp := quotedprintable.NewWriter(w)
	if _, err := io.WriteString(qp, s); err != nil {
		return err
	}
	return qp.Close()
}
