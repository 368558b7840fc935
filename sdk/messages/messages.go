// Package messages is the host API of the Messages room: conversations
// between a partner's people and the vendor's staff. Every call runs as the
// viewer. A partner's user sees only the threads of its own partner that they
// take part in; staff see the threads of the partners they reach. A thread or
// message the viewer may not see answers [sdk.ErrNotFound], exactly like one
// that does not exist.
//
// Attachments travel outside these calls: a form's file field is stored by
// the portal (with the file store's checks) and arrives in the action's
// values as an upload token, which [Post] and [Start] take; every attachment
// has a plain download URL that the portal checks on each request.
package messages

import (
	"time"

	"github.com/atriumhq/atrium/sdk"
)

// Permissions a plugin's manifest asks for.
const (
	PermRead  = "messages:read"
	PermWrite = "messages:write"
)

// Thread statuses.
const (
	Open   = "open"
	Closed = "closed"
)

// Person is someone in a conversation.
type Person struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Staff bool   `json:"staff,omitempty"`
	// Role says why they are there, for staff: "Partner manager", "Support".
	Role string `json:"role,omitempty"`
}

// Thread is one conversation, as a list shows it.
type Thread struct {
	ID           int64     `json:"id"`
	PartnerID    int64     `json:"partnerId"`
	PartnerName  string    `json:"partnerName"`
	Subject      string    `json:"subject"`
	Status       string    `json:"status"`
	Assignee     *Person   `json:"assignee,omitempty"`
	Participants []Person  `json:"participants"`
	CreatedAt    time.Time `json:"createdAt"`
	LastAt       time.Time `json:"lastMessageAt"`
	LastAuthor   string    `json:"lastAuthor,omitempty"`
	// Preview is the start of the last message, as plain text.
	Preview  string `json:"preview,omitempty"`
	Messages int    `json:"messages"`
	// Unread counts the messages the viewer has not seen.
	Unread int `json:"unread"`
	// Unanswered is true when the partner spoke last in an open thread.
	Unanswered bool `json:"unanswered,omitempty"`
	// Participant is true when the viewer takes part (and is notified).
	Participant bool `json:"participant,omitempty"`
}

// Attachment is a file sent with a message.
type Attachment struct {
	FileID      int64  `json:"fileId"`
	Name        string `json:"name"`
	Size        int64  `json:"size"`
	ContentType string `json:"contentType,omitempty"`
	URL         string `json:"url"`
}

// Message is one message of a thread. Body is Markdown; render it with
// ui.Markdown, which the portal sanitises.
type Message struct {
	ID          int64        `json:"id"`
	ThreadID    int64        `json:"threadId"`
	Author      Person       `json:"author"`
	Body        string       `json:"body"`
	At          time.Time    `json:"at"`
	EditedAt    *time.Time   `json:"editedAt,omitempty"`
	Via         string       `json:"via,omitempty"` // "portal", "email" or "api"
	Attachments []Attachment `json:"attachments,omitempty"`
	// Mine is true when the viewer wrote it (and may edit it).
	Mine bool `json:"mine,omitempty"`
	// New is true when the viewer had not seen it before this load.
	New bool `json:"new,omitempty"`
}

// ThreadQuery selects threads. Filters combine.
type ThreadQuery struct {
	// Status is Open, Closed or "" for both.
	Status     string `json:"status,omitempty"`
	PartnerID  int64  `json:"partnerId,omitempty"`
	Mine       bool   `json:"mine,omitempty"` // assigned to the viewer (staff)
	Unanswered bool   `json:"unanswered,omitempty"`
	Unread     bool   `json:"unread,omitempty"`
	Page       int    `json:"page,omitempty"`
	PerPage    int    `json:"perPage,omitempty"` // default 25, at most 100
}

// ThreadPage is one page of threads: for staff the inbox, unanswered first;
// for partners their threads, newest first.
type ThreadPage struct {
	Threads []Thread `json:"threads"`
	Total   int      `json:"total"`
	Page    int      `json:"page"`
	PerPage int      `json:"perPage"`
	// Unread counts the viewer's threads with unread messages (the badge).
	Unread int `json:"unread"`
	// Partners are those the viewer may filter by or write to (staff).
	Partners []PartnerRef `json:"partners,omitempty"`
	// Recipients are whom a partner may start a thread with: their
	// partner manager first, then the vendor contacts.
	Recipients []Person `json:"recipients,omitempty"`
	// Colleagues are the viewer's partner's other users (partners).
	Colleagues []Person `json:"colleagues,omitempty"`
}

// PartnerRef names a partner.
type PartnerRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// ThreadDetail is a thread with its messages, oldest first. Loading it marks
// the thread read for the viewer.
type ThreadDetail struct {
	Thread   Thread    `json:"thread"`
	Messages []Message `json:"messages"`
	// CanAdd lists people who may be added: the partner's users not yet in
	// the thread and, for staff, colleagues on the staff.
	CanAdd []Person `json:"canAdd,omitempty"`
	// Assignable lists staff the thread may be assigned to (staff only).
	Assignable []Person `json:"assignable,omitempty"`
	// Staff is true when the viewer is staff: they may assign and close.
	Staff bool `json:"staff,omitempty"`
}

