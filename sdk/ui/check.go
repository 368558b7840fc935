package ui

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
)

// Limits on a tree, so that a buggy or hostile block cannot make a page
// enormous. The portal refuses a tree beyond them and shows the block's
// placeholder; [Check] applies them, in the portal and in the plugin checker
// alike.
const (
	MaxNodes = 5_000
	MaxDepth = 32
	// MaxBytes bounds a tree's encoding, as it crosses from a plugin.
	MaxBytes = 512 << 10
)

// Check verifies a tree as the portal does before drawing it: within
// [MaxNodes] and [MaxDepth], without an empty component, and with every
// address (a link's href, an image's url, ...) one the theme will draw: http,
// https, mailto, or a path inside the portal. A "javascript:" or "data:"
// address is refused rather than silently drawn as a dead link.
func Check(tree Component) error {
	nodes, err := 0, error(nil)
	Walk(tree, func(c Component, depth int) bool {
		nodes++
		switch {
		case c == nil:
			err = errors.New("tree holds an empty component")
		case nodes > MaxNodes:
			err = fmt.Errorf("tree has more than %d components", MaxNodes)
		case depth > MaxDepth:
			err = fmt.Errorf("tree is nested deeper than %d", MaxDepth)
		default:
			err = checkAddresses(c.Kind(), reflect.ValueOf(c))
		}
		return err == nil
	})
	return err
}

// CheckEncoded is [Check] for a tree that crossed the process boundary: it
// also bounds the encoding's size.
func CheckEncoded(tree Component, encoded []byte) error {
	if len(encoded) > MaxBytes {
		return fmt.Errorf("tree is %d KiB encoded; the portal takes at most %d", len(encoded)>>10, MaxBytes>>10)
	}
	return Check(tree)
}

// SafeAddress reports whether the theme draws addr as a working link or
// source: empty, a relative path, or an absolute http, https or mailto
// address (the schemes html/template lets through).
func SafeAddress(addr string) bool {
	addr = strings.TrimSpace(addr)
	if addr == "" || plainPath(addr) {
		return true
	}
	u, err := url.Parse(addr)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "", "http", "https", "mailto":
		return true
	}
	return false
}

// plainPath reports whether addr is a path within the portal in the
// plainest form: a "/" not followed by another (which would name a host),
// then only letters, digits and "/._~-". Such a path has no scheme and
// parses whatever it holds, so it needs no parsing to be let through; a
// 500-card board checks one per card, twice.
func plainPath(addr string) bool {
	if len(addr) < 1 || addr[0] != '/' || len(addr) > 1 && addr[1] == '/' {
		return false
	}
	for i := 1; i < len(addr); i++ {
		switch c := addr[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '/', c == '.', c == '_', c == '~', c == '-':
		default:
			return false
		}
	}
	return true
}

var componentType = reflect.TypeFor[Component]()

// checkAddresses looks at every string field of v whose name ends in URL or
// Href, and at those of the values nested in it (a list's items, a table's
// columns), but not into child components: Walk visits those.
func checkAddresses(kind string, v reflect.Value) error {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || f.Type == componentType || f.Type.Implements(componentType) && f.Type.Kind() == reflect.Interface {
				continue
			}
			if f.Type.Kind() == reflect.Slice && f.Type.Elem() == componentType {
				continue // children
			}
			fv := v.Field(i)
			if f.Type.Kind() == reflect.String && (strings.HasSuffix(f.Name, "URL") || strings.HasSuffix(f.Name, "Href")) {
				if addr := fv.String(); !SafeAddress(addr) {
					return fmt.Errorf("%s: %s %q is not an http, https or mailto address nor a path in the portal", kind, jsonName(f), addr)
				}
				continue
			}
			if err := checkAddresses(kind, fv); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem() == componentType {
			return nil
		}
		for i := range v.Len() {
			if err := checkAddresses(kind, v.Index(i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// jsonName is a field's name as a plugin author sees it in the tree's JSON.
func jsonName(f reflect.StructField) string {
	if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
		return name
	}
	return f.Name
}
