// Package sdk is the public, versioned contract between the Atrium portal and
// every block type and room type, built-in or third-party.
//
// A block type describes itself ([BlockInfo]) and renders a tree of UI
// components from package [github.com/atriumhq/atrium/sdk/ui] for one viewer.
// It never writes HTML: the portal's theme turns the tree into markup, so a
// block cannot break a page's layout or its security.
//
// A room type ([RoomType]) names a predefined room such as Leads or Resources:
// it says whether it may exist once per partner type, which blocks a new room of
// its type starts with, and it may serve item pages inside the room.
//
// Built-in blocks and rooms implement these interfaces in-process; external
// plugins implement the same interfaces and run in their own process. Code
// written against this package never imports the portal's internals, and gets
// at portal data only through [Host], always as the current viewer.
package sdk
