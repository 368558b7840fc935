// Package themes holds the portal's default theme: the HTML templates of its
// pages and of every UI component kind, its CSS, a little JavaScript and its
// icons. The theme package (core/theme) loads it; an operator can override
// any file by putting a file with the same relative path in a theme folder.
//
//	default/
//	  layouts/base.html        the page shell every page is drawn in
//	  layouts/_schemaform.html a block's config form, for the room builder
//	  pages/<name>.html        one per page: room, login, error, ...
//	  components/<kind>.html   one per UI component kind: card, table, ...
//	  assets/                  CSS, JavaScript, icons/<name>.svg and the
//	                           pictures of the room templates (templates/)
package themes

import "embed"

// Default is the default theme, rooted at "default".
//
//go:embed all:default
var Default embed.FS
