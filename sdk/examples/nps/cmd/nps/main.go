// Command nps is the NPS example plugin's executable.
package main

import (
	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/examples/nps"
)

func main() { sdk.Serve(nps.Plugin()) }
