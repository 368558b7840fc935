#!/usr/bin/env bash
# Regenerates the Go code for plugin.proto. Needs protoc (Debian: protobuf-compiler)
# and the Go plugins, installed with:
#   go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
#   go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.2
# After a deliberate, compatible change, refresh the snapshot the breaking-change
# test compares against: go test ./sdk/proto -run TestNoBreakingChange -update
set -euo pipefail
cd "$(dirname "$0")"
PATH="$(go env GOPATH)/bin:$PATH"
protoc --go_out=. --go_opt=paths=source_relative \
  --go-grpc_out=. --go-grpc_opt=paths=source_relative \
  plugin.proto
