package sdk

import (
	"context"
	"encoding/json"
)

// ActionHandler is implemented by block and room types whose component trees
// contain forms or buttons that name an action ([ui.Action]). The portal
// authenticates the viewer, checks that the block is visible to them, verifies
// the signed state and the payload, and only then calls HandleAction.
type ActionHandler interface {
	HandleAction(ctx context.Context, req ActionRequest) (ActionResult, error)
}

// ActionRequest is one submitted form or pressed button.
type ActionRequest struct {
	Viewer  Viewer          `json:"viewer"`
	Room    RoomRef         `json:"room"`
	BlockID string          `json:"blockId"`
	Config  json.RawMessage `json:"config"`
	// Name is the action's name as given in the tree.
	Name string `json:"name"`
	// State is what the tree put in ui.Action.State, returned unchanged: the
	// portal signs it, so a browser cannot alter it.
	State string `json:"state,omitempty"`
	// Values are the submitted form fields, one or more values per name.
	Values map[string][]string `json:"values,omitempty"`
	Host   Host                `json:"-"`
}

// Value returns the first submitted value of a field, or "".
func (r ActionRequest) Value(name string) string {
	if v := r.Values[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// ActionResult is the answer to an action: exactly one of a message, field
// errors, a navigation or a re-render.
type ActionResult struct {
	// Message is shown to the viewer after a successful action.
	Message string `json:"message,omitempty"`
	// FieldErrors maps a form field name to what is wrong with it. The form is
	// shown again with what the viewer typed.
	FieldErrors map[string]string `json:"fieldErrors,omitempty"`
	// Error is a message for a failure that is not about one field.
	Error string `json:"error,omitempty"`
	// Navigate sends the viewer to a URL (a path inside the portal). With
	// FieldErrors, a room type's item pages name the page that holds the
	// form, which is drawn again with the errors beside their fields.
	Navigate string `json:"navigate,omitempty"`
	// Rerender lists block ids to render again; empty re-renders the room.
	Rerender []string `json:"rerender,omitempty"`
}

// OK is a successful result with a message.
func OK(message string) ActionResult { return ActionResult{Message: message} }

// Invalid is a result with errors for individual form fields.
func Invalid(fieldErrors map[string]string) ActionResult {
	return ActionResult{FieldErrors: fieldErrors}
}

// Navigate is a result that sends the viewer to path.
func Navigate(path string) ActionResult { return ActionResult{Navigate: path} }
