package sdk

import (
	"context"
	"errors"
	"net/url"
	"strings"
)

// Host is the portal as seen by a block or room type while it serves one
// request. Every call acts as the request's viewer: a block can never read
// more than that viewer may. The same calls work in-process and, for external
// plugins, over gRPC.
type Host interface {
	// Program returns the program's vocabulary: partner types, tiers, stages
	// and contact roles, in order.
	Program(ctx context.Context) (Program, error)
	// Call runs the host operation named method as the viewer. req is sent
	// as JSON and the answer decoded into resp (a pointer, or nil to drop
	// it). Prefer the typed [Method] values that packages such as the
	// pipeline's publish over calling this directly: they name the method
	// and its types once.
	Call(ctx context.Context, method string, req, resp any) error
}

// Program is the vocabulary of a partner program.
type Program struct {
	Name         string   `json:"name"`
	PartnerTypes []string `json:"partnerTypes"`
	Tiers        []string `json:"tiers"`  // lowest first
	Stages       []string `json:"stages"` // earliest first
	ContactRoles []string `json:"contactRoles"`
	// EmbedHosts are the hosts whose pages may be embedded in frames
	// ("www.figma.com", "*.typeform.com").
	EmbedHosts []string `json:"embedHosts,omitempty"`
}

// Errors a Host returns; check them with errors.Is.
var (
	// ErrNotFound means the record does not exist or the viewer may not see
	// it; the two are deliberately indistinguishable.
	ErrNotFound = errors.New("not found")
	// ErrPermission means the plugin did not ask for the permission a call
	// needs.
	ErrPermission = errors.New("permission denied")
	// ErrUnknownMethod means the host has no such method: the plugin is
	// newer than the portal.
	ErrUnknownMethod = errors.New("unknown host method")
)

// EmbedAllowed reports whether a page at rawURL may be shown in a frame: it
// must be https and its host must be on the program's EmbedHosts, where
// "*.example.com" admits subdomains of example.com (not example.com itself).
func (p Program) EmbedAllowed(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "https" || u.User != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return false
	}
	for _, allow := range p.EmbedHosts {
		allow = strings.ToLower(allow)
		if suffix, ok := strings.CutPrefix(allow, "*."); ok {
			if strings.HasSuffix(host, "."+suffix) {
				return true
			}
			continue
		}
		if host == allow {
			return true
		}
	}
	return false
}
