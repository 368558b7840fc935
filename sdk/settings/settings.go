// Package settings is the host API call through which a plugin reads its
// portal-wide settings: the values an admin set (on the plugins page, over
// the REST API or with `atrium plugins settings`), already checked against
// the settings schema in the plugin's manifest. A plugin reads only its own
// settings, so the call needs no permission.
//
//	type conf struct{ Cap int `json:"cap"` }
//	c, err := settings.Decode[conf](ctx, req.Host)
package settings

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/atriumhq/atrium/sdk"
)

// Get returns the calling plugin's settings.
var Get = sdk.Method[GetRequest, Values]{Name: "plugin.settings.get"}

// GetRequest asks for the calling plugin's settings; the host knows which
// plugin is calling, so there is nothing to say.
type GetRequest struct{}

// Values are a plugin's settings: a JSON object, "{}" when nothing was set.
// Fields the admin left out are absent: fall back to your own defaults.
type Values struct {
	Values json.RawMessage `json:"values"`
}

// Decode reads the calling plugin's settings into a T.
func Decode[T any](ctx context.Context, h sdk.Host) (T, error) {
	var out T
	v, err := Get.Call(ctx, h, GetRequest{})
	if err != nil {
		return out, err
	}
	if len(v.Values) == 0 {
		return out, nil
	}
	if err := json.Unmarshal(v.Values, &out); err != nil {
		return out, fmt.Errorf("plugin settings: %w", err)
	}
	return out, nil
}
