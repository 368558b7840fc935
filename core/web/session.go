package web

import (
	"encoding/json"
	"github.com/atriumhq/atrium/core/fail"
	"net/http"

	principalpkg "github.com/atriumhq/atrium/core/principal"
	"net/url"
	"strings"
	"time"
)

// Cookie names. Over HTTPS the session cookie takes the __Host- prefix, which
// browsers only accept with Secure, Path=/ and no Domain: a subdomain cannot
// plant or overwrite it.
const (
	sessionCookie       = "atrium_session"
	secureSessionCookie = "__Host-atrium_session"
	flashCookie         = "atrium_flash"
)

func (s *Server) sessionCookieName(r *http.Request) string {
	if s.secure(r) {
		return secureSessionCookie
	}
	return sessionCookie
}

// setSession hands the browser a new session token. HttpOnly keeps it from
// scripts; SameSite=Lax keeps it off cross-site subrequests and posts while
// links from email still work.
func (s *Server) setSession(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: s.sessionCookieName(r), Value: token, Path: "/",
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: s.sessionCookieName(r), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode,
	})
}

// loadPrincipal resolves the session cookie into the signed-in person. An
// invalid or expired session is treated as signed out (and its cookie
// removed); pages that need a session then send the visitor to sign in. A
// session that cannot be checked (the database does not answer) is a 503.
func (s *Server) loadPrincipal(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(s.sessionCookieName(r))
		if err != nil || c.Value == "" || strings.HasPrefix(r.URL.Path, "/assets/") {
			next.ServeHTTP(w, r)
			return
		}
		_, user, partner, err := s.Auth.Session(r.Context(), c.Value)
		switch {
		case err == nil:
		case fail.CodeOf(err) == fail.Unauthorized:
			s.clearSession(w, r)
			next.ServeHTTP(w, r)
			return
		default:
			// The session could not be checked: say so, and keep the
			// cookie, instead of signing the visitor out.
			s.unavailable(w, r, err)
			return
		}
		p := &Principal{User: user, Partner: partner, Token: c.Value}
		next.ServeHTTP(w, r.WithContext(principalpkg.With(r.Context(), p)))
	})
}

// flash is a one-time message shown on the next page, carried in a short-
// lived cookie across a redirect. It is plain text and escaped when shown.
type flash struct {
	Tone string
	Text string
	// Key names a message the theme words (layouts/_messages.html), with
	// Args; Text is then empty.
	Key  string
	Args []string
}

// setNotice sets a flash message the theme words: key names it in
// layouts/_messages.html, args fill it in (a title, a number).
func (s *Server) setNotice(w http.ResponseWriter, r *http.Request, tone, key string, args ...string) {
	s.setFlash(w, r, tone, "@"+strings.Join(append([]string{key}, args...), "\x1f"))
}

func (s *Server) setFlash(w http.ResponseWriter, r *http.Request, tone, text string) {
	if len(text) > 500 {
		text = text[:500]
	}
	http.SetCookie(w, &http.Cookie{
		Name: flashCookie, Value: url.QueryEscape(tone + "|" + text), Path: "/",
		MaxAge: 60, HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode,
		Expires: time.Now().Add(time.Minute),
	})
}

// takeFlash reads and clears the flash message, if any.
func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secure(r)})
	v, err := url.QueryUnescape(c.Value)
	if err != nil {
		return nil
	}
	tone, text, ok := strings.Cut(v, "|")
	if !ok || text == "" {
		return nil
	}
	switch tone {
	case "success", "info", "warning", "danger":
	default:
		tone = "info"
	}
	if keyed, ok := strings.CutPrefix(text, "@"); ok {
		parts := strings.Split(keyed, "\x1f")
		return &flash{Tone: tone, Key: parts[0], Args: parts[1:]}
	}
	return &flash{Tone: tone, Text: text}
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// localPath returns next if it is a path on this portal ("/rooms/x"), and
// "/" otherwise, so a sign-in link cannot redirect off-site.
func localPath(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return next
}

// unavailable answers 503 with Retry-After when the database does not
// answer: problem details for the API, a page for people.
func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	s.Log.Warn("database unavailable", "path", r.URL.Path, "err", err)
	w.Header().Set("Retry-After", "5")
	msg := tr(r, "error.no-database")
	if strings.HasPrefix(r.URL.Path, "/api/") {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusServiceUnavailable)
		json.NewEncoder(w).Encode(map[string]any{"title": "Service Unavailable", "status": http.StatusServiceUnavailable, "detail": msg}) //nolint:errcheck // the client went away
		return
	}
	s.errorPage(w, r, http.StatusServiceUnavailable, tr(r, "error.unavailable-title"), msg)
}
