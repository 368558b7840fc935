package messages

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/atriumhq/atrium/sdk"
	sm "github.com/atriumhq/atrium/sdk/messages"
	"github.com/atriumhq/atrium/sdk/plugintest"
)

// board is an in-memory stand-in for the portal's messages service,
// answering the sdk/messages calls through the plugintest host (so every
// request and answer crosses JSON as it does for a real plugin). It keeps
// the last request of each call, and refuses a call with fail when set.
type board struct {
	mu      sync.Mutex
	threads []sm.Thread
	msgs    map[int64][]sm.Message
	page    sm.ThreadPage // the lists and counts ListThreads adds
	total   int           // 0: len(threads)
	hits    sm.SearchResult
	canAdd  []sm.Person
	assign  []sm.Person
	nextID  int64
	partner int // partners a broadcast reaches

	fail map[string]error // method name → refusal

	lastQuery  sm.ThreadQuery
	lastStart  sm.Start
	lastPost   sm.Post
	lastEdit   sm.Edit
	lastAdd    sm.AddPeople
	lastAssign sm.Assign
	lastStatus sm.SetStatus
	lastCast   sm.Broadcast
	lastSearch sm.SearchQuery
}

var t0 = time.Date(2025, 3, 4, 9, 30, 0, 0, time.UTC)

func newBoard() *board {
	return &board{msgs: map[int64][]sm.Message{}, nextID: 100, fail: map[string]error{}, partner: 3}
}

func (b *board) refused(m string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.fail[m]
}

// host answers the messages calls from b.
func (b *board) host() *plugintest.Host {
	h := plugintest.NewHost()
	h.Program.Stages = []string{"onboarding", "active"}
	plugintest.Handle(h, sm.ListThreads, func(_ context.Context, v sdk.Viewer, q sm.ThreadQuery) (sm.ThreadPage, error) {
		if err := b.refused(sm.ListThreads.Name); err != nil {
			return sm.ThreadPage{}, err
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		b.lastQuery = q
		out := b.page
		out.Threads, out.Total, out.Page, out.PerPage = b.threads, b.total, max(q.Page, 1), q.PerPage
		if out.Total == 0 {
			out.Total = len(b.threads)
		}
		return out, nil
	})
	plugintest.Handle(h, sm.GetThread, func(_ context.Context, v sdk.Viewer, q sm.ByID) (sm.ThreadDetail, error) {
		b.mu.Lock()
		defer b.mu.Unlock()
		i := slices.IndexFunc(b.threads, func(t sm.Thread) bool { return t.ID == q.ID })
		if i < 0 {
			return sm.ThreadDetail{}, &sdk.CallError{Code: sdk.CodeNotFound, Message: "There is no such conversation."}
		}
		return sm.ThreadDetail{Thread: b.threads[i], Messages: b.msgs[q.ID], CanAdd: b.canAdd, Assignable: b.assign, Staff: v.Staff()}, nil
	})
	plugintest.Handle(h, sm.StartThread, func(_ context.Context, v sdk.Viewer, in sm.Start) (sm.ThreadDetail, error) {
		b.mu.Lock()
		b.lastStart = in
		b.mu.Unlock()
		if err := b.refused(sm.StartThread.Name); err != nil {
			return sm.ThreadDetail{}, err
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		b.nextID++
		t := sm.Thread{ID: b.nextID, Subject: in.Subject, Status: sm.Open, CreatedAt: t0, LastAt: t0}
		b.threads = append(b.threads, t)
		return sm.ThreadDetail{Thread: t}, nil
	})
	plugintest.Handle(h, sm.PostMessage, func(_ context.Context, v sdk.Viewer, in sm.Post) (sm.Message, error) {
		b.mu.Lock()
		b.lastPost = in
		b.mu.Unlock()
		if err := b.refused(sm.PostMessage.Name); err != nil {
			return sm.Message{}, err
		}
		return sm.Message{ID: 500, ThreadID: in.ThreadID, Body: in.Body}, nil
	})
	plugintest.Handle(h, sm.EditMessage, func(_ context.Context, v sdk.Viewer, in sm.Edit) (sm.Message, error) {
		b.mu.Lock()
		b.lastEdit = in
		b.mu.Unlock()
		if err := b.refused(sm.EditMessage.Name); err != nil {
			return sm.Message{}, err
		}
		return sm.Message{ID: in.MessageID, Body: in.Body}, nil
	})
	plugintest.Handle(h, sm.AddToThread, func(_ context.Context, v sdk.Viewer, in sm.AddPeople) (sm.ThreadDetail, error) {
		b.mu.Lock()
		b.lastAdd = in
		b.mu.Unlock()
		if err := b.refused(sm.AddToThread.Name); err != nil {
			return sm.ThreadDetail{}, err
		}
		return sm.ThreadDetail{}, nil
	})
	plugintest.Handle(h, sm.AssignThread, func(_ context.Context, v sdk.Viewer, in sm.Assign) (sm.Thread, error) {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.lastAssign = in
		if err := b.fail[sm.AssignThread.Name]; err != nil {
			return sm.Thread{}, err
		}
		t := sm.Thread{ID: in.ThreadID}
		for _, p := range b.assign {
			if p.ID == in.UserID {
				t.Assignee = &p
			}
		}
		return t, nil
	})
	plugintest.Handle(h, sm.SetThreadStatus, func(_ context.Context, v sdk.Viewer, in sm.SetStatus) (sm.Thread, error) {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.lastStatus = in
		if err := b.fail[sm.SetThreadStatus.Name]; err != nil {
			return sm.Thread{}, err
		}
		return sm.Thread{ID: in.ThreadID, Status: in.Status}, nil
	})
	plugintest.Handle(h, sm.SendBroadcast, func(_ context.Context, v sdk.Viewer, in sm.Broadcast) (sm.BroadcastResult, error) {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.lastCast = in
		if err := b.fail[sm.SendBroadcast.Name]; err != nil {
			return sm.BroadcastResult{}, err
		}
		out := sm.BroadcastResult{Partners: b.partner}
		if !in.DryRun {
			for i := range b.partner {
				out.Threads = append(out.Threads, int64(900+i))
			}
		}
		return out, nil
	})
	plugintest.Handle(h, sm.Search, func(_ context.Context, v sdk.Viewer, in sm.SearchQuery) (sm.SearchResult, error) {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.lastSearch = in
		if err := b.fail[sm.Search.Name]; err != nil {
			return sm.SearchResult{}, err
		}
		out := b.hits
		out.Page = max(in.Page, 1)
		return out, nil
	})
	return h
}
