// Package library is the Resources library and the brand kit: resources with
// folders, categories, tags, audiences, owners and review dates, searched and
// filtered for a viewer.
//
// Searching must stay fast with tens of thousands of resources and per-viewer
// audiences, which SQL alone cannot evaluate, so the library keeps a snapshot
// of every resource in memory. A query first asks the database for a cheap
// stamp (count and latest change); a different stamp, or a snapshot older
// than [RefreshEvery] (download counts), reloads it. Several portal processes
// therefore agree without talking to each other.
package library

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/atriumhq/atrium/core/audience"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/principal"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/revision"
	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/content"
	"github.com/uptrace/bun"
)

// RefreshEvery bounds how stale download counts may be.
const RefreshEvery = 10 * time.Second

// Resource is one row of the library.
type Resource struct {
	bun.BaseModel `bun:"table:resources"`

	ID          int64        `bun:"id,pk,autoincrement" json:"id"`
	Collection  string       `bun:"collection" json:"collection"`
	Title       string       `bun:"title" json:"title"`
	Description string       `bun:"description" json:"description"`
	Folder      string       `bun:"folder" json:"folder"`
	Category    string       `bun:"category" json:"category"`
	Tags        []string     `bun:"tags,type:text" json:"tags"`
	FileID      *int64       `bun:"file_id" json:"fileId,omitempty"`
	ThumbnailID *int64       `bun:"thumbnail_id" json:"thumbnailId,omitempty"`
	LinkURL     string       `bun:"link_url" json:"linkUrl,omitempty"`
	Swatch      string       `bun:"swatch" json:"swatch,omitempty"`
	Body        string       `bun:"body" json:"body,omitempty"`
	Audience    sdk.Audience `bun:"audience,type:text" json:"audience"`
	OwnerID     *int64       `bun:"owner_id" json:"ownerId,omitempty"`
	ReviewMS    *int64       `bun:"review_ms" json:"-"`
	CreatedMS   int64        `bun:"created_ms" json:"-"`
	UpdatedMS   int64        `bun:"updated_ms" json:"-"`
	ArchivedMS  *int64       `bun:"archived_ms" json:"-"`
}

// row is a resource joined with its file's facts.
type row struct {
	Resource  `bun:",extend"`
	FileName  *string `bun:"file_name"`
	Latest    *int    `bun:"latest"`
	Downloads *int64  `bun:"downloads"`
	Size      *int64  `bun:"size"`
	CType     *string `bun:"content_type"`
	Owner     *string `bun:"owner_name"`
}

type entry struct {
	row
	hay   string // lowercase title, description and tags, for search
	title string // lowercase title, for sorting
	// Indexes into the snapshot's dictionaries, so filtering and facets
	// compare and mark small integers instead of strings.
	folder int32 // -1 for none
	tags   []int32
}

type snapshot struct {
	rev        int64
	maxUpdated int64
	folders    []string // dictionary of folder paths
	tags       []string // dictionary of tags
	tagIndex   map[string]int32
	// folderIndex maps a folder to its place in folders.
	folderIndex map[string]int32
	// downloads counts downloads by file id, up to the access lastAccess.
	// Counts move without an edit, so they are refreshed on their own:
	// only the accesses after lastAccess are read.
	downloads  map[int64]int64
	lastAccess int64
	loaded     time.Time
	items      []*entry // newest first
}

// Library serves resources.
type Library struct {
	db    *bun.DB
	files *files.Service
	now   func() time.Time

	mu         sync.Mutex
	snap       *snapshot
	refreshing bool
}

// New returns the library.
func New(db *bun.DB, fs *files.Service) *Library {
	return &Library{db: db, files: fs, now: time.Now}
}

// WithClock replaces the clock (tests move time to see counts refresh).
func (l *Library) WithClock(now func() time.Time) *Library { l.now = now; return l }

// Revision is the counter bumped with every change to the library.
const Revision = "library"

// stamp reads the library's revision (one row by key) and, only when it
// moved, the newest change time.
func (l *Library) stamp(ctx context.Context) (rev int64, err error) {
	err = l.db.NewRaw("SELECT value FROM revisions WHERE name = ?", Revision).Scan(ctx, &rev)
	if err != nil {
		return 0, fmt.Errorf("library revision: %w", err)
	}
	return rev, nil
}

