#!/usr/bin/env bash
# Regenerates the Go code for plugin.proto. Needs protoc (Debian:
# protobuf-compiler); the Go plugins are installed at the pinned versions
# below into a private folder, so the output never depends on what happens to
# be on PATH.
#
#   sdk/proto/generate.sh            rewrite the committed code
#   sdk/proto/generate.sh OUT_DIR    write it to OUT_DIR instead (CI diffs it)
#
# After a deliberate, compatible change, refresh the snapshot the breaking-change
# test compares against: go test ./sdk/proto -run TestNoBreakingChange -update
set -euo pipefail
PROTOC_GEN_GO=google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
PROTOC_GEN_GO_GRPC=google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.2
PROTOC_VERSION=3.21.12 # Debian 12's protobuf-compiler; the generated header names it

cd "$(dirname "$0")"
out=${1:-.}
mkdir -p "$out"
command -v protoc >/dev/null || { echo "protoc is missing: apt-get install protobuf-compiler" >&2; exit 1; }
have=$(protoc --version | awk '{print $2}')
[ "$have" = "$PROTOC_VERSION" ] || echo "warning: protoc $have, the committed code was made with $PROTOC_VERSION" >&2
bin=${ATRIUM_PROTO_BIN:-"$(go env GOCACHE)/atrium-protoc-plugins"}
GOBIN="$bin" go install "$PROTOC_GEN_GO"
GOBIN="$bin" go install "$PROTOC_GEN_GO_GRPC"
PATH="$bin:$PATH" protoc --go_out="$out" --go_opt=paths=source_relative \
  --go-grpc_out="$out" --go-grpc_opt=paths=source_relative \
  plugin.proto
