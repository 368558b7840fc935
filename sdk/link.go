package sdk

import (
	"net/url"
	"strings"
)

// Linkable reports whether s may be a link or a media source in a component
// tree: an https URL (without credentials) or a path on the portal. A path
// starting with "//" or "/\" is refused: browsers take it to another host.
func Linkable(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	if strings.HasPrefix(s, "/") {
		return !strings.HasPrefix(s, "//") && !strings.HasPrefix(s, `/\`)
	}
	return u.Scheme == "https" && u.Host != "" && u.User == nil
}

// LinkableOrMail is Linkable that also accepts a mailto: address.
func LinkableOrMail(s string) bool {
	if u, err := url.Parse(s); err == nil && u.Scheme == "mailto" {
		return strings.Contains(u.Opaque, "@")
	}
	return Linkable(s)
}
