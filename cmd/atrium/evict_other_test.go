//go:build !linux

package main

import "testing"

// evict cannot drop a file from the cache here; cold reads measure warm.
func evict(testing.TB, string) {}
