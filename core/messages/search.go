package messages

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/sdk"
	sm "github.com/atriumhq/atrium/sdk/messages"
	"github.com/uptrace/bun"
	"golang.org/x/text/unicode/norm"
)

// Limits of a search, so that a pasted document cannot become a query
// the engine chokes on.
const (
	maxSearchWords = 8
	maxWordLen     = 40
	// minPrefix is the shortest word that "*" turns into a prefix; a
	// shorter one matches whole words only.
	minPrefix = 3
	// searchCandidates bounds the work of one search: hits are ranked
	// among the most recent matches the viewer may see, so a common word
	// over a million messages costs about what a rare one does.
	searchCandidates = 500
	// maxIndexedPartners is the most partners named inside SQLite's
	// search expression. Beyond a few, merging their lists costs more than
	// the join that narrows the matches anyway.
	maxIndexedPartners = 4
	// snippetWords is the length of a snippet.
	snippetWords = 24
)

// term is one searched word: whole by default, a prefix when written with
// a trailing "*" ("certif*"). Whole words keep a common word's search as
// cheap as a rare one's: the index hands matches over newest first and
// stops at the limit, where a prefix must first merge the lists of every
// word it starts.
type term struct {
	text   string
	prefix bool
}

// fold lower-cases text and drops accents, as SQLite's tokeniser does, so
// ranking and snippets agree with what the index matched.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }

// tokens splits text the way both engines' tokenisers do: runs of
// letters and digits, lower-cased and without accents.
func tokens(text string) []string {
	return strings.FieldsFunc(fold(text), func(r rune) bool { return !isWordRune(r) })
}

// terms reads a query: its words (at most maxSearchWords of at most
// maxWordLen letters), each a prefix when followed by "*".
func terms(q string) []term {
	var out []term
	for _, chunk := range strings.Fields(q) {
		ws := strings.FieldsFunc(strings.ToLower(chunk), func(r rune) bool { return !isWordRune(r) })
		for i, w := range ws {
			if len([]rune(w)) > maxWordLen {
				w = string([]rune(w)[:maxWordLen])
			}
			last := i == len(ws)-1
			out = append(out, term{text: w, prefix: last && strings.HasSuffix(chunk, "*") && len([]rune(w)) >= minPrefix})
			if len(out) == maxSearchWords {
				return out
			}
		}
	}
	return out
}

// matches reports whether a token (folded) is one the term finds.
func (t term) matches(token string) bool {
	w := fold(t.text)
	return token == w || (t.prefix && strings.HasPrefix(token, w))
}

// matchExpr is the engine's query for the terms, all required, narrowed
// to partners when given (SQLite): a tsquery on PostgreSQL, an FTS5
// expression on SQLite. Terms hold letters and digits only, so neither
// syntax can be injected.
func matchExpr(pg bool, ts []term, partners []int64) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		t.text = fold(t.text) // as both indexes keep words
		switch {
		case pg && t.prefix:
			parts[i] = t.text + ":*"
		case pg:
			parts[i] = t.text
		case t.prefix:
			parts[i] = `"` + t.text + `"*`
		default:
			parts[i] = `"` + t.text + `"`
		}
	}
	if pg {
		return strings.Join(parts, " & ")
	}
	expr := "{body names subject} : (" + strings.Join(parts, " AND ") + ")"
	if len(partners) > 0 {
		ids := make([]string, len(partners))
		for i, id := range partners {
			ids[i] = strconv.FormatInt(id, 10)
		}
		expr += " AND partner_id : (" + strings.Join(ids, " OR ") + ")"
	}
	return expr
}

