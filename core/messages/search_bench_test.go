package messages

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	sm "github.com/atriumhq/atrium/sdk/messages"
	"github.com/uptrace/bun"
)

// BenchmarkSearch measures search at scale: ATRIUM_BENCH_MESSAGES messages
// (default 100,000; the goal is stated for 1,000,000) in threads of ten,
// over ATRIUM_BENCH_PARTNERS partners (default 1,000), written in common
// words with a customer's name in about one message in twenty. It reports
// p50 and p99 of each kind of search, by a partner's user, a manager of
// a hundred partners and an admin, on the engine storetest picks:
//
//	go test -run '^$' -bench Search -benchtime 1x ./core/messages
//	ATRIUM_BENCH_MESSAGES=1000000 ATRIUM_TEST_DATABASE_URL=postgres://... go test ...
//
// ATRIUM_BENCH_ENGINE=sqlite or postgres measures one engine only.
func BenchmarkSearch(b *testing.B) {
	n := envInt("ATRIUM_BENCH_MESSAGES", 100_000)
	partners := envInt("ATRIUM_BENCH_PARTNERS", 1_000)
	for _, e := range storetest.Engines() {
		if only := os.Getenv("ATRIUM_BENCH_ENGINE"); only != "" && only != string(e) {
			continue
		}
		b.Run(string(e), func(b *testing.B) {
			db := storetest.OpenEngine(b, e)
			ctx := context.Background()
			start := time.Now()
			fx := generateMessages(b, db, partners, n)
			b.ReportMetric(time.Since(start).Seconds(), "generate-s")
			svc := New(db, directory.New(db), reach.New(db), Options{})
			queries := []struct {
				name string
				v    sdk.Viewer
				q    func(i int) string
			}{
				{"partner-customer", fx.partnerUser, func(i int) string {
					return fx.customersOf[fx.partnerUser.Partner.ID][i%len(fx.customersOf[fx.partnerUser.Partner.ID])]
				}},
				{"partner-common-word", fx.partnerUser, func(i int) string { return vocabulary[i%20] }},
				{"manager-customer", fx.manager, func(i int) string { return customer(i * 7) }},
				{"manager-common-word", fx.manager, func(i int) string { return vocabulary[i%20] }},
				{"admin-customer", fx.admin, func(i int) string { return customer(i * 13) }},
				{"admin-common-word", fx.admin, func(i int) string { return vocabulary[i%20] }},
				{"admin-two-words", fx.admin, func(i int) string { return customer(i*3) + " " + vocabulary[i%50] }},
				{"admin-prefix", fx.admin, func(i int) string { return vocabulary[i%30][:4] + "*" }},
			}
			// Writing at this scale: an admin answers 200 threads (a clock
			// that moves on keeps the flood limit out of the way).
			var threads []int64
			if err := db.NewSelect().Table("message_threads").Column("id").OrderExpr("id DESC").Limit(200).Scan(ctx, &threads); err != nil {
				b.Fatal(err)
			}
			clock := time.Now().UTC()
			writer := New(db, directory.New(db), reach.New(db), Options{Now: func() time.Time {
				clock = clock.Add(5 * time.Second)
				return clock
			}})
			var posts []time.Duration
			for _, id := range threads {
				t0 := time.Now()
				if _, err := writer.Post(ctx, fx.admin, sm.Post{ThreadID: id, Body: "Thanks, noted: renewal for " + customer(int(id))}); err != nil {
					b.Fatal(err)
				}
				posts = append(posts, time.Since(t0))
			}
			slices.Sort(posts)
			b.ReportMetric(float64(posts[len(posts)/2].Microseconds())/1000, "post-p50-ms")
			b.ReportMetric(float64(posts[len(posts)*99/100].Microseconds())/1000, "post-p99-ms")
			for i := 0; i < b.N; i++ {
				for _, qc := range queries {
					var took []time.Duration
					for j := range 200 {
						t0 := time.Now()
						if _, err := svc.Search(ctx, qc.v, sm.SearchQuery{Q: qc.q(j)}); err != nil {
							b.Fatal(err)
						}
						took = append(took, time.Since(t0))
					}
					slices.Sort(took)
					ms := func(q float64) float64 { return float64(took[int(q*float64(len(took)-1))].Microseconds()) / 1000 }
					b.ReportMetric(ms(0.5), qc.name+"-p50-ms")
					b.ReportMetric(ms(0.99), qc.name+"-p99-ms")
				}
			}
		})
	}
}

