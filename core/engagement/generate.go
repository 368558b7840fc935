package engagement

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/uptrace/bun"
)

// PartnerUsers is a partner and the users to generate activity for.
type PartnerUsers struct {
	PartnerID int64
	UserIDs   []int64
}

// RoomRef is a room events can happen in.
type RoomRef struct {
	ID   int64
	Slug string
}

// GenerateOptions describe the history to write.
type GenerateOptions struct {
	// Population is the existing partners and their users (the demo's).
	// When empty, a synthetic population is made: partner ids 1..Partners
	// and user ids 1..Users spread over them (at least one user each). Those
	// ids exist only in the events unless the directory has them too.
	Population []PartnerUsers
	Partners   int
	Users      int
	// Rooms and Resources are what events point at; empty means synthetic
	// rooms 1..10 and resources 1..300.
	Rooms     []RoomRef
	Resources []int64
	// Events is how many events to write, exactly.
	Events int
	// From and To bound the history [From, To), by UTC day.
	From, To time.Time
	// Seed makes the history reproducible.
	Seed uint64
	// Progress, when set, is called after every batch written.
	Progress func(done, total int)
	// BatchSize is the events per write transaction (default 20000).
	BatchSize int
}

// GenerateResult says what story the history tells.
type GenerateResult struct {
	Events int
	// Quiet partners stop visiting at some point; Passive ones visit but
	// never act; Fading ones' sessions get shorter towards the end.
	Quiet, Passive, Fading []int64
}

// Generate writes realistic engagement history through the same batch
// writer as the recorder: business-hours sessions in each partner's time
// zone, quiet weekends, a summer and a year-end dip, growth over time, a
// few very active partners and many light ones, and partners that go
// quiet, never act, or visit ever more briefly. It writes raw events only:
// when the rollup job has already passed From, call [Job.Rebuild] after.
func Generate(ctx context.Context, db *bun.DB, opts GenerateOptions) (GenerateResult, error) {
	g, err := newGenerator(opts)
	if err != nil {
		return GenerateResult{}, err
	}
	return g.run(ctx, func(evs []Event) error { return writeEvents(ctx, db, evs) })
}

type genPartner struct {
	id           int64
	weight       float64
	users        []int64
	userCum      []float64 // cumulative user weights
	start, quiet int32     // first active day; first silent day (0: never)
	fadeFrom     int32     // day sessions start getting shorter (0: never)
	passive      bool
	tz           int // hours from UTC
	room         int // current room index during a session
}

type generator struct {
	opts      GenerateOptions
	rng       *rand.Rand
	partners  []genPartner
	cum       []float64 // cumulative partner weights
	rooms     []RoomRef
	roomPaths []string
	roomCum   []float64
	resources []int64
	resPaths  []string
	resCum    []float64
	from, to  int32
	result    GenerateResult
}

var genActions = []struct {
	name     string
	weight   float64
	resource bool
}{
	{ActionVideoPlay, 18, true}, {ActionDownload, 20, true}, {ActionLinkClick, 14, false}, {ActionImageView, 8, true},
	{ActionPDFOpen, 12, true}, {ActionCardView, 16, false}, {ActionGoalComplete, 3, false}, {ActionSearch, 9, false},
}

