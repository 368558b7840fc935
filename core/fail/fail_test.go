package fail

import (
	"errors"
	"fmt"
	"testing"
)

func TestCodeAndMessage(t *testing.T) {
	wrapped := fmt.Errorf("load lead: %w", NotFoundf("Lead not found."))
	if CodeOf(wrapped) != NotFound || Message(wrapped) != "Lead not found." {
		t.Errorf("wrapped error lost its code or message: %v", wrapped)
	}
	internal := errors.New("pq: connection refused to 10.0.0.3")
	if CodeOf(internal) != Internal || Message(internal) == internal.Error() {
		t.Errorf("internal detail reached the user message: %q", Message(internal))
	}
	if Fields(nil) != nil {
		t.Error("Fields(nil) is not nil")
	}
	err := Fields(map[string]string{"b": "bad", "a": "missing"})
	if CodeOf(err) != Invalid || err.Error() != "Please correct the highlighted fields.; a: missing; b: bad" {
		t.Errorf("got %q", err)
	}
}