// Start opens a thread. A partner's user writes to their partner manager
// (To 0) or a vendor contact; staff write to a partner (PartnerID), whose
// users they choose in People (none: all its active users).
type Start struct {
	Subject     string   `json:"subject"`
	Body        string   `json:"body"`
	To          int64    `json:"to,omitempty"`
	PartnerID   int64    `json:"partnerId,omitempty"`
	People      []int64  `json:"people,omitempty"`
	Attachments []string `json:"attachments,omitempty"` // upload tokens
}

// Post adds a message to a thread. Posting to a closed thread reopens it.
type Post struct {
	ThreadID    int64    `json:"threadId"`
	Body        string   `json:"body"`
	Attachments []string `json:"attachments,omitempty"`
}

// Edit changes the text of one's own message; the message shows as edited.
type Edit struct {
	MessageID int64  `json:"messageId"`
	Body      string `json:"body"`
}

// AddPeople adds participants to a thread.
type AddPeople struct {
	ThreadID int64   `json:"threadId"`
	People   []int64 `json:"people"`
}

// Assign gives a thread to a staff member (UserID 0 clears it). Staff only.
type Assign struct {
	ThreadID int64 `json:"threadId"`
	UserID   int64 `json:"userId"`
}

// SetStatus closes or reopens a thread. Staff only.
type SetStatus struct {
	ThreadID int64  `json:"threadId"`
	Status   string `json:"status"`
}

// Broadcast messages an audience of partners as separate threads, one per
// partner, so that answers stay private to each. Staff only; a manager's
// broadcast reaches only the partners they manage.
type Broadcast struct {
	Audience sdk.Audience `json:"audience"`
	Subject  string       `json:"subject"`
	Body     string       `json:"body"`
	// DryRun counts the partners without sending.
	DryRun bool `json:"dryRun,omitempty"`
}

// BroadcastResult says how many threads a broadcast opened.
type BroadcastResult struct {
	Partners int     `json:"partners"`
	Threads  []int64 `json:"threads,omitempty"`
}

// SearchQuery searches the messages and attachment names the viewer may
// see. Words match as prefixes; all must match.
type SearchQuery struct {
	Q       string `json:"q"`
	Page    int    `json:"page,omitempty"`
	PerPage int    `json:"perPage,omitempty"` // default 20, at most 50
}

// Hit is one message found, best first.
type Hit struct {
	ThreadID    int64     `json:"threadId"`
	MessageID   int64     `json:"messageId"`
	Subject     string    `json:"subject"`
	PartnerName string    `json:"partnerName"`
	Author      string    `json:"author"`
	At          time.Time `json:"at"`
	// Snippet is the matching passage, in parts; Match marks the parts
	// that matched the words.
	Snippet []Span `json:"snippet"`
	// Attachments are the message's attachments whose names matched.
	Attachments []Attachment `json:"attachments,omitempty"`
}

// Span is part of a snippet.
type Span struct {
	Text  string `json:"text"`
	Match bool   `json:"match,omitempty"`
}

// SearchResult is one page of hits.
type SearchResult struct {
	Hits    []Hit `json:"hits"`
	Page    int   `json:"page"`
	PerPage int   `json:"perPage"`
	// More is true when another page has hits.
	More bool `json:"more,omitempty"`
}

// ByID names a thread.
type ByID struct {
	ID int64 `json:"id"`
}

// Count is a number, such as the unread badge.
type Count struct {
	Count int `json:"count"`
}

// The host methods.
var (
	ListThreads     = sdk.Method[ThreadQuery, ThreadPage]{Name: "messages.threads.list", Permission: PermRead}
	GetThread       = sdk.Method[ByID, ThreadDetail]{Name: "messages.threads.get", Permission: PermRead}
	StartThread     = sdk.Method[Start, ThreadDetail]{Name: "messages.threads.start", Permission: PermWrite}
	PostMessage     = sdk.Method[Post, Message]{Name: "messages.post", Permission: PermWrite}
	EditMessage     = sdk.Method[Edit, Message]{Name: "messages.edit", Permission: PermWrite}
	AddToThread     = sdk.Method[AddPeople, ThreadDetail]{Name: "messages.threads.add", Permission: PermWrite}
	AssignThread    = sdk.Method[Assign, Thread]{Name: "messages.threads.assign", Permission: PermWrite}
	SetThreadStatus = sdk.Method[SetStatus, Thread]{Name: "messages.threads.status", Permission: PermWrite}
	SendBroadcast   = sdk.Method[Broadcast, BroadcastResult]{Name: "messages.broadcast", Permission: PermWrite}
	Search          = sdk.Method[SearchQuery, SearchResult]{Name: "messages.search", Permission: PermRead}
	Unread          = sdk.Method[struct{}, Count]{Name: "messages.unread", Permission: PermRead}
)
