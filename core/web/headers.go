package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strings"
)

type nonceKey struct{}

// nonce returns the request's CSP nonce.
func nonce(r *http.Request) string {
	n, _ := r.Context().Value(nonceKey{}).(string)
	return n
}

// videoFrameHosts are the privacy-respecting players the video block embeds.
var videoFrameHosts = []string{
	"https://www.youtube-nocookie.com", "https://player.vimeo.com", "https://www.loom.com", "https://fast.wistia.net",
}

// securityHeaders sets the headers every response carries: a strict
// Content-Security-Policy (scripts from our origin only, the one inline style
// by nonce, frames only from the embed allowlist and video players, no
// framing of the portal), no MIME sniffing and a conservative referrer
// policy.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 16)
		rand.Read(b)
		n := base64.RawStdEncoding.EncodeToString(b)
		frames := append([]string{}, videoFrameHosts...)
		for _, h := range s.catalog.Current().Program.EmbedHosts {
			frames = append(frames, "https://"+h)
		}
		h := w.Header()
		h.Set("Content-Security-Policy", strings.Join([]string{
			"default-src 'self'",
			"script-src 'self'",
			"style-src 'self' 'nonce-" + n + "'",
			"img-src 'self' https: data:",
			"media-src 'self' https:",
			"frame-src " + strings.Join(frames, " "),
			"connect-src 'self'",
			"font-src 'self'",
			"object-src 'none'",
			"base-uri 'none'",
			"form-action 'self'",
			"frame-ancestors 'none'",
		}, "; "))
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if s.secure(r) {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), nonceKey{}, n)))
	})
}

// secure reports whether the request reached the portal over HTTPS, directly
// or (when the operator says a proxy terminates TLS) through a proxy.
func (s *Server) secure(r *http.Request) bool {
	if r.TLS != nil || s.opt.HTTPS {
		return true
	}
	return s.opt.TrustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}
