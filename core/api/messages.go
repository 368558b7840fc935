package api

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/messages"
	sm "github.com/atriumhq/atrium/sdk/messages"
	"github.com/danielgtaylor/huma/v2"
)

// The Messages operations: conversations between a partner's people and
// the vendor's staff. They call core/messages as the caller's viewer, so
// they apply the rules of the Messages room and nothing else: a partner's
// user reaches only the threads of their own partner they take part in,
// staff the threads of the partners they reach; any other thread, message
// or attachment answers 404, like one that does not exist. Messages sent
// here are recorded as arriving by the API. Operations only staff may use
// are declared Staff, and the service checks again.
func (a *API) registerMessages() {
	if a.Messages == nil {
		return
	}
	const tag = "Messages"
	for _, r := range []route{
		bind(described(op("list-threads", http.MethodGet, "/api/v1/messages/threads", "Conversations the caller may see", SignedIn, tag), listThreadsDoc), a.listThreads),
		bind(described(created(op("start-thread", http.MethodPost, "/api/v1/messages/threads", "Start a conversation with its first message", SignedIn, tag)), startThreadDoc), a.startThread),
		bind(described(op("get-thread", http.MethodGet, "/api/v1/messages/threads/{id}", "A conversation with its messages; marks it read", SignedIn, tag), getThreadDoc), a.getThread),
		bind(described(created(op("post-message", http.MethodPost, "/api/v1/messages/threads/{id}/messages", "Answer in a conversation", SignedIn, tag)), postMessageDoc), a.postMessage),
		bind(described(op("edit-message", http.MethodPatch, "/api/v1/messages/messages/{id}", "Change the text of one's own message", SignedIn, tag), editMessageDoc), a.editMessage),
		bind(described(op("add-thread-people", http.MethodPost, "/api/v1/messages/threads/{id}/people", "Add people to a conversation", SignedIn, tag), addPeopleDoc), a.addThreadPeople),
		bind(described(op("assign-thread", http.MethodPut, "/api/v1/messages/threads/{id}/assignee", "Give a conversation to a colleague to answer (staff)", Staff, tag), assignDoc), a.assignThread),
		bind(described(op("set-thread-status", http.MethodPut, "/api/v1/messages/threads/{id}/status", "Close or reopen a conversation (staff)", Staff, tag), statusDoc), a.setThreadStatus),
		bind(described(created(op("send-broadcast", http.MethodPost, "/api/v1/messages/broadcasts", "Message an audience of partners, one conversation each (staff)", Staff, tag)), broadcastDoc), a.sendBroadcast),
		bind(described(op("search-messages", http.MethodGet, "/api/v1/messages/search", "Search the messages and attachment names the caller may see", SignedIn, tag), searchDoc), a.searchMessages),
		bind(described(op("count-unread-threads", http.MethodGet, "/api/v1/messages/unread", "How many of the caller's conversations have unread messages", SignedIn, tag), unreadDoc), a.unreadThreads),
		when(a.Content != nil, bind(multipartBody(created(op("upload-message-attachment", http.MethodPost, "/api/v1/messages/uploads", "Upload a file to attach to a message", SignedIn, tag)),
			uploadDoc), a.stageAttachment)),
	} {
		r(a.huma)
	}
}

