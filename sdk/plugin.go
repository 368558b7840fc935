package sdk

// Plugin bundles the block and room types one plugin provides. Built-in
// plugins hand it to the portal in-process; external plugins hand it to
// [Serve] (added with the plugin protocol).
type Plugin struct {
	// ID names the plugin, such as "atrium/text" or "acme/nps".
	ID     string
	Blocks []BlockType
	Rooms  []RoomType
	// Templates are rooms the plugin offers the room builder to start
	// from (since protocol version 1 with templates; older portals ignore
	// them).
	Templates []RoomTemplate
}
