package sdk

// Plugin bundles the block and room types one plugin provides. Built-in
// plugins hand it to the portal in-process; external plugins hand it to
// [Serve] (added with the plugin protocol).
type Plugin struct {
	// ID names the plugin, such as "atrium/text" or "acme/nps".
	ID     string
	Blocks []BlockType
	Rooms  []RoomType
}