func newGenerator(opts GenerateOptions) (*generator, error) {
	g := &generator{opts: opts, rng: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))}
	g.from, g.to = dayOf(opts.From.UTC()), dayOf(opts.To.UTC())
	switch {
	case opts.Events <= 0:
		return nil, errors.New("generate: the number of events must be positive")
	case g.to <= g.from:
		return nil, errors.New("generate: the range must end after it starts")
	case len(opts.Population) == 0 && (opts.Partners <= 0 || opts.Users < opts.Partners):
		return nil, errors.New("generate: give a population, or synthetic partners and at least as many users")
	}
	if g.opts.BatchSize <= 0 {
		g.opts.BatchSize = 20000
	}
	pop := opts.Population
	if len(pop) == 0 {
		pop = g.synthetic(opts.Partners, opts.Users)
	}
	span := float64(g.to - g.from)
	for _, pu := range pop {
		if len(pu.UserIDs) == 0 {
			continue
		}
		p := genPartner{id: pu.PartnerID, users: pu.UserIDs, weight: math.Exp(g.rng.NormFloat64()),
			start: g.from, tz: []int{-8, -7, -5, -4, -3, 0, 1, 1, 2, 3, 5, 8, 9, 10}[g.rng.IntN(14)]}
		if g.rng.Float64() < 0.15 {
			p.start = g.from + int32(g.rng.Float64()*0.7*span)
		}
		r := g.rng.Float64()
		switch {
		case r < 0.12 && pu.PartnerID != 0:
			p.quiet = g.from + int32((0.4+0.55*g.rng.Float64())*span)
			p.quiet = max(p.quiet, p.start+7)
			g.result.Quiet = append(g.result.Quiet, p.id)
		case r < 0.20 && pu.PartnerID != 0:
			p.passive = true
			g.result.Passive = append(g.result.Passive, p.id)
		case r < 0.28:
			p.fadeFrom = g.from + int32((0.6+0.2*g.rng.Float64())*span)
			g.result.Fading = append(g.result.Fading, p.id)
		}
		sum := 0.0
		for range p.users {
			sum += math.Exp(0.7 * g.rng.NormFloat64())
			p.userCum = append(p.userCum, sum)
		}
		g.partners = append(g.partners, p)
	}
	if len(g.partners) == 0 {
		return nil, errors.New("generate: the population has no users")
	}
	sum := 0.0
	for _, p := range g.partners {
		sum += p.weight
		g.cum = append(g.cum, sum)
	}
	g.rooms = opts.Rooms
	if len(g.rooms) == 0 {
		for i, s := range []string{"overview", "resources", "leads", "deals", "training", "brand", "projects", "messages", "files", "contacts"} {
			g.rooms = append(g.rooms, RoomRef{int64(i + 1), s})
		}
	}
	g.resources = opts.Resources
	if len(g.resources) == 0 {
		for i := range 300 {
			g.resources = append(g.resources, int64(i+1))
		}
	}
	g.roomCum = zipf(len(g.rooms), 1.0)
	g.resCum = zipf(len(g.resources), 0.9)
	for _, r := range g.rooms {
		g.roomPaths = append(g.roomPaths, "/r/"+r.Slug)
	}
	for _, id := range g.resources {
		g.resPaths = append(g.resPaths, "/items/"+strconv.FormatInt(id, 10))
	}
	return g, nil
}

// synthetic spreads users over partners: one each, the rest by partner size.
func (g *generator) synthetic(partners, users int) []PartnerUsers {
	out := make([]PartnerUsers, partners)
	weights := make([]float64, partners)
	sum := 0.0
	for i := range out {
		out[i] = PartnerUsers{PartnerID: int64(i + 1), UserIDs: []int64{int64(i + 1)}}
		sum += math.Exp(0.8 * g.rng.NormFloat64())
		weights[i] = sum
	}
	for u := partners + 1; u <= users; u++ {
		i := pick(weights, g.rng.Float64()*sum)
		out[i].UserIDs = append(out[i].UserIDs, int64(u))
	}
	return out
}

func zipf(n int, s float64) []float64 {
	out := make([]float64, n)
	sum := 0.0
	for i := range n {
		sum += 1 / math.Pow(float64(i+1), s)
		out[i] = sum
	}
	return out
}

// pick returns the index of the first cumulative weight above x.
func pick(cum []float64, x float64) int {
	i, _ := slices.BinarySearch(cum, x)
	return min(i, len(cum)-1)
}

func (g *generator) pickFrom(cum []float64) int { return pick(cum, g.rng.Float64()*cum[len(cum)-1]) }

func (p *genPartner) alive(day int32) bool {
	return day >= p.start && (p.quiet == 0 || day < p.quiet)
}

// dayWeight is the relative activity of a UTC day: weekdays over weekends,
// a seasonal wave with dips in August and around the new year, and growth.
func (g *generator) dayWeight(day int32) float64 {
	t := time.Unix(int64(day)*86400, 0).UTC()
	w := [7]float64{0.12, 1, 1.05, 1.05, 1, 0.8, 0.1}[t.Weekday()]
	doy := float64(t.YearDay())
	w *= 1 + 0.2*math.Sin(2*math.Pi*(doy-60)/365)
	if t.Month() == time.August {
		w *= 0.65
	}
	if (t.Month() == time.December && t.Day() >= 20) || (t.Month() == time.January && t.Day() <= 3) {
		w *= 0.35
	}
	if m := t.Month(); (m == 3 || m == 6 || m == 9 || m == 12) && t.Day() >= 20 {
		w *= 1.15 // end-of-quarter push
	}
	return w * (0.75 + 0.5*float64(day-g.from)/float64(g.to-g.from))
}