// Search finds the messages (by text or attachment name) that the viewer
// may see, best first. Every word must match, as a whole word or, written
// with "*", as a prefix. The engines find the most recent matches (SQLite's
// FTS5, PostgreSQL's tsvector); ranking (BM25) and snippets are computed
// here, the same on both.
func (s *Service) Search(ctx context.Context, v sdk.Viewer, q sm.SearchQuery) (sm.SearchResult, error) {
	ts := terms(q.Q)
	if len(ts) == 0 {
		return sm.SearchResult{}, fail.Field("q", "invalid.message.search")
	}
	if q.PerPage <= 0 || q.PerPage > 50 {
		q.PerPage = 20
	}
	q.Page = max(q.Page, 1)
	out := sm.SearchResult{Hits: []sm.Hit{}, Page: q.Page, PerPage: q.PerPage}
	a, err := s.access(ctx, v)
	if err != nil {
		return sm.SearchResult{}, err
	}
	pg := store.IsPostgres(s.db)
	// Narrow by partner inside the search itself where that is cheap: a
	// partner's user never reads other partners' matches.
	partners := a.rc.WriteIDs()
	var joined map[int64]bool // threads staff were brought into
	if a.staff() && !a.rc.Everyone() {
		// The partners staff reach, and those of the threads they were
		// brought into; each engine then keeps exactly the right threads.
		var rows []struct {
			ThreadID  int64 `bun:"thread_id"`
			PartnerID int64 `bun:"partner_id"`
		}
		if err := s.db.NewSelect().Table("message_members").ColumnExpr("t.id AS thread_id, t.partner_id").
			Join("JOIN message_threads AS t ON t.id = message_members.thread_id").
			Where("message_members.user_id = ? AND message_members.participant", v.UserID).Scan(ctx, &rows); err != nil {
			return sm.SearchResult{}, fmt.Errorf("search messages: %w", err)
		}
		joined = make(map[int64]bool, len(rows))
		for _, r := range rows {
			joined[r.ThreadID] = true
			partners = append(partners, r.PartnerID)
		}
		partners = compact(append(partners, a.rc.IDs()...))
	} else if a.staff() {
		partners = nil
	}
	if partners != nil && len(partners) == 0 {
		return out, nil
	}
	match := matchExpr(pg, ts, nil)
	if !pg && len(partners) <= maxIndexedPartners {
		match = matchExpr(pg, ts, partners)
	}
	var cands []candidate
	if pg {
		cands, err = s.pgCandidates(ctx, a, ts, match, partners, joined)
	} else {
		sel := s.db.NewSelect().TableExpr("messages_fts").Join("JOIN messages AS m ON m.id = messages_fts.rowid").
			Where("messages_fts MATCH ?", match).OrderExpr("messages_fts.rowid DESC")
		sel = a.narrow(sel.ColumnExpr("m.id, m.body, m.names, m.subject").Join("JOIN message_threads AS t ON t.id = m.thread_id"), false)
		err = sel.Limit(searchCandidates).Scan(ctx, &cands)
	}
	if err != nil {
		return sm.SearchResult{}, fmt.Errorf("search messages: %w", err)
	}
	ranked := rank(cands, ts)
	from := min((q.Page-1)*q.PerPage, len(ranked))
	ranked = ranked[from:min(from+q.PerPage+1, len(ranked))]
	if len(ranked) > q.PerPage {
		out.More, ranked = true, ranked[:q.PerPage]
	}
	if len(ranked) == 0 {
		return out, nil
	}
	if out.Hits, err = s.hits(ctx, ranked, ts); err != nil {
		return sm.SearchResult{}, err
	}
	return out, nil
}

// rareLimit is how many matches make a search "rare" on PostgreSQL (see
// Service.rare).
const rareLimit = 5000

// pgCandidates finds the most recent matches the viewer may see on
// PostgreSQL. Its planner cannot know whether a word is rare: walking the
// newest messages and testing each is quick for a common word and reads
// the whole table for a rare one, and the index is the other way round.
// So the search first asks the index for a bounded number of matches in
// no order (cheap either way); when there are fewer than that, they are
// all of them and the newest are taken from them, and otherwise the word
// is common and the newest messages are walked. Words the table's
// statistics already know to be common skip the first step, whose index
// read is the costly part for them (see wordStats).
func (s *Service) pgCandidates(ctx context.Context, a access, ts []term, match string, partners []int64, joined map[int64]bool) ([]candidate, error) {
	// A partner's user reads few messages: the thread's membership is
	// checked in SQL. Staff read many: the query stays on messages alone
	// (by partner), and the threads they were only brought into are told
	// apart here.
	staff := a.staff()
	base := func() *bun.SelectQuery {
		q := s.db.NewSelect().TableExpr("messages AS m").Where("m.search @@ to_tsquery('simple', ?)", match)
		if partners != nil {
			q = q.Where("m.partner_id IN (?)", bun.List(partners))
		}
		if !staff {
			q = a.narrow(q.Join("JOIN message_threads AS t ON t.id = m.thread_id"), false)
		}
		return q
	}
	keep := func(cs []candidate) []candidate {
		if !staff || a.rc.Everyone() {
			return cs
		}
		return slices.DeleteFunc(cs, func(c candidate) bool { return !a.rc.CanRead(c.PartnerID) && !joined[c.ThreadID] })
	}
	var out []candidate
	cols := "m.id, m.thread_id, m.partner_id, m.body, m.names, m.subject"
	var ids []int64
	common := s.stats.common(ctx, s.db, ts, s.rare)
	if !common {
		if err := base().ColumnExpr("m.id").Limit(int64(s.rare+1)).Scan(ctx, &ids); err != nil {
			return nil, err
		}
	}
	if !common && len(ids) <= s.rare {
		if len(ids) == 0 {
			return nil, nil
		}
		slices.Sort(ids)
		slices.Reverse(ids)
		ids = ids[:min(len(ids), 2*searchCandidates)]
		err := s.db.NewSelect().TableExpr("messages AS m").ColumnExpr(cols).Where("m.id IN (?)", bun.List(ids)).
			OrderExpr("m.id DESC").Scan(ctx, &out)
		out = keep(out)
		return out[:min(len(out), searchCandidates)], err
	}
	err := base().ColumnExpr(cols).OrderExpr("m.id DESC").Limit(searchCandidates).Scan(ctx, &out)
	return keep(out), err
}