// What each operation says in the OpenAPI document beyond its summary.
const (
	listThreadsDoc = "Staff get their inbox over the partners they reach: conversations waiting for an answer first, then the newest. " +
		"A partner's user gets the conversations of their company they take part in, newest first. " +
		"The page also carries the caller's unread count and whom they may write to (partners) or filter by (staff)."
	startThreadDoc = "A partner's user writes to their partner manager (`to` left out) or one of their vendor contacts (`to`), " +
		"and may bring colleagues (`people`). Staff write to a partner (`partnerId`), to the users named in `people` or, " +
		"without it, to all its active users. Attach files by their upload tokens (see upload-message-attachment). " +
		"Answers the new conversation with its first message."
	getThreadDoc = "Messages come oldest first; `new` marks those the caller had not seen before this call, which marks the conversation read. " +
		"Attachments carry a `fileId`: download them with GET /api/v1/files/{fileId}/download, which applies the same rule as the conversation."
	postMessageDoc = "Anyone taking part in the conversation, or staff reaching its partner, may answer; answering a closed conversation reopens it. " +
		"Everyone taking part is notified, by their own preferences."
	editMessageDoc = "Only the author may change a message (403 for anyone else who sees it); the message then shows as edited."
	addPeopleDoc   = "Anyone in the conversation may add users of its partner; staff may also add colleagues who reach the partner."
	assignDoc      = "The colleague must reach the conversation's partner; `userId` 0 clears the assignment. The assignee is notified."
	statusDoc      = "A closed conversation reopens by itself when someone answers it."
	broadcastDoc   = "Opens a separate conversation with each partner the audience admits among those the caller may write to, so each partner's answers stay private to it. " +
		"The audience's contact roles choose which of each partner's users take part (all its active users otherwise). " +
		"With `dryRun`, counts the partners and sends nothing."
	searchDoc = "Every word must match, as the start of a word, in a message or the name of one of its attachments. Hits come best first, each with a snippet " +
		"cut into spans where `match` marks the words found, and the attachments whose names matched."
	unreadDoc = "The number behind the Messages badge: conversations the caller takes part in with messages they have not seen."
	uploadDoc = "one file part named \"file\". The file is kept for 24 hours for its uploader alone: put the answered `token` in the " +
		"`attachments` of start-thread or post-message, which attaches it to the message. Files no one claims are deleted."
)

// described adds a description to an operation.
func described(o huma.Operation, doc string) huma.Operation {
	o.Description = doc
	return o
}

// when registers r only if ok: an operation whose service is not there is
// left out of the API and of its document.
func when(ok bool, r route) route {
	if !ok {
		return func(huma.API) {}
	}
	return r
}

// ThreadListInput filters the caller's conversations.
type ThreadListInput struct {
	Status     string `query:"status" enum:"open,closed," doc:"Only open or only closed conversations; both when left out."`
	Partner    int64  `query:"partner" minimum:"0" doc:"Staff: only this partner's conversations."`
	Mine       bool   `query:"mine" doc:"Staff: only conversations assigned to the caller."`
	Unanswered bool   `query:"unanswered" doc:"Only open conversations where the partner spoke last."`
	Unread     bool   `query:"unread" doc:"Only conversations with messages the caller has not seen."`
	Page       int    `query:"page" minimum:"1" default:"1" doc:"Page number, from 1."`
	PerPage    int    `query:"perPage" minimum:"1" maximum:"100" default:"25" doc:"Conversations per page."`
}

// ThreadInput names a conversation.
type ThreadInput struct {
	ID int64 `path:"id" minimum:"1" doc:"The conversation's id."`
}

// StartThreadInput starts a conversation.
type StartThreadInput struct {
	Body StartThreadBody
}

// StartThreadBody is a new conversation and its first message.
type StartThreadBody struct {
	Subject     string   `json:"subject" doc:"What the conversation is about, at most 200 characters."`
	Body        string   `json:"body" doc:"The first message, in Markdown, at most 20000 characters."`
	To          int64    `json:"to,omitempty" doc:"Partners: the staff member to write to, their partner manager or one of their vendor contacts (the list page's recipients). Left out: the partner manager."`
	PartnerID   int64    `json:"partnerId,omitempty" doc:"Staff: the partner to write to."`
	People      []int64  `json:"people,omitempty" doc:"Partners: colleagues to bring in. Staff: the partner's users to write to (all its active users when left out)."`
	Attachments []string `json:"attachments,omitempty" maxItems:"10" doc:"Upload tokens from upload-message-attachment, at most 10."`
}

// PostMessageInput answers in a conversation.
type PostMessageInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The conversation's id."`
	Body PostMessageBody
}

