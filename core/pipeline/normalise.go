package pipeline

import (
	"net/url"
	"strings"
)

// DomainKey normalises a website or domain for duplicate detection:
// "https://WWW.Acme.com/about" and "acme.com" are the same company.
func DomainKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return ""
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	h := strings.TrimSuffix(u.Hostname(), ".")
	h = strings.TrimPrefix(h, "www.")
	if !strings.Contains(h, ".") {
		return ""
	}
	return h
}

// EmailKey normalises an email address for duplicate detection: case and
// plus-addressing ("Ann+crm@Acme.com" is ann@acme.com).
func EmailKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	local, domain, ok := strings.Cut(s, "@")
	if !ok {
		return s
	}
	if i := strings.IndexByte(local, '+'); i >= 0 {
		local = local[:i]
	}
	return local + "@" + strings.TrimPrefix(domain, "www.")
}

// emailDomain is the domain part of an email key, used to match a lead's
// contact against a company domain only when it is not a free mail host.
func emailDomain(key string) string {
	_, d, _ := strings.Cut(key, "@")
	return d
}
