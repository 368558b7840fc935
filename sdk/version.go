package sdk

// Version is this SDK module's semantic version, the one its release is
// tagged with (sdk/vX.Y.Z in the portal's repository). It changes with the
// SDK's own changes, recorded in sdk/CHANGELOG.md, independently of the
// portal's version: a plugin built against SDK 0.x runs on every portal that
// speaks its [ProtocolVersion] and admits it in the manifest's host range.
const Version = "0.2.0"