func (l *Library) bump(ctx context.Context) error { return revision.Bump(ctx, l.db, Revision) }

// skew is how far back an incremental load looks before the newest change
// it has seen, for portal processes whose clocks differ a little.
const skew = time.Minute

// load reads resources changed at or after since (all for 0).
func (l *Library) load(ctx context.Context, since int64) ([]*entry, error) {
	var rows []row
	q := l.db.NewSelect().Model(&rows).
		ColumnExpr("r.*").
		ColumnExpr("f.name AS file_name, f.latest, f.downloads").
		ColumnExpr("v.size, v.content_type").
		ColumnExpr("u.name AS owner_name").
		Join("LEFT JOIN files AS f ON f.id = r.file_id").
		Join("LEFT JOIN file_versions AS v ON v.file_id = f.id AND v.number = f.latest").
		Join("LEFT JOIN users AS u ON u.id = r.owner_id").
		ModelTableExpr("resources AS r")
	if since > 0 {
		q = q.Where("r.updated_ms >= ?", since)
	}
	if err := q.Order("r.updated_ms DESC", "r.id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load library: %w", err)
	}
	out := make([]*entry, len(rows))
	for i := range rows {
		r := rows[i]
		out[i] = &entry{row: r, title: strings.ToLower(r.Title), hay: strings.ToLower(r.Title + "\n" + r.Description + "\n" + strings.Join(r.Tags, " ") + "\n" + r.Folder)}
	}
	return out, nil
}

func newSnapshot(items []*entry, rev int64, at time.Time) *snapshot {
	s := &snapshot{rev: rev, loaded: at, items: items, tagIndex: map[string]int32{}, folderIndex: map[string]int32{}}
	s.index(items)
	return s
}

// index gives entries their dictionary indexes, growing the dictionaries.
// Only entries not yet in any snapshot are indexed: entries already shared
// with readers of an older snapshot keep theirs, which stay valid because
// dictionaries only grow.
func (s *snapshot) index(fresh []*entry) {
	for _, e := range fresh {
		s.maxUpdated = max(s.maxUpdated, e.UpdatedMS)
		e.folder = -1
		if e.Folder != "" {
			i, ok := s.folderIndex[e.Folder]
			if !ok {
				i = int32(len(s.folders))
				s.folderIndex[e.Folder] = i
				s.folders = append(s.folders, e.Folder)
			}
			e.folder = i
		}
		e.tags = make([]int32, 0, len(e.Tags))
		for _, t := range e.Tags {
			i, ok := s.tagIndex[t]
			if !ok {
				i = int32(len(s.tags))
				s.tagIndex[t] = i
				s.tags = append(s.tags, t)
			}
			e.tags = append(e.tags, i)
		}
	}
}

// current returns an up-to-date snapshot. An edit (a new stamp) is merged in
// before answering, reading only the changed rows; the periodic refresh of
// download counts reloads everything in the background, so no query waits
// for it.
func (l *Library) current(ctx context.Context) (*snapshot, error) {
	rev, err := l.stamp(ctx)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.snap
	if s != nil && s.rev == rev {
		if l.now().Sub(s.loaded) >= RefreshEvery && !l.refreshing {
			l.refreshing = true
			go l.refresh()
		}
		return s, nil
	}
	if s != nil {
		changed, err := l.load(ctx, s.maxUpdated-skew.Milliseconds())
		if err != nil {
			return nil, err
		}
		l.snap = merge(s, changed, rev)
		return l.snap, nil
	}
	// Counts first: a download between the two reads is then counted in
	// the next refresh rather than lost.
	counts, last, err := l.loadDownloads(ctx, 0, nil)
	if err != nil {
		return nil, err
	}
	items, err := l.load(ctx, 0)
	if err != nil {
		return nil, err
	}
	l.snap = newSnapshot(items, rev, l.now())
	l.snap.downloads, l.snap.lastAccess = counts, last
	return l.snap, nil
}

