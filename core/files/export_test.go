package files

import "context"

// StoreOnly stores an upload's bytes and stops there, as a crash right
// after the object store's commit would: no version records them.
func (s *Service) StoreOnly(ctx context.Context, up Upload) (Version, error) { return s.put(ctx, up) }

// UnrecordOnly drops a file's rows and stops there, as a crash before its
// bytes are removed would.
func (s *Service) UnrecordOnly(ctx context.Context, id int64) error {
	_, err := s.unrecord(ctx, id)
	return err
}
