package messages

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/mailin"
	sm "github.com/atriumhq/atrium/sdk/messages"
)

// ReplyScope is the scope of thread reply addresses (see [ThreadScope]).
const ReplyScope = "t"

// HandleReply turns a reply by email into a message of its thread, by the
// person the reply address was made for, with the same checks as the
// portal: they must still see and be able to write to the thread (a
// partner's user who left it, or whose partner changed, is refused), the
// flood limit holds, and attachments pass the file store's checks.
func (s *Service) HandleReply(ctx context.Context, r mailin.Reply) error {
	if r.Token.Scope != ReplyScope {
		return fail.NotFoundf("This address does not take replies.")
	}
	u, err := s.dir.User(ctx, r.UserID)
	if err != nil {
		return err
	}
	if !u.Active {
		return fail.NotFoundf("This account is no longer active.")
	}
	v := u.Viewer(nil)
	if u.PartnerID != nil {
		p, err := s.dir.Partner(ctx, *u.PartnerID)
		if err != nil {
			return err
		}
		v = u.Viewer(&p)
	}
	// Refuse what the portal would refuse before storing any attachment.
	a, err := s.access(ctx, v)
	if err != nil {
		return err
	}
	if _, err := s.thread(ctx, a, r.Token.ID, true); err != nil {
		return err
	}
	var tokens []string
	if len(r.Attachments) > MaxAttachments {
		return tooManyFiles()
	}
	for _, at := range r.Attachments {
		if s.opts.Files == nil {
			break
		}
		tok, _, err := s.opts.Files.Stage(ctx, u.ID, files.Upload{Name: at.Name, Body: bytes.NewReader(at.Data)})
		if err != nil {
			if fe := fail.As(err); fe != nil && fe.Code == fail.Invalid {
				return fail.New(fail.Invalid, "The attachment %q was refused: %s", at.Name, firstField(fe))
			}
			return fmt.Errorf("stage attachment %q: %w", at.Name, err)
		}
		tokens = append(tokens, tok)
	}
	body := strings.TrimSpace(r.Text)
	if body == "" && len(tokens) > 0 {
		body = "(attachments)"
	}
	_, err = s.post(ctx, v, sm.Post{ThreadID: r.Token.ID, Body: body, Attachments: tokens}, ViaEmail)
	return err
}

func firstField(fe *fail.Error) string {
	for _, msg := range fe.Fields {
		return msg
	}
	return fe.Message
}
