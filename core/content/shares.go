package content

import (
	"context"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/sdk"
)

// SharableResource finds a resource of the library that the viewer (a
// distributor's user) may see and that has a file, for handing on to its
// sub-partners (core/compliance): its file and title, or NotFound, exactly
// like one that does not exist.
func (s *Service) SharableResource(ctx context.Context, v sdk.Viewer, id int64) (int64, string, error) {
	if s.Library == nil {
		return 0, "", fail.Msg(fail.NotFound, "invalid.resource.none")
	}
	_, r, err := s.Library.Get(ctx, s.LibraryViewer(principalOf(v)), id)
	if err != nil {
		return 0, "", err
	}
	if r.FileID == nil {
		return 0, "", fail.Field("resourceId", "invalid.resource.link")
	}
	return *r.FileID, r.Title, nil
}
