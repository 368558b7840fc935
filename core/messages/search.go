package messages

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/sdk"
	sm "github.com/atriumhq/atrium/sdk/messages"
	"github.com/uptrace/bun"
)

// Limits of a search, so that a pasted document cannot become a query
// the engine chokes on.
const (
	maxSearchWords = 8
	maxWordLen     = 40
	// minPrefix is the shortest word matched as a prefix; shorter words
	// match whole words only, or "a" would match half of everything.
	minPrefix = 3
	// searchCandidates bounds the work of one search: hits are ranked
	// among the most recent matches the viewer may see, so a common word
	// over a million messages costs no more than a rare one.
	searchCandidates = 1000
	// maxIndexedPartners is the most partners named inside the search
	// expression; a wider reach is narrowed by the join alone.
	maxIndexedPartners = 200
)

// matchExpr is the engine's query for the words (each a prefix when long
// enough, all required), narrowed to partners when given: a tsquery on
// PostgreSQL, an FTS5 expression on SQLite. Words hold letters and digits
// only, so neither syntax can be injected.
func matchExpr(pg bool, ws []string, partners []int64) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		prefix := len([]rune(w)) >= minPrefix
		switch {
		case pg && prefix:
			parts[i] = w + ":*"
		case pg:
			parts[i] = w
		case prefix:
			parts[i] = `"` + w + `"*`
		default:
			parts[i] = `"` + w + `"`
		}
	}
	if pg {
		return strings.Join(parts, " & ")
	}
	expr := "{body names} : (" + strings.Join(parts, " AND ") + ")"
	if len(partners) > 0 {
		ids := make([]string, len(partners))
		for i, id := range partners {
			ids[i] = strconv.FormatInt(id, 10)
		}
		expr += " AND partner_id : (" + strings.Join(ids, " OR ") + ")"
	}
	return expr
}

// Snippet markers: characters no message keeps in a snippet, turned into
// spans so that no markup ever travels with user text.
const (
	markOpen  = "\x02"
	markClose = "\x03"
)

// words splits a query the way both engines' tokenisers split text:
// letters and digits, lower-cased.
func words(q string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }) {
		if len([]rune(w)) > maxWordLen {
			w = string([]rune(w)[:maxWordLen])
		}
		out = append(out, w)
		if len(out) == maxSearchWords {
			break
		}
	}
	return out
}

// Search finds the messages (by text or attachment name) that the viewer
// may see, best first: SQLite's FTS5 with bm25, PostgreSQL's tsvector with
// ts_rank. Every word must match, as a prefix.
func (s *Service) Search(ctx context.Context, v sdk.Viewer, q sm.SearchQuery) (sm.SearchResult, error) {
	ws := words(q.Q)
	if len(ws) == 0 {
		return sm.SearchResult{}, fail.Fields(map[string]string{"q": "Type a word to search for."})
	}
	if q.PerPage <= 0 || q.PerPage > 50 {
		q.PerPage = 20
	}
	q.Page = max(q.Page, 1)
	a, err := s.access(ctx, v)
	if err != nil {
		return sm.SearchResult{}, err
	}
	pg := store.IsPostgres(s.db)
	// Narrow by partner inside the search itself, where the engine can:
	// someone who reaches a few partners never reads everyone's matches.
	var partners []int64
	if a.staff() {
		partners = a.rc.IDs()
	} else {
		partners = a.rc.WriteIDs()
	}
	if partners != nil && len(partners) == 0 {
		return sm.SearchResult{Hits: []sm.Hit{}, Page: q.Page, PerPage: q.PerPage}, nil
	}
	if len(partners) > maxIndexedPartners {
		partners = nil // the join below narrows them
	}
	match := matchExpr(pg, ws, partners)
	var inner *bun.SelectQuery
	if pg {
		inner = s.db.NewSelect().TableExpr("messages AS m").ColumnExpr("m.id").
			ColumnExpr("ts_rank(m.search, to_tsquery('simple', ?)) AS rank", match).
			Where("m.search @@ to_tsquery('simple', ?)", match)
		if partners != nil {
			inner = inner.Where("m.partner_id IN (?)", bun.List(partners))
		}
		inner = inner.OrderExpr("m.id DESC")
	} else {
		inner = s.db.NewSelect().TableExpr("messages_fts").ColumnExpr("m.id").
			ColumnExpr("bm25(messages_fts, 1.0, 0.6, 0.0) AS rank").
			Join("JOIN messages AS m ON m.id = messages_fts.rowid").
			Where("messages_fts MATCH ?", match).
			OrderExpr("messages_fts.rowid DESC")
	}
	inner = a.narrow(inner.Join("JOIN message_threads AS t ON t.id = m.thread_id"), false).Limit(searchCandidates)
	rankOrder := "c.rank, c.id DESC" // bm25: lower is better
	if pg {
		rankOrder = "c.rank DESC, c.id DESC"
	}
	var ranked []struct {
		ID int64 `bun:"id"`
	}
	if err := s.db.NewSelect().TableExpr("(?) AS c", inner).ColumnExpr("c.id").OrderExpr(rankOrder).
		Limit(int64(q.PerPage+1)).Offset(int64((q.Page-1)*q.PerPage)).Scan(ctx, &ranked); err != nil {
		return sm.SearchResult{}, fmt.Errorf("search messages: %w", err)
	}
	out := sm.SearchResult{Hits: []sm.Hit{}, Page: q.Page, PerPage: q.PerPage}
	if len(ranked) > q.PerPage {
		out.More, ranked = true, ranked[:q.PerPage]
	}
	if len(ranked) == 0 {
		return out, nil
	}
	ids := make([]int64, len(ranked))
	for i, r := range ranked {
		ids[i] = r.ID
	}
	hits, err := s.hits(ctx, pg, match, ws, ids)
	if err != nil {
		return sm.SearchResult{}, err
	}
	for _, id := range ids {
		if h, ok := hits[id]; ok {
			out.Hits = append(out.Hits, h)
		}
	}
	return out, nil
}