// wordStats keeps which words PostgreSQL's statistics of the search column
// know to be common (most_common_elems, refreshed by ANALYZE and
// autovacuum), read at most every few minutes.
type wordStats struct {
	mu   sync.Mutex
	at   time.Time
	rows float64            // the table's estimated rows
	freq map[string]float64 // word → share of messages holding it
}

// statsEvery is how long word statistics are used before they are read
// again.
const statsEvery = 5 * time.Minute

// common reports whether every whole word of the search is known to match
// more than limit messages: then the newest messages hold matches enough,
// and walking them is the quick way.
func (w *wordStats) common(ctx context.Context, db bun.IDB, ts []term, limit int) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if time.Since(w.at) > statsEvery {
		w.at, w.freq = time.Now(), map[string]float64{}
		var row struct {
			Elems []string  `bun:"elems,array"`
			Freqs []float64 `bun:"freqs,array"`
			Rows  float64   `bun:"rows"`
		}
		err := db.NewRaw(`SELECT s.most_common_elems::text::text[] AS elems, s.most_common_elem_freqs::float8[] AS freqs, c.reltuples::float8 AS rows
			FROM pg_stats AS s JOIN pg_class AS c ON c.relname = s.tablename AND c.relnamespace = to_regnamespace(s.schemaname)
			WHERE s.schemaname = current_schema() AND s.tablename = 'messages' AND s.attname = 'search'`).Scan(ctx, &row)
		if err == nil {
			w.rows = row.Rows
			for i, e := range row.Elems {
				if i < len(row.Freqs) {
					w.freq[e] = row.Freqs[i]
				}
			}
		}
	}
	for _, t := range ts {
		if t.prefix || w.freq[fold(t.text)]*w.rows <= float64(limit) {
			return false
		}
	}
	return len(ts) > 0
}

// candidate is a matching message to rank.
type candidate struct {
	ID        int64  `bun:"id"`
	ThreadID  int64  `bun:"thread_id"`
	PartnerID int64  `bun:"partner_id"`
	Body      string `bun:"body"`
	Names     string `bun:"names"`
	Subject   string `bun:"subject"`
	score     float64
}

// rank orders candidates by BM25 over the candidates themselves (term
// frequency with length normalisation; a match in the text or the
// thread's subject weighs 1, one in an attachment's name 0.6), the newest
// first among equals.
func rank(cands []candidate, ts []term) []candidate {
	const k1, b, namesWeight = 1.2, 0.75, 0.6
	if len(cands) == 0 {
		return cands
	}
	tf := make([][]float64, len(cands))
	length := make([]int, len(cands))
	df := make([]int, len(ts))
	total := 0
	for i, c := range cands {
		body, names := tokens(c.Subject+" "+c.Body), tokens(c.Names)
		tf[i], length[i] = make([]float64, len(ts)), len(body)+len(names)
		for j, t := range ts {
			tf[i][j] = float64(count(body, t)) + namesWeight*float64(count(names, t))
			if tf[i][j] > 0 {
				df[j]++
			}
		}
		total += length[i]
	}
	n, avg := float64(len(cands)), math.Max(1, float64(total)/float64(len(cands)))
	for i := range cands {
		score := 0.0
		for j := range ts {
			idf := math.Log(1 + (n-float64(df[j])+0.5)/(float64(df[j])+0.5))
			score += idf * tf[i][j] * (k1 + 1) / (tf[i][j] + k1*(1-b+b*float64(length[i])/avg))
		}
		cands[i].score = score
	}
	slices.SortStableFunc(cands, func(x, y candidate) int {
		if x.score != y.score {
			return cmp.Compare(y.score, x.score)
		}
		return cmp.Compare(y.ID, x.ID)
	})
	return cands
}