// merge replaces changed entries of s and adds new ones, newest first.
func merge(s *snapshot, changed []*entry, rev int64) *snapshot {
	byID := make(map[int64]*entry, len(changed))
	for _, e := range changed {
		byID[e.ID] = e
	}
	items := make([]*entry, 0, len(s.items)+len(changed))
	items = append(items, changed...)
	for _, e := range s.items {
		if _, ok := byID[e.ID]; !ok {
			items = append(items, e)
		}
	}
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].UpdatedMS != items[j].UpdatedMS {
			return items[i].UpdatedMS > items[j].UpdatedMS
		}
		return items[i].ID > items[j].ID
	})
	m := &snapshot{rev: rev, loaded: s.loaded, items: items, maxUpdated: s.maxUpdated,
		folders: slices.Clone(s.folders), tags: slices.Clone(s.tags), tagIndex: maps.Clone(s.tagIndex), folderIndex: maps.Clone(s.folderIndex),
		downloads: s.downloads, lastAccess: s.lastAccess}
	m.index(changed)
	return m
}

// refresh reloads everything (download counts move without a stamp).
func (l *Library) refresh() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	l.mu.Lock()
	s := l.snap
	l.mu.Unlock()
	counts, last, err := l.loadDownloads(ctx, s.lastAccess, s.downloads)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refreshing = false
	if err != nil || l.snap != s {
		s.loaded = l.now() // try again after the next interval
		return
	}
	c := *s
	c.downloads, c.lastAccess, c.loaded = counts, last, l.now()
	l.snap = &c
}

// loadDownloads adds the downloads recorded after access id since to base
// (nil: count from the start) and returns the new counts and last id.
func (l *Library) loadDownloads(ctx context.Context, since int64, base map[int64]int64) (map[int64]int64, int64, error) {
	var rows []struct {
		FileID int64 `bun:"file_id"`
		N      int64 `bun:"n"`
		Last   int64 `bun:"last"`
	}
	err := l.db.NewSelect().Table("file_accesses").ColumnExpr("file_id, COUNT(*) AS n, MAX(id) AS last").
		Where("id > ? AND action = ?", since, "download").Group("file_id").Scan(ctx, &rows)
	if err != nil {
		return nil, 0, fmt.Errorf("library downloads: %w", err)
	}
	out := make(map[int64]int64, len(base)+len(rows))
	maps.Copy(out, base)
	last := since
	for _, r := range rows {
		out[r.FileID] += r.N
		last = max(last, r.Last)
	}
	return out, last, nil
}

// Viewer is who lists the library.
type Viewer struct {
	P       *principal.Principal
	Program program.Program
}

// seer decides visibility for one viewer over many entries, building the
// viewer's SDK form once rather than per entry.
type seer struct {
	v     Viewer
	staff bool
	sv    sdk.Viewer
}

func (v Viewer) seer() seer {
	s := seer{v: v}
	if v.P != nil {
		s.staff = v.P.Staff()
		s.sv = v.P.Viewer()
	}
	return s
}

func (s seer) sees(e *entry) bool {
	switch {
	case s.v.P == nil:
		return false
	case s.staff:
		return true
	case e.ArchivedMS != nil || s.v.P.Partner == nil:
		return false
	case e.Collection == content.Media:
		// Partners meet media only in the blocks that show them.
		return false
	}
	return e.Audience.IsZero() || audience.Admits(e.Audience, s.sv, s.v.Program)
}