// vocabulary is the common words of the generated messages.
var vocabulary = strings.Fields(`renewal quote pricing discount license seats contract deal
customer meeting proposal demo training certification support invoice payment order shipment
migration rollout integration security compliance review approval budget forecast pipeline
partner program tier rebate marketing webinar campaign event launch update question answer
thanks please schedule call friday monday week month quarter year team manager technical
legal procurement signature deadline timeline milestone project kickoff workshop onboarding`)

func customer(i int) string { return "customer" + strconv.Itoa(i%5000) }

type messageFixture struct {
	admin, manager, partnerUser sdk.Viewer
	customersOf                 map[int64][]string
}

// generateMessages writes the partners, users, threads and messages in
// bulk, the way a program that has used Messages for years looks.
func generateMessages(b testing.TB, db *bun.DB, partners, n int) messageFixture {
	b.Helper()
	ctx := context.Background()
	dir := directory.New(db)
	user := func(email string, role sdk.Role, p *directory.Partner) directory.User {
		in := directory.UserInput{Email: email, Name: email, Role: role}
		if p != nil {
			in.PartnerID = &p.ID
		}
		u, err := dir.CreateUser(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		return u
	}
	admin := user("admin@bench.test", sdk.RoleAdmin, nil)
	manager := user("manager@bench.test", sdk.RoleManager, nil)
	other := user("other@bench.test", sdk.RoleManager, nil)
	fx := messageFixture{admin: admin.Viewer(nil), manager: manager.Viewer(nil), customersOf: map[int64][]string{}}
	var pts []directory.Partner
	var authors []int64
	for i := range partners {
		m := other.ID
		if i < 100 {
			m = manager.ID
		}
		p, err := dir.CreatePartner(ctx, directory.PartnerInput{Name: fmt.Sprintf("Partner %04d", i), Type: "reseller", Tier: "gold", Stage: "active", ManagerID: &m})
		if err != nil {
			b.Fatal(err)
		}
		u := user(fmt.Sprintf("u%d@p%d.test", i, i), sdk.RolePartnerUser, &p)
		if i == 0 {
			fx.partnerUser = u.Viewer(&p)
		}
		pts = append(pts, p)
		authors = append(authors, u.ID)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	now := time.Now().UTC()
	threads := (n + 9) / 10
	const batch = 500
	for first := 0; first < threads; first += batch {
		var ts []threadRow
		for i := first; i < min(first+batch, threads); i++ {
			p := pts[i%len(pts)]
			at := now.Add(-time.Duration(threads-i) * time.Minute)
			ts = append(ts, threadRow{PartnerID: p.ID, Subject: "Thread " + strconv.Itoa(i), Status: sm.Open, CreatedAt: at, LastMessageAt: at, MessageCount: 10})
		}
		if _, err := db.NewInsert().Model(&ts).Returning("id").Exec(ctx); err != nil {
			b.Fatal(err)
		}
		var ms []messageRow
		var members []memberRow
		for k, t := range ts {
			author := authors[(first+k)%len(pts)]
			members = append(members, memberRow{ThreadID: t.ID, UserID: author, Participant: true, AddedAt: t.CreatedAt})
			for j := range 10 {
				words := make([]string, 12+rng.IntN(20))
				for w := range words {
					words[w] = vocabulary[min(int(rng.ExpFloat64()*12), len(vocabulary)-1)]
				}
				m := messageRow{ThreadID: t.ID, PartnerID: t.PartnerID, AuthorID: &author, Via: ViaPortal, CreatedAt: t.CreatedAt.Add(time.Duration(j) * time.Second)}
				if rng.IntN(20) == 0 {
					c := customer(rng.IntN(5000))
					words[rng.IntN(len(words))] = c
					fx.customersOf[t.PartnerID] = append(fx.customersOf[t.PartnerID], c)
				}
				if rng.IntN(100) == 0 {
					m.Names = "Contract " + customer(rng.IntN(5000)) + ".pdf"
				}
				m.Body = strings.Join(words, " ")
				ms = append(ms, m)
			}
		}
		if _, err := db.NewInsert().Model(&members).Exec(ctx); err != nil {
			b.Fatal(err)
		}
		if _, err := db.NewInsert().Model(&ms).Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
	if len(fx.customersOf[fx.partnerUser.Partner.ID]) == 0 {
		fx.customersOf[fx.partnerUser.Partner.ID] = []string{"renewal"}
	}
	if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	return fx
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