// PostMessageBody is one message.
type PostMessageBody struct {
	Body        string   `json:"body" doc:"The message, in Markdown, at most 20000 characters. Mention someone taking part with @Name."`
	Attachments []string `json:"attachments,omitempty" maxItems:"10" doc:"Upload tokens from upload-message-attachment, at most 10."`
}

// EditMessageInput changes one of the caller's messages.
type EditMessageInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The message's id."`
	Body EditMessageBody
}

// EditMessageBody is a message's new text.
type EditMessageBody struct {
	Body string `json:"body" doc:"The new text, in Markdown, at most 20000 characters."`
}

// AddPeopleInput adds people to a conversation.
type AddPeopleInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The conversation's id."`
	Body struct {
		People []int64 `json:"people" doc:"The users to add."`
	}
}

// AssignInput gives a conversation to a staff member.
type AssignInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The conversation's id."`
	Body struct {
		UserID int64 `json:"userId" minimum:"0" doc:"The staff member who answers it; 0 clears the assignment."`
	}
}

// ThreadStatusInput closes or reopens a conversation.
type ThreadStatusInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The conversation's id."`
	Body struct {
		Status string `json:"status" enum:"open,closed" doc:"open or closed."`
	}
}

// BroadcastInput messages an audience of partners.
type BroadcastInput struct {
	Body sm.Broadcast
}

// SearchInput searches the caller's messages.
type SearchInput struct {
	Q       string `query:"q" required:"true" maxLength:"500" doc:"The words to find; each matches the start of a word."`
	Page    int    `query:"page" minimum:"1" default:"1" doc:"Page number, from 1."`
	PerPage int    `query:"perPage" minimum:"1" maximum:"50" default:"20" doc:"Hits per page."`
}

// StagedAttachment is an uploaded file waiting to be attached.
type StagedAttachment struct {
	Token string `json:"token" doc:"Put it in the attachments of a new message; it is good for 24 hours, for the uploader alone."`
	Name  string `json:"name" doc:"The file's name as stored."`
	Size  int64  `json:"size" doc:"Its size in bytes."`
}

func (a *API) listThreads(ctx context.Context, in *ThreadListInput) (*body[sm.ThreadPage], error) {
	page, err := a.Messages.List(ctx, caller(ctx).Viewer(), sm.ThreadQuery{Status: in.Status, PartnerID: in.Partner, Mine: in.Mine,
		Unanswered: in.Unanswered, Unread: in.Unread, Page: in.Page, PerPage: in.PerPage})
	if err != nil {
		return nil, a.messagesProblem(err, "query")
	}
	return &body[sm.ThreadPage]{page}, nil
}

func (a *API) startThread(ctx context.Context, in *StartThreadInput) (*body[sm.ThreadDetail], error) {
	b := in.Body
	d, err := a.Messages.StartVia(ctx, caller(ctx).Viewer(), sm.Start{Subject: b.Subject, Body: b.Body, To: b.To, PartnerID: b.PartnerID,
		People: b.People, Attachments: b.Attachments}, messages.ViaAPI)
	return sent(d, err, a)
}

func (a *API) getThread(ctx context.Context, in *ThreadInput) (*body[sm.ThreadDetail], error) {
	d, err := a.Messages.Get(ctx, caller(ctx).Viewer(), in.ID)
	return wrapBody(d, err, a)
}

func (a *API) postMessage(ctx context.Context, in *PostMessageInput) (*body[sm.Message], error) {
	m, err := a.Messages.PostVia(ctx, caller(ctx).Viewer(), sm.Post{ThreadID: in.ID, Body: in.Body.Body, Attachments: in.Body.Attachments}, messages.ViaAPI)
	return sent(m, err, a)
}

func (a *API) editMessage(ctx context.Context, in *EditMessageInput) (*body[sm.Message], error) {
	m, err := a.Messages.Edit(ctx, caller(ctx).Viewer(), sm.Edit{MessageID: in.ID, Body: in.Body.Body})
	return wrapBody(m, err, a)
}

