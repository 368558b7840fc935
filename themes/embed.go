// Package themes holds the portal's default theme: the HTML templates of its
// pages and of every UI component kind, its CSS, a little JavaScript and its
// icons. The theme package (core/theme) loads it; an operator can override
// any file by putting a file with the same relative path in a theme folder.
//
//	default/
//	  layouts/base.html        the page shell every page is drawn in
//	  pages/<name>.html        one per page: room, login, error, ...
//	  components/<kind>.html   one per UI component kind: card, table, ...
//	  assets/                  CSS, JavaScript and icons/<name>.svg
package themes

import "embed"

// Default is the default theme, rooted at "default".
//
//go:embed all:default
var Default embed.FS