// hits loads the found messages with their snippets: only the page's, so
// the costly part of a search never runs over every match.
func (s *Service) hits(ctx context.Context, pg bool, match string, ws []string, ids []int64) (map[int64]sm.Hit, error) {
	var rows []struct {
		ID          int64     `bun:"id"`
		ThreadID    int64     `bun:"thread_id"`
		Subject     string    `bun:"subject"`
		PartnerName string    `bun:"partner_name"`
		Author      string    `bun:"author"`
		At          time.Time `bun:"created_at"`
		Snippet     string    `bun:"snippet"`
		Names       string    `bun:"names"`
	}
	var sel *bun.SelectQuery
	if pg {
		sel = s.db.NewSelect().TableExpr("messages AS m").
			ColumnExpr("ts_headline('simple', m.body, to_tsquery('simple', ?), ?) AS snippet", match,
				"StartSel="+markOpen+", StopSel="+markClose+", MaxWords=28, MinWords=8, MaxFragments=1, FragmentDelimiter=…")
	} else {
		sel = s.db.NewSelect().TableExpr("messages_fts").
			Join("JOIN messages AS m ON m.id = messages_fts.rowid").
			ColumnExpr("snippet(messages_fts, 0, ?, ?, '…', 16) AS snippet", markOpen, markClose).
			Where("messages_fts MATCH ?", match)
	}
	err := sel.ColumnExpr("m.id, m.thread_id, m.created_at, m.names, t.subject, p.name AS partner_name, COALESCE(u.name, '') AS author").
		Join("JOIN message_threads AS t ON t.id = m.thread_id").
		Join("JOIN partners AS p ON p.id = t.partner_id").
		Join("LEFT JOIN users AS u ON u.id = m.author_id").
		Where("m.id IN (?)", bun.List(ids)).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("load search hits: %w", err)
	}
	out := make(map[int64]sm.Hit, len(rows))
	for _, r := range rows {
		h := sm.Hit{ThreadID: r.ThreadID, MessageID: r.ID, Subject: r.Subject, PartnerName: r.PartnerName,
			Author: r.Author, At: r.At, Snippet: spans(r.Snippet)}
		if r.Names != "" {
			atts, err := s.attachments(ctx, r.ThreadID)
			if err != nil {
				return nil, err
			}
			for _, at := range atts[r.ID] {
				if nameMatches(at.Name, ws) {
					h.Attachments = append(h.Attachments, at)
				}
			}
		}
		out[r.ID] = h
	}
	return out, nil
}

// nameMatches reports whether a file name has a word starting with any of
// the searched words.
func nameMatches(name string, searched []string) bool {
	for _, w := range words(name) {
		for _, q := range searched {
			if strings.HasPrefix(w, q) {
				return true
			}
		}
	}
	return false
}

// spans cuts a marked snippet into plain and matching parts.
func spans(snippet string) []sm.Span {
	var out []sm.Span
	for snippet != "" {
		before, rest, found := strings.Cut(snippet, markOpen)
		if before != "" {
			out = append(out, sm.Span{Text: before})
		}
		if !found {
			break
		}
		hit, after, _ := strings.Cut(rest, markClose)
		if hit != "" {
			out = append(out, sm.Span{Text: hit, Match: true})
		}
		snippet = after
	}
	return out
}
