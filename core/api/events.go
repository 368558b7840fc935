package api

import (
	"context"
	"net/http"

	"github.com/atriumhq/atrium/core/principal"
	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

func (a *API) registerEvents() {
	if a.Events == nil {
		return
	}
	for _, r := range []route{
		bind(described(op("stream-events", http.MethodGet, "/api/v1/events", "The caller's live events (Server-Sent Events)", SignedIn, "Events"),
			"A text/event-stream of what changes for the caller: each event's data is JSON "+
				`{"type": "message.new", "topic": "messages:42", "payload": {"badges": {"messages": 3}}}`+
				", its id the position to resume from (send it back as Last-Event-ID, or ?lastEventId=, after a reconnect: "+
				"what was missed comes first, nothing twice). A comment line arrives every 25 s; the stream ends after about ten "+
				"minutes, and a client reconnects. Events carry only what the caller may see."), a.streamEvents),
	} {
		r(a.huma)
	}
}

// EventsInput resumes a stream.
type EventsInput struct {
	LastEventID string `header:"Last-Event-ID" doc:"The id of the last event received, to get what was missed."`
	Resume      string `query:"lastEventId" doc:"The same, for clients that cannot send the header."`
}

// streamEvents hands the connection to the live hub as the caller.
func (a *API) streamEvents(ctx context.Context, _ *EventsInput) (*huma.StreamResponse, error) {
	p := principal.From(ctx)
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		r, w := humago.Unwrap(hctx)
		a.Events(w, r.WithContext(principal.With(r.Context(), p)), p.User.ID)
	}}, nil
}
