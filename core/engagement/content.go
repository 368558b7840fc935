package engagement

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// ContentKind is a tab of the top content panel.
type ContentKind string

// The content kinds.
const (
	Rooms     ContentKind = "room"
	Resources ContentKind = "resource"
)

// ContentRow is one room or resource and how it was used in the range.
type ContentRow struct {
	Kind ContentKind
	ID   int64
	// Label is the room's slug as last recorded (useful once the room is
	// gone), or the resource's title from [ReportOptions.Resources] (empty
	// when there is none, or the resource was deleted).
	Label string
	// Views ranks the list. For a room, its page views. For a resource,
	// every event that touched it: its item page viewed, the file
	// downloaded, the video played, ...
	Views int64
	// PageViews and Actions split Views; for a room, Actions counts the
	// actions taken inside it (they are not part of its Views).
	PageViews, Actions int64
	// Users is exact: distinct users who viewed the room, or touched the
	// resource, in the range.
	Users int64
}

// TopContent lists the most viewed rooms or resources in the range, at most
// limit (default 10, at most 500), most views first (ties by id).
func (r *Reports) TopContent(ctx context.Context, f Filter, kind ContentKind, limit int) ([]ContentRow, error) {
	var ck contentKind
	viewsSQL := "SUM(page_views)"
	switch kind {
	case Rooms:
		ck = kindRoom
	case Resources:
		ck = kindResource
		viewsSQL = "SUM(page_views) + SUM(actions)"
	default:
		return nil, fmt.Errorf("engagement: unknown content kind %q", kind)
	}
	if limit <= 0 {
		limit = 10
	}
	limit = min(limit, 500)
	from, to, err := f.days()
	if err != nil {
		return nil, err
	}
	ix, err := r.sync(ctx)
	if err != nil {
		return nil, err
	}
	ps, err := resolvePartners(ctx, r.db, f)
	if err != nil || ps.empty() {
		return nil, err
	}
	ranges := cover(from, to)
	var q string
	var args []any
	if ps.groups != nil {
		sub, subArgs := unionRanges(`SELECT content_id, page_views, actions FROM engagement_content_group_stats
			WHERE kind = ? AND grp IN (?) AND %s`, ranges, []any{ck.String(), bun.List(ps.groups)})
		q, args = `SELECT content_id, SUM(page_views), SUM(actions), `+viewsSQL+` AS views FROM (`+sub+`) u`, subArgs
	} else {
		q = `SELECT content_id, SUM(page_views), SUM(actions), ` + viewsSQL + ` AS views FROM engagement_content_stats
			WHERE partner_id IN (` + inList(ps.list()) + `) AND kind = ? AND day BETWEEN ? AND ?`
		args = []any{ck.String(), from, to - 1}
	}
	rows, err := r.db.QueryContext(ctx, q+` GROUP BY content_id HAVING `+viewsSQL+` > 0 ORDER BY views DESC, content_id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("engagement: top content: %w", err)
	}
	var out []ContentRow
	var ids []int64
	for rows.Next() {
		c := ContentRow{Kind: kind}
		if err := rows.Scan(&c.ID, &c.PageViews, &c.Actions, &c.Views); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, c)
		ids = append(ids, c.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	bitmaps, err := r.loadBitmaps(ctx, ck, ids, ranges)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Users = ix.countUsers(union(bitmaps[out[i].ID], ranges), ps)
	}
	if kind == Resources {
		if r.res == nil {
			return out, nil
		}
		titles, err := r.res.Titles(ctx, ids)
		if err != nil {
			return nil, fmt.Errorf("engagement: resource titles: %w", err)
		}
		for i := range out {
			out[i].Label = titles[out[i].ID]
		}
		return out, nil
	}
	labels := map[int64]string{}
	rows, err = r.db.QueryContext(ctx, `SELECT id, label FROM engagement_labels WHERE kind = ? AND id IN (?)`, ck.String(), bun.List(ids))
	if err != nil {
		return nil, fmt.Errorf("engagement: room labels: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var l string
		if err := rows.Scan(&id, &l); err != nil {
			return nil, err
		}
		labels[id] = l
	}
	for i := range out {
		out[i].Label = labels[out[i].ID]
	}
	return out, nil
}
