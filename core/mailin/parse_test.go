package mailin

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestClientSamples reads replies as Gmail, Outlook (desktop and web) and
// Apple Mail on an iPhone send them, and checks what a thread would show.
func TestClientSamples(t *testing.T) {
	cases := []struct {
		file, from, subject, messageID string
		attachments                    []string // name, content type
	}{
		{"gmail", "ana.ruiz@northwind.example", `Re: New message in "Q1 co-marketing plan"`, "CAF3xk9Qm2+ZP0vW-7b1hK@mail.gmail.com", nil},
		{"outlook", "bo.berg@contoso.example", `RE: New message in "Q1 co-marketing plan"`, "AM0PR04MB6C1D2E3F4A5B6C7D8E9F0A1B2C3D4@AM0PR04MB6.eurprd04.prod.outlook.example", []string{"Quote Q1.pdf", "application/pdf"}},
		{"outlook-web", "marta.lind@tailspin.example", `AW: New message in "Q1 co-marketing plan"`, "DB9PR10MB7A1B2C3D4E5F@DB9PR10MB7.EURPRD10.PROD.OUTLOOK.example", nil},
		{"apple", "renee@fabrikam.example", "Re: New message in “Booth photos”", "8F1E2D3C-4B5A-6978-8A9B-C0D1E2F3A4B5@fabrikam.example", []string{"IMG_0042.jpeg", "image/jpeg"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", c.file+".eml"))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join("testdata", c.file+".want.txt"))
			if err != nil {
				t.Fatal(err)
			}
			m, err := readMessage(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			if m.From != c.from || m.Subject != c.subject || m.MessageID != c.messageID || m.Auto != "" {
				t.Errorf("headers: from %q subject %q id %q auto %q", m.From, m.Subject, m.MessageID, m.Auto)
			}
			if got := StripReply(m.Text); got != string(want) {
				t.Errorf("text:\n got %q\nwant %q\nfrom %q", got, want, m.Text)
			}
			var got []string
			for _, a := range m.Attachments {
				got = append(got, a.Name, a.ContentType)
				if len(a.Data) < 20 {
					t.Errorf("attachment %s: %d bytes", a.Name, len(a.Data))
				}
			}
			if strings.Join(got, "|") != strings.Join(c.attachments, "|") {
				t.Errorf("attachments %q, want %q", got, c.attachments)
			}
		})
	}
}

func TestAutoReplies(t *testing.T) {
	cases := map[string]struct {
		headers string
		auto    bool
	}{
		"person":                        {"Subject: Re: plan\r\n", false},
		"auto-submitted no":             {"Auto-Submitted: no\r\nSubject: Re: plan\r\n", false},
		"auto-replied":                  {"Auto-Submitted: auto-replied\r\nSubject: Re: plan\r\n", true},
		"auto-generated":                {"Auto-Submitted: auto-generated\r\nSubject: Re: plan\r\n", true},
		"x-autoreply":                   {"X-Autoreply: yes\r\nSubject: Re: plan\r\n", true},
		"precedence bulk":               {"Precedence: bulk\r\nSubject: Re: plan\r\n", true},
		"outlook out of office subject": {"Subject: Automatic reply: New message\r\n", true},
		"german out of office":          {"Subject: Abwesenheitsnotiz: New message\r\n", true},
	}
	for name, c := range cases {
		raw := "From: a@example.com\r\n" + c.headers + "Content-Type: text/plain\r\n\r\nI am away.\r\n"
		m, err := readMessage(strings.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if (m.Auto != "") != c.auto {
			t.Errorf("%s: auto %q, want %v", name, m.Auto, c.auto)
		}
	}
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		"report.pdf":          "report.pdf",
		"../../etc/passwd":    "passwd",
		`C:\Users\bo\a b.txt`: "a b.txt",
		"..":                  "",
		"a\x00b\r\n.txt":      "ab.txt",
	} {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestManyPartsAreRefused: a mail of thousands of text parts is refused at
// once, instead of gathering their text (which once took minutes).
func TestManyPartsAreRefused(t *testing.T) {
	var b strings.Builder
	b.WriteString("From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n")
	for range 20000 {
		b.WriteString("--x\r\nContent-Type: text/plain\r\n\r\n" + strings.Repeat("a", 100) + "\r\n")
	}
	b.WriteString("--x--\r\n")
	start := time.Now()
	_, err := readMessage(strings.NewReader(b.String()))
	if !errors.Is(err, errTooManyParts) {
		t.Errorf("a mail of 20,000 parts: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("refusing it took %v", d)
	}
	// A few text parts are joined in order, each on a line of its own.
	m, err := readMessage(strings.NewReader("From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n" +
		"--x\r\nContent-Type: text/plain\r\n\r\nfirst\r\n--x\r\nContent-Type: text/plain\r\n\r\nsecond\r\n--x--\r\n"))
	if err != nil || !strings.Contains(m.Text, "first") || !strings.Contains(m.Text, "second") || strings.Contains(m.Text, "firstsecond") {
		t.Errorf("two parts: %q, %v", m.Text, err)
	}
}
