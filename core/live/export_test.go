package live

import (
	"context"
	"time"
)

// WithGapWait sets how long a missing id holds back the ones after it.
func WithGapWait(d time.Duration) Option { return func(h *Hub) { h.gapWait = d } }

// Streams counts the hub's open streams.
func (h *Hub) Streams() int { return h.streams() }

// Prune deletes events past the retention now.
func (h *Hub) Prune(ctx context.Context) { h.prune(ctx) }

// Channel is the notification channel.
const Channel = channel