// List answers a query for v.
func (l *Library) List(ctx context.Context, v Viewer, q content.ResourceQuery) (content.ResourcePage, error) {
	if q.Collection == "" {
		q.Collection = content.Library
	}
	if q.Limit <= 0 {
		q.Limit = 50
	}
	q.Limit = min(q.Limit, 500)
	staff := v.P != nil && v.P.Staff()
	if !staff {
		q.Archived = false
	}
	s, err := l.current(ctx)
	if err != nil {
		return content.ResourcePage{}, err
	}
	words := strings.Fields(strings.ToLower(q.Search))
	var tags []int32
	for _, t := range q.Tags {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
			i, ok := s.tagIndex[t]
			if !ok {
				i = -1 // a tag no resource has: nothing matches
			}
			tags = append(tags, i)
		}
	}
	folder := strings.Trim(q.Folder, "/")
	see := v.seer()
	var hits []*entry
	folderSeen, tagSeen := make([]bool, len(s.folders)), make([]bool, len(s.tags))
	cats := map[string]bool{}
	for _, e := range s.items {
		if e.Collection != q.Collection || (e.ArchivedMS != nil && !q.Archived) || !see.sees(e) {
			continue
		}
		if e.folder >= 0 {
			folderSeen[e.folder] = true
		}
		if folder != "" && e.Folder != folder && !strings.HasPrefix(e.Folder, folder+"/") {
			continue
		}
		if q.Category != "" && e.Category != q.Category {
			continue
		}
		if len(q.IDs) > 0 && !slices.Contains(q.IDs, e.ID) {
			continue
		}
		ok := true
		for _, t := range tags {
			if !slices.Contains(e.tags, t) {
				ok = false
				break
			}
		}
		for _, w := range words {
			if !ok {
				break
			}
			ok = strings.Contains(e.hay, w)
		}
		if !ok {
			continue
		}
		if e.Category != "" && !cats[e.Category] {
			cats[e.Category] = true
		}
		for _, t := range e.tags {
			tagSeen[t] = true
		}
		hits = append(hits, e)
	}
	switch q.Sort {
	case "downloads":
		sort.SliceStable(hits, func(i, j int) bool { return s.count(hits[i]) > s.count(hits[j]) })
	case "title":
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].title < hits[j].title })
	}
	folders, tagSet := picked(s.folders, folderSeen), picked(s.tags, tagSeen)
	page := content.ResourcePage{Total: len(hits), Folders: folders, Categories: keys(cats), Tags: tagSet, Items: []content.Resource{}}
	if q.Offset < len(hits) {
		hits = hits[q.Offset:]
		if len(hits) > q.Limit {
			hits = hits[:q.Limit]
		}
		for _, e := range hits {
			page.Items = append(page.Items, l.public(s, e, staff))
		}
	}
	if staff {
		page.ManageURL = "/admin/library"
	}
	return page, nil
}

func deref[T any](p *T) T {
	var z T
	if p == nil {
		return z
	}
	return *p
}

// picked returns the dictionary words marked seen, sorted.
func picked(dict []string, seen []bool) []string {
	out := []string{}
	for i, ok := range seen {
		if ok {
			out = append(out, dict[i])
		}
	}
	sort.Strings(out)
	return out
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// DownloadURL is the plain link that downloads a file.
func DownloadURL(fileID int64) string { return fmt.Sprintf("/files/%d/download", fileID) }

// VersionURL downloads one version of a file.
func VersionURL(fileID int64, n int) string {
	return fmt.Sprintf("/files/%d/versions/%d/download", fileID, n)
}

// count is a resource's downloads.
func (s *snapshot) count(e *entry) int64 {
	if e.FileID == nil {
		return 0
	}
	return s.downloads[*e.FileID]
}

func (l *Library) public(s *snapshot, e *entry, staff bool) content.Resource {
	r := content.Resource{ID: e.ID, Collection: e.Collection, Title: e.Title, Description: e.Description, Folder: e.Folder,
		Category: e.Category, Tags: e.Tags, LinkURL: e.LinkURL, Swatch: e.Swatch, Body: e.Body,
		Updated: time.UnixMilli(e.UpdatedMS)}
	if e.FileID != nil {
		r.FileName, r.Version, r.Size, r.ContentType = deref(e.FileName), deref(e.Latest), deref(e.Size), deref(e.CType)
		r.DownloadURL, r.FileID = DownloadURL(*e.FileID), *e.FileID
		if strings.HasPrefix(r.ContentType, "image/") && r.ContentType != "image/svg+xml" {
			r.PreviewURL = r.DownloadURL + "?inline=1"
		}
	}
	if e.ThumbnailID != nil {
		r.PreviewURL = DownloadURL(*e.ThumbnailID) + "?inline=1"
	}
	if staff {
		r.Downloads = s.count(e)
		r.Owner = deref(e.Owner)
		r.ReviewDue = e.ReviewMS != nil && *e.ReviewMS < l.now().UnixMilli()
		r.Archived = e.ArchivedMS != nil
		r.EditURL = fmt.Sprintf("/admin/library/%d", e.ID)
		if e.FileID != nil {
			r.NewVersionURL = fmt.Sprintf("/files/%d/versions/new", *e.FileID)
		}
	}
	return r
}

// Get returns resource id as v may see it.
func (l *Library) Get(ctx context.Context, v Viewer, id int64) (content.Resource, Resource, error) {
	s, err := l.current(ctx)
	if err != nil {
		return content.Resource{}, Resource{}, err
	}
	for _, e := range s.items {
		if e.ID == id && v.seer().sees(e) {
			return l.public(s, e, v.P.Staff()), e.Resource, nil
		}
	}
	return content.Resource{}, Resource{}, fail.Msg(fail.NotFound, "invalid.resource.none")
}

// Input is what staff give for a resource.
type Input struct {
	Collection  string       `json:"collection"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	Folder      string       `json:"folder"`
	Category    string       `json:"category"`
	Tags        []string     `json:"tags"`
	LinkURL     string       `json:"linkUrl"`
	Swatch      string       `json:"swatch"`
	Body        string       `json:"body"`
	Audience    sdk.Audience `json:"audience"`
	OwnerID     *int64       `json:"ownerId"`
	Review      *time.Time   `json:"reviewDate"`
}

var (
	tagRE    = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}:[a-z0-9][a-z0-9-]{0,60}$`)
	swatchRE = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
)