// count counts the tokens the term finds.
func count(tokens []string, t term) int {
	n := 0
	for _, tok := range tokens {
		if t.matches(tok) {
			n++
		}
	}
	return n
}

// hits loads what a page of results shows beside the text: subjects,
// partners, authors and the attachments whose names matched.
func (s *Service) hits(ctx context.Context, page []candidate, ts []term) ([]sm.Hit, error) {
	ids := make([]int64, len(page))
	for i, c := range page {
		ids[i] = c.ID
	}
	var rows []struct {
		ID          int64     `bun:"id"`
		ThreadID    int64     `bun:"thread_id"`
		Subject     string    `bun:"subject"`
		PartnerName string    `bun:"partner_name"`
		Author      string    `bun:"author"`
		At          time.Time `bun:"created_at"`
	}
	if err := s.db.NewSelect().TableExpr("messages AS m").
		ColumnExpr("m.id, m.thread_id, m.created_at, t.subject, p.name AS partner_name, COALESCE(u.name, '') AS author").
		Join("JOIN message_threads AS t ON t.id = m.thread_id").
		Join("JOIN partners AS p ON p.id = t.partner_id").
		Join("LEFT JOIN users AS u ON u.id = m.author_id").
		Where("m.id IN (?)", bun.List(ids)).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("load search hits: %w", err)
	}
	byID := map[int64]int{}
	for i, r := range rows {
		byID[r.ID] = i
	}
	out := make([]sm.Hit, 0, len(page))
	for _, c := range page {
		i, ok := byID[c.ID]
		if !ok {
			continue
		}
		r := rows[i]
		h := sm.Hit{ThreadID: r.ThreadID, MessageID: r.ID, Subject: r.Subject, PartnerName: r.PartnerName,
			Author: r.Author, At: r.At, Snippet: snippet(c.Body, ts)}
		if c.Names != "" {
			atts, err := s.attachments(ctx, r.ThreadID)
			if err != nil {
				return nil, err
			}
			for _, at := range atts[r.ID] {
				if nameMatches(at.Name, ts) {
					h.Attachments = append(h.Attachments, at)
				}
			}
		}
		out = append(out, h)
	}
	return out, nil
}

// nameMatches reports whether a file name has a word a term finds.
func nameMatches(name string, ts []term) bool {
	for _, tok := range tokens(name) {
		for _, t := range ts {
			if t.matches(tok) {
				return true
			}
		}
	}
	return false
}

// snippet cuts the passage of about snippetWords words with the most
// matches out of a message, as spans, the matching words marked. The text
// is the message's own, with runs of white space made one space.
func snippet(body string, ts []term) []sm.Span {
	type word struct {
		text  string // as written, with the punctuation after it
		match bool
	}
	var ws []word
	for _, f := range strings.Fields(body) {
		// A field may hold several tokens ("Contoso's,"): it matches when
		// any does.
		m := false
		for _, tok := range tokens(f) {
			for _, t := range ts {
				m = m || t.matches(tok)
			}
		}
		ws = append(ws, word{f, m})
	}
	if len(ws) == 0 {
		return nil
	}
	best, bestN, n := 0, -1, 0
	for i := range ws {
		if ws[i].match {
			n++
		}
		if i >= snippetWords && ws[i-snippetWords].match {
			n--
		}
		if start := max(0, i-snippetWords+1); n > bestN {
			best, bestN = start, n
		}
	}
	// Start a little before the first match of the window, for context.
	for i := best; i < min(best+snippetWords, len(ws)); i++ {
		if ws[i].match {
			best = max(0, min(i-3, len(ws)-snippetWords))
			break
		}
	}
	end := min(best+snippetWords, len(ws))
	var out []sm.Span
	add := func(text string, match bool) {
		if l := len(out); l > 0 && out[l-1].Match == match {
			out[l-1].Text += text
			return
		}
		out = append(out, sm.Span{Text: text, Match: match})
	}
	if best > 0 {
		add("…", false)
	}
	for i := best; i < end; i++ {
		if i > best {
			add(" ", false)
		}
		add(ws[i].text, ws[i].match)
	}
	if end < len(ws) {
		add(" …", false)
	}
	return out
}
