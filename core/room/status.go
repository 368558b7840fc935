package room

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Status is where a room stands between builder and partners, for the
// staff's list of rooms.
type Status struct {
	Name         string   `json:"name"`
	Title        string   `json:"title"`
	Slug         string   `json:"slug"`
	PartnerTypes []string `json:"partnerTypes"`
	// State is "published", "draft" (published, with draft changes
	// pending) or "draft-only" (never published: partners do not see it).
	State        string    `json:"state"`
	Revision     int64     `json:"revision"`
	DraftVersion int64     `json:"draftVersion,omitempty"`
	ReviewAsked  bool      `json:"reviewRequested,omitempty"`
	LastEditor   string    `json:"lastEditor,omitempty"`
	LastEdited   time.Time `json:"lastEdited,omitzero"`
}

// The states of a room.
const (
	StatePublished = "published"
	StateDraft     = "draft"
	StateDraftOnly = "draft-only"
)

// Statuses lists every room, published or draft, in navigation order
// (draft-only rooms by their draft's position), with who changed it last
// and when: the newer of its last revision and its draft.
func (s *Service) Statuses(ctx context.Context) ([]Status, error) {
	rooms, err := list(ctx, s.db)
	if err != nil {
		return nil, err
	}
	var drafts []draftRow
	if err := s.db.NewSelect().Model(&drafts).Scan(ctx); err != nil {
		return nil, fmt.Errorf("list drafts: %w", err)
	}
	var revs []revisionRow
	// The newest revision of every room: revisions are few beside page
	// views, and one query keeps the page at a fixed cost.
	if err := s.db.NewSelect().Model(&revs).ExcludeColumn("document").
		Where("number = (SELECT MAX(r2.number) FROM room_revisions AS r2 WHERE r2.room_name = revision_row.room_name)").
		Scan(ctx); err != nil {
		return nil, fmt.Errorf("list latest revisions: %w", err)
	}
	last := map[string]revisionRow{}
	for _, r := range revs {
		last[r.RoomName] = r
	}
	draftOf := map[string]*draftRow{}
	for i := range drafts {
		draftOf[drafts[i].Name] = &drafts[i]
	}
	var out []Status
	positions := map[string]int{}
	add := func(r Room, published bool) {
		st := Status{Name: r.Key(), Title: r.Title, Slug: r.Slug, PartnerTypes: r.PartnerTypes, State: StatePublished}
		positions[st.Name] = r.Position
		if published {
			if rev, ok := last[st.Name]; ok {
				st.Revision, st.LastEditor, st.LastEdited = rev.Number, rev.AuthorName, rev.CreatedAt
			} else {
				st.LastEdited = r.UpdatedAt
			}
		}
		if d := draftOf[st.Name]; d != nil {
			st.State, st.DraftVersion, st.ReviewAsked = StateDraft, d.Version, d.ReviewRequestedAt != nil
			if !published {
				st.State = StateDraftOnly
			}
			if d.UpdatedAt.After(st.LastEdited) {
				st.LastEditor, st.LastEdited = d.UpdatedByName, d.UpdatedAt
			}
		}
		out = append(out, st)
	}
	for _, r := range rooms {
		add(r, true)
		delete(draftOf, r.Name)
	}
	for _, d := range drafts {
		if draftOf[d.Name] == nil {
			continue
		}
		dr, err := d.draft(false)
		if err != nil {
			return nil, err
		}
		add(dr.Room, false)
	}
	slices.SortStableFunc(out, func(a, b Status) int { return positions[a.Name] - positions[b.Name] })
	return out, nil
}
