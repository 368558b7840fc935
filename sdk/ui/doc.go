// Package ui is the component kit that block and room types render to.
//
// A render returns a tree of components: data, not HTML. The portal's theme has
// one template per component kind and turns the tree into accessible,
// responsive markup; rich text is Markdown that the portal renders and
// sanitises. Because a tree is data it crosses the plugin boundary as JSON
// ([Marshal], [Unmarshal]) and the portal can check it before drawing it.
//
// Build trees with composite literals:
//
//	ui.Card{Title: "Pipeline", Body: ui.Children{
//		ui.Metric{Label: "Open deals", Value: "5"},
//		ui.Button{Label: "Register a deal", Href: "/rooms/deals"},
//	}}
package ui
