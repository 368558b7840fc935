package pluginhost

import (
	"os"
	"path/filepath"

	"github.com/atriumhq/atrium/sdk/manifest"
)

// The manifest lives in the SDK (sdk/manifest), so that the plugin checker a
// plugin author runs judges plugin.yaml exactly as the portal does. These
// names keep the host's own vocabulary.

// ManifestFile is the name of a plugin's manifest inside its folder.
const ManifestFile = manifest.File

type (
	// Manifest is a plugin's plugin.yaml.
	Manifest = manifest.Manifest
	// Executable is a plugin program for one platform.
	Executable = manifest.Executable
	// Provides lists the types a plugin serves.
	Provides = manifest.Provides
	// Version is a semantic version's numbers.
	Version = manifest.Version
	// Range is a conjunction of version constraints.
	Range = manifest.Range
)

// ReadManifest reads and validates the manifest in a plugin folder.
func ReadManifest(dir string) (Manifest, error) { return manifest.Read(dir) }

// ReadManifestSource reads the manifest in a plugin's source folder, where
// no checksum is pinned yet.
func ReadManifestSource(dir string) (Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return Manifest{}, err
	}
	return manifest.Decode(b)
}

// ParseManifest decodes and validates a manifest.
func ParseManifest(b []byte) (Manifest, error) { return manifest.Parse(b) }

// ParseVersion reads a semantic version.
func ParseVersion(s string) (Version, error) { return manifest.ParseVersion(s) }

// ParseRange reads version constraints.
func ParseRange(s string) (Range, error) { return manifest.ParseRange(s) }