func (a *API) addThreadPeople(ctx context.Context, in *AddPeopleInput) (*body[sm.ThreadDetail], error) {
	d, err := a.Messages.AddPeople(ctx, caller(ctx).Viewer(), sm.AddPeople{ThreadID: in.ID, People: in.Body.People})
	return wrapBody(d, err, a)
}

func (a *API) assignThread(ctx context.Context, in *AssignInput) (*body[sm.Thread], error) {
	t, err := a.Messages.Assign(ctx, caller(ctx).Viewer(), sm.Assign{ThreadID: in.ID, UserID: in.Body.UserID})
	return wrapBody(t, err, a)
}

func (a *API) setThreadStatus(ctx context.Context, in *ThreadStatusInput) (*body[sm.Thread], error) {
	t, err := a.Messages.SetStatus(ctx, caller(ctx).Viewer(), sm.SetStatus{ThreadID: in.ID, Status: in.Body.Status})
	return wrapBody(t, err, a)
}

func (a *API) sendBroadcast(ctx context.Context, in *BroadcastInput) (*body[sm.BroadcastResult], error) {
	res, err := a.Messages.Broadcast(ctx, caller(ctx).Viewer(), in.Body)
	if res.Threads == nil {
		res.Threads = []int64{}
	}
	return wrapBody(res, err, a)
}

func (a *API) searchMessages(ctx context.Context, in *SearchInput) (*body[sm.SearchResult], error) {
	res, err := a.Messages.Search(ctx, caller(ctx).Viewer(), sm.SearchQuery{Q: in.Q, Page: in.Page, PerPage: in.PerPage})
	if err != nil {
		return nil, a.messagesProblem(err, "query")
	}
	return &body[sm.SearchResult]{res}, nil
}

func (a *API) unreadThreads(ctx context.Context, _ *struct{}) (*body[sm.Count], error) {
	n, err := a.Messages.Unread(ctx, caller(ctx).Viewer())
	return wrapBody(sm.Count{Count: n}, err, a)
}

// stageAttachment stores one uploaded file for its uploader, with every
// check of the file store, and answers the token a message claims it by.
func (a *API) stageAttachment(ctx context.Context, _ *struct{}) (*body[StagedAttachment], error) {
	fs, p, rw := a.Content.Files, caller(ctx), rawOf(ctx)
	var out StagedAttachment
	_, _, err := files.Parts(rw.w, rw.r, fs.MaxSize(ctx)+1<<20, func(_ map[string]string, name string, body io.Reader) error {
		if out.Token != "" {
			return fail.Fields(map[string]string{"file": "Send one file per request."})
		}
		token, f, err := fs.Stage(ctx, p.User.ID, files.Upload{Name: name, Body: body})
		if err != nil {
			return err
		}
		v, err := fs.Version(ctx, f, f.Latest)
		if err != nil {
			return fmt.Errorf("read the uploaded file: %w", err)
		}
		out = StagedAttachment{Token: token, Name: f.Name, Size: v.Size}
		return nil
	})
	if err != nil {
		return nil, a.problem(err)
	}
	return &body[StagedAttachment]{out}, nil
}

// sent answers what was just written; a refusal for writing too fast says
// when the window has passed (Retry-After).
func sent[T any](v T, err error, a *API) (*body[T], error) {
	if fail.CodeOf(err) == fail.TooMany {
		wait := strconv.Itoa(int(messages.FloodWindow.Seconds()))
		return nil, huma.ErrorWithHeaders(a.problem(err), http.Header{"Retry-After": {wait}})
	}
	return wrapBody(v, err, a)
}

// messagesProblem is problem for operations whose checked fields are in
// the query (status, q) rather than the body.
func (a *API) messagesProblem(err error, in string) error {
	e := fail.As(err)
	if e.Code != fail.Invalid {
		return a.problem(err)
	}
	details := make([]error, 0, len(e.Fields))
	for f, m := range e.Fields {
		details = append(details, &huma.ErrorDetail{Location: in + "." + f, Message: m})
	}
	return huma.Error422UnprocessableEntity(e.Message, details...)
}