func (l *Library) validate(in *Input, prog program.Program) error {
	f := fail.Problems{}
	in.Title = strings.TrimSpace(in.Title)
	if in.Collection == "" {
		in.Collection = content.Library
	}
	switch in.Collection {
	case content.Library:
		if in.Category != "" && !slices.Contains(content.Categories, in.Category) {
			f.Add("category", "invalid.choose-one-of", "Options", strings.Join(content.Categories, ", "))
		}
	case content.Brand:
		if !slices.Contains(content.BrandSections, in.Category) {
			f.Add("category", "invalid.choose-one-of", "Options", strings.Join(content.BrandSections, ", "))
		}
	case content.Media:
		in.Category = ""
	default:
		f.Add("collection", "invalid.library.collection")
	}
	if in.Title == "" || len(in.Title) > 200 {
		f.Add("title", "invalid.library.title")
	}
	if len(in.Description) > 5000 {
		f.Add("description", "invalid.library.description")
	}
	if len(in.Body) > 50000 {
		f.Add("body", "invalid.library.body")
	}
	folder, err := files.CleanFolder(in.Folder)
	if err != nil {
		f.Merge(err)
	}
	in.Folder = folder
	seen := map[string]bool{}
	tags := in.Tags[:0:0]
	for _, t := range in.Tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" || seen[t] {
			continue
		}
		if !tagRE.MatchString(t) {
			f.Add("tags", "invalid.library.tag", "Tag", t)
			continue
		}
		seen[t] = true
		tags = append(tags, t)
	}
	in.Tags = tags
	if in.LinkURL != "" && !strings.HasPrefix(in.LinkURL, "https://") {
		f.Add("linkUrl", "invalid.library.link")
	}
	if in.Swatch != "" && !swatchRE.MatchString(in.Swatch) {
		f.Add("swatch", "invalid.library.swatch")
	}
	if err := audience.Validate(in.Audience, prog, func(string) bool { return true }); err != nil {
		f["audience"] = fail.Text{Plain: err.Error()}
	}
	return f.Err()
}

// Create adds a resource. fileID is its uploaded file, if any.
func (l *Library) Create(ctx context.Context, in Input, fileID *int64, prog program.Program) (Resource, error) {
	if err := l.validate(&in, prog); err != nil {
		return Resource{}, err
	}
	now := l.now().UnixMilli()
	r := Resource{Collection: in.Collection, Title: in.Title, Description: in.Description, Folder: in.Folder, Category: in.Category,
		Tags: in.Tags, FileID: fileID, LinkURL: in.LinkURL, Swatch: in.Swatch, Body: in.Body, Audience: in.Audience,
		OwnerID: in.OwnerID, CreatedMS: now, UpdatedMS: now}
	if r.Tags == nil {
		r.Tags = []string{}
	}
	if in.Review != nil {
		ms := in.Review.UnixMilli()
		r.ReviewMS = &ms
	}
	if _, err := l.db.NewInsert().Model(&r).Returning("id").Exec(ctx); err != nil {
		return Resource{}, fmt.Errorf("create resource: %w", err)
	}
	if fileID != nil {
		if err := l.syncFile(ctx, r); err != nil {
			return r, err
		}
	}
	return r, l.bump(ctx)
}