// run generates the history in time order and hands it to sink in batches.
func (g *generator) run(ctx context.Context, sink func([]Event) error) (GenerateResult, error) {
	total := g.opts.Events
	days := int(g.to - g.from)
	capacity := make([]float64, days)
	sum := 0.0
	for i := range days {
		d := g.from + int32(i)
		alive := 0.0
		for j := range g.partners {
			if g.partners[j].alive(d) {
				alive += g.partners[j].weight
			}
		}
		capacity[i] = g.dayWeight(d) * alive
		sum += capacity[i]
	}
	if sum == 0 {
		return g.result, errors.New("generate: no partner is active in the range")
	}
	var pending, out []Event
	written := 0
	flush := func(all bool) error {
		for len(out) >= g.opts.BatchSize || (all && len(out) > 0) {
			n := min(len(out), g.opts.BatchSize)
			if err := sink(out[:n]); err != nil {
				return fmt.Errorf("generate: %w", err)
			}
			written += n
			out = append(out[:0], out[n:]...)
			if g.opts.Progress != nil {
				g.opts.Progress(written, total)
			}
		}
		return nil
	}
	budgetDone, acc := 0, 0.0
	for i := range days {
		if err := ctx.Err(); err != nil {
			return g.result, err
		}
		d := g.from + int32(i)
		acc += capacity[i]
		budget := int(math.Round(float64(total)*acc/sum)) - budgetDone
		budgetDone += budget
		for budget > 0 {
			p := &g.partners[g.pickFrom(g.cum)]
			if !p.alive(d) {
				continue
			}
			budget -= g.session(p, d, budget, &pending)
		}
		// Sessions start on their day: whatever is before the next day's
		// start is final, the rest waits.
		slices.SortFunc(pending, func(a, b Event) int { return a.At.Compare(b.At) })
		next := time.Unix(int64(d+1)*86400, 0)
		cut, _ := slices.BinarySearchFunc(pending, next, func(e Event, t time.Time) int { return e.At.Compare(t) })
		out = append(out, pending[:cut]...)
		pending = append(pending[:0], pending[cut:]...)
		if err := flush(false); err != nil {
			return g.result, err
		}
	}
	out = append(out, pending...)
	if err := flush(true); err != nil {
		return g.result, err
	}
	g.result.Events = written
	return g.result, nil
}

// session appends one session of at most limit events for a user of p on
// day d and returns how many it made.
func (g *generator) session(p *genPartner, d int32, limit int, pending *[]Event) int {
	user := p.users[g.pickFrom(p.userCum)]
	n := min(limit, 1+int(g.rng.ExpFloat64()*6.5), 80)
	hour := min(20.5, max(7, 13+2.5*g.rng.NormFloat64())) - float64(p.tz)
	hour = math.Mod(hour+48, 24)
	at := time.Unix(int64(d)*86400, 0).Add(time.Duration(hour * float64(time.Hour))).UTC()
	gapScale := 80.0 // seconds
	if p.fadeFrom != 0 && d > p.fadeFrom {
		gapScale *= max(0.15, 1-1.2*float64(d-p.fadeFrom)/float64(max(1, g.to-p.fadeFrom)))
	}
	p.room = g.pickFrom(g.roomCum)
	for i := range n {
		if i > 0 {
			gap := min(20*60, max(2, g.rng.ExpFloat64()*gapScale))
			if g.rng.Float64() < 0.04 { // stepped away: a meeting, lunch
				gap = 600 + 3000*g.rng.Float64()
			}
			at = at.Add(time.Duration(gap * float64(time.Second)))
		}
		ev := Event{At: at, UserID: user, PartnerID: p.id}
		r := g.rng.Float64()
		switch {
		case i == 0 || (p.passive && r < 0.55) || (!p.passive && r < 0.25):
			if i > 0 {
				p.room = g.pickFrom(g.roomCum)
			}
			ev.Kind, ev.Name = PageView, PageRoom
			ev.Path = g.roomPaths[p.room]
		case p.passive || r < 0.45:
			k := g.pickFrom(g.resCum)
			ev.Kind, ev.Name = PageView, PageItem
			ev.ResourceID = g.resources[k]
			ev.Path = g.resPaths[k]
		default:
			a := genActions[g.pickFrom(genActionCum)]
			ev.Kind, ev.Name = Action, a.name
			ev.Path = g.roomPaths[p.room]
			ev.BlockID = blockIDs[g.rng.IntN(len(blockIDs))]
			if a.resource {
				ev.ResourceID = g.resources[g.pickFrom(g.resCum)]
			}
			if a.name == ActionSearch {
				ev.Meta = []byte(`{"results":` + strconv.Itoa(g.rng.IntN(40)) + `}`)
			}
		}
		ev.RoomID, ev.RoomSlug = g.rooms[p.room].ID, g.rooms[p.room].Slug
		*pending = append(*pending, ev)
	}
	return n
}

var blockIDs = []string{"intro", "videos", "documents", "links", "gallery", "goals"}

var genActionCum = func() []float64 {
	var out []float64
	sum := 0.0
	for _, a := range genActions {
		sum += a.weight
		out = append(out, sum)
	}
	return out
}()
