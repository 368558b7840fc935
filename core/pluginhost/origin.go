package pluginhost

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// originFile, in an installed plugin's folder, says where the plugin came
// from and who vouched for it, so that the admin page, the API and
// `atrium plugins list` can show an admin which plugins run on a
// publisher's word and which only on theirs.
const originFile = "origin.json"

// Trust says how far an installed plugin's publisher is vouched for.
type Trust string

// The trust levels, from most to least vouched for.
const (
	// TrustSigned: a package signed by a key on the portal's list of
	// trusted publishers, the signature checked before anything ran.
	TrustSigned Trust = "signed"
	// TrustUntrusted: a package signed by a key the portal does not trust,
	// installed with --allow-unsigned.
	TrustUntrusted Trust = "untrusted"
	// TrustUnsigned: a package with no signature, installed with
	// --allow-unsigned, or a plugin installed from a folder on the
	// portal's machine (an author's own build), or one installed before
	// packages were signed.
	TrustUnsigned Trust = "unsigned"
)

// Origin is where an installed plugin came from.
type Origin struct {
	// Source is the folder, package file or https URL installed from.
	Source string `json:"source,omitempty"`
	Trust  Trust  `json:"trust"`
	// KeyID is the signing key's minisign id (16 hex digits), for signed
	// and untrusted packages.
	KeyID string `json:"keyId,omitempty"`
	// Publisher is the name the admin gave the trusted key.
	Publisher   string    `json:"publisher,omitempty"`
	InstalledAt time.Time `json:"installedAt,omitzero"`
}

// readOrigin reads the origin of the plugin installed in dir; a plugin
// installed without one (before packages were signed, or copied into the
// folder by hand) is unsigned.
func readOrigin(dir string) Origin {
	b, err := os.ReadFile(filepath.Join(dir, originFile))
	var o Origin
	if err != nil || json.Unmarshal(b, &o) != nil {
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			o.Source = "unreadable origin: " + err.Error()
		}
		return Origin{Trust: TrustUnsigned, Source: o.Source}
	}
	switch o.Trust {
	case TrustSigned, TrustUntrusted:
	default:
		o.Trust = TrustUnsigned
	}
	return o
}