// syncFile gives the resource's file the resource's audience and folder, so
// its download URL admits exactly the resource's viewers. The file of a
// media item becomes a media file, seen by partners only through the blocks
// that show it.
func (l *Library) syncFile(ctx context.Context, r Resource) error {
	aud, _ := json.Marshal(r.Audience)
	var archived any
	if r.ArchivedMS != nil {
		archived = *r.ArchivedMS
	}
	q := l.db.NewUpdate().Table("files").Set("audience = ?", string(aud)).Set("folder = ?", r.Folder).
		Set("archived_ms = ?", archived)
	if r.Collection == content.Media {
		q = q.Set("kind = ?", files.KindMedia)
	}
	_, err := q.Where("id IN (?)", bun.List(nonNil(r.FileID, r.ThumbnailID))).Exec(ctx)
	if err != nil {
		return fmt.Errorf("share resource %d's audience with its file: %w", r.ID, err)
	}
	return nil
}

func nonNil(ids ...*int64) []int64 {
	out := []int64{0}
	for _, id := range ids {
		if id != nil {
			out = append(out, *id)
		}
	}
	return out
}

// Update changes a resource (moving it is changing its folder).
func (l *Library) Update(ctx context.Context, id int64, in Input, prog program.Program) (Resource, error) {
	if err := l.validate(&in, prog); err != nil {
		return Resource{}, err
	}
	var r Resource
	if err := l.db.NewSelect().Model(&r).Where("id = ?", id).Scan(ctx); err != nil {
		return Resource{}, fail.Msg(fail.NotFound, "invalid.resource.none")
	}
	r.Title, r.Description, r.Folder, r.Category, r.Tags = in.Title, in.Description, in.Folder, in.Category, in.Tags
	r.LinkURL, r.Swatch, r.Body, r.Audience, r.OwnerID = in.LinkURL, in.Swatch, in.Body, in.Audience, in.OwnerID
	if r.Tags == nil {
		r.Tags = []string{}
	}
	r.ReviewMS = nil
	if in.Review != nil {
		ms := in.Review.UnixMilli()
		r.ReviewMS = &ms
	}
	r.UpdatedMS = max(l.now().UnixMilli(), r.UpdatedMS+1)
	if _, err := l.db.NewUpdate().Model(&r).WherePK().Exec(ctx); err != nil {
		return Resource{}, fmt.Errorf("update resource %d: %w", id, err)
	}
	if err := l.syncFile(ctx, r); err != nil {
		return r, err
	}
	return r, l.bump(ctx)
}

// Archive hides (or restores) a resource; archived resources are kept.
func (l *Library) Archive(ctx context.Context, id int64, archived bool) error {
	var r Resource
	if err := l.db.NewSelect().Model(&r).Where("id = ?", id).Scan(ctx); err != nil {
		return fail.Msg(fail.NotFound, "invalid.resource.none")
	}
	r.ArchivedMS = nil
	if archived {
		ms := l.now().UnixMilli()
		r.ArchivedMS = &ms
	}
	r.UpdatedMS = max(l.now().UnixMilli(), r.UpdatedMS+1)
	if _, err := l.db.NewUpdate().Model(&r).Column("archived_ms", "updated_ms").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("archive resource %d: %w", id, err)
	}
	if err := l.syncFile(ctx, r); err != nil {
		return err
	}
	return l.bump(ctx)
}

// Touch marks a resource changed (a new version of its file).
func (l *Library) Touch(ctx context.Context, id int64) error {
	if _, err := l.db.NewUpdate().Table("resources").Set("updated_ms = ?", l.now().UnixMilli()).Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("touch resource %d: %w", id, err)
	}
	return l.bump(ctx)
}

// ByFile finds the resource of a file, if any.
func (l *Library) ByFile(ctx context.Context, fileID int64) (Resource, bool) {
	var r Resource
	err := l.db.NewSelect().Model(&r).Where("file_id = ?", fileID).Limit(1).Scan(ctx)
	return r, err == nil
}

// Titles returns the titles of the resources with these ids, archived ones
// included (reports name what was used, even if it is gone from the shelf
// since); ids with no resource are left out.
func (l *Library) Titles(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID    int64  `bun:"id"`
		Title string `bun:"title"`
	}
	if err := l.db.NewSelect().Table("resources").Column("id", "title").Where("id IN (?)", bun.List(ids)).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("resource titles: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.Title
	}
	return out, nil
}
