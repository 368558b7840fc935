// Package pluginpack is how a plugin travels from its publisher to a
// portal: one archive holding the manifest, the executables and a list of
// their checksums, signed with the publisher's minisign key, and the
// portal's list of publisher keys it trusts.
//
// A package is a gzipped tar file (acme-nps-1.2.0.tar.gz) with its
// signature beside it in minisign's format (acme-nps-1.2.0.tar.gz.minisig),
// so a publisher's users can check it with minisign itself:
//
//	minisign -Vm acme-nps-1.2.0.tar.gz -p acme.pub
//
// Installing ([Open]) reads the archive within a size limit, checks the
// signature against the trusted keys before unpacking anything, refuses
// entries that would land outside the package (absolute paths, "..",
// links, devices) and files that do not match the package's checksum list,
// and only then hands the unpacked folder to the plugin host's install,
// which runs the plugin checker and starts the executable once.
package pluginpack
