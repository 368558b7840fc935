#!/usr/bin/env bash
# Fails when the committed generated code differs from what plugin.proto
# generates: someone edited the .proto without running generate.sh, or edited
# the generated code by hand.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
./generate.sh "$tmp"
status=0
for f in plugin.pb.go plugin_grpc.pb.go; do
  diff -u "$f" "$tmp/$f" || status=1
done
[ $status -eq 0 ] || echo "sdk/proto: the generated code is stale; run sdk/proto/generate.sh and commit" >&2
exit $status
