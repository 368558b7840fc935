package projects

import (
	"crypto/sha256"
	"maps"
	"slices"

	sp "github.com/atriumhq/atrium/sdk/projects"
	lru "github.com/hashicorp/golang-lru/v2"
)

// What a project's pages read, kept in memory under the project's
// revision (migrations/20261214000030): the database raises a project's
// revision in the same transaction as any change to what these show, and
// every request reads the revision afresh with the access check it makes
// anyway, so a change on any node misses the cache on every node at once.
// Reading a 500-task board from the database cost about 5 ms of CPU and
// a megabyte of garbage a page; the board changes far less often than
// people look at it.
//
// Entries are never invalidated, only left behind: a new revision is a
// new key, and the old one ages out of the LRU.
const (
	// boardEntries bounds the task pages kept: a 500-task page is a few
	// hundred kilobytes.
	boardEntries = 64
	// detailEntries bounds the project details kept.
	detailEntries = 512
	// listEntries bounds the pages of project lists kept (25 projects
	// each, a few kilobytes).
	listEntries = 256
)

// boardKey is one page of a project's tasks as one query reads it.
type boardKey struct {
	project, revision int64
	today             string // "late" is read on the program's calendar
	milestone         int64
	status            string
	assignee          int64 // the viewer, for "mine"; 0 otherwise
	late              bool
	page, perPage     int
}

// detailKey is what a project's detail shows to everyone who sees it;
// what depends on the viewer (may manage, may review, is a member, whom
// they may add) is worked out per request.
type detailKey struct {
	project, revision int64
	today             string
}

// listKey is one page of a partner user's project list. A list shows
// many projects, so its key carries the print of every project the viewer
// may see (listPrint): their ids and revisions, in order. Any change to a
// project the list shows raises its revision; a project made, removed, or
// come into or out of the viewer's reach changes the ids.
type listKey struct {
	user  int64 // the list says which projects are the viewer's
	today string
	query sp.ProjectQuery
	print [sha256.Size]byte
}

// listPage is what a list reads from the database.
type listPage struct {
	rows  []summaryRow
	total int
}

type caches struct {
	boards  *lru.Cache[boardKey, sp.TaskPage]
	details *lru.Cache[detailKey, sp.ProjectDetail]
	lists   *lru.Cache[listKey, listPage]
}

func newCaches() caches {
	boards, _ := lru.New[boardKey, sp.TaskPage](boardEntries)
	details, _ := lru.New[detailKey, sp.ProjectDetail](detailEntries)
	lists, _ := lru.New[listKey, listPage](listEntries)
	return caches{boards: boards, details: details, lists: lists}
}

// taskPage returns a copy of a cached page: its callers (plugins among
// them) may change what they get, which must not change the cache.
func (c caches) taskPage(k boardKey) (sp.TaskPage, bool) {
	p, ok := c.boards.Get(k)
	if !ok {
		return sp.TaskPage{}, false
	}
	p.Tasks = slices.Clone(p.Tasks)
	return p, true
}

// detail returns a copy of a cached detail, as taskPage does.
func (c caches) detail(k detailKey) (sp.ProjectDetail, bool) {
	d, ok := c.details.Get(k)
	if !ok {
		return sp.ProjectDetail{}, false
	}
	return cloneDetail(d), true
}

func cloneDetail(d sp.ProjectDetail) sp.ProjectDetail {
	d.Milestones = slices.Clone(d.Milestones)
	d.Members = slices.Clone(d.Members)
	d.Candidates = slices.Clone(d.Candidates)
	d.ByStatus = maps.Clone(d.ByStatus)
	d.Pending = slices.Clone(d.Pending)
	d.Handed = slices.Clone(d.Handed)
	return d
}
