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
		return fail.Msg(fail.NotFound, "invalid.message.no-replies")
	}
	u, err := s.dir.User(ctx, r.UserID)
	if err != nil {
		return err
	}
	if !u.Active {
		return fail.Msg(fail.NotFound, "invalid.message.inactive")
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
				return fail.Msg(fail.Invalid, "invalid.message.attachment", "Name", at.Name, "Why", firstField(fe))
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

// firstField is what a refusal says first, as a catalogue message where it
// has one, so that it is worded with the message it is told in.
func firstField(fe *fail.Error) any {
	for k, msg := range fe.Fields {
		if t, ok := fe.FieldTexts[k]; ok {
			return t
		}
		return msg
	}
	if fe.Text != nil {
		return *fe.Text
	}
	return fe.Message
}
