package library_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"sort"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/blob/blobtest"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/library"
	"github.com/atriumhq/atrium/core/principal"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/content"
	"github.com/uptrace/bun"
)

func viewers(t testing.TB, db *bun.DB) (reseller, referral, staff library.Viewer) {
	ctx := context.Background()
	d := directory.New(db)
	pa, err := d.CreatePartner(ctx, directory.PartnerInput{Name: "Carlos", Type: "reseller", Tier: "gold", Stage: "active"})
	if err != nil {
		t.Fatal(err)
	}
	pb, _ := d.CreatePartner(ctx, directory.PartnerInput{Name: "Northwind", Type: "referral", Tier: "bronze", Stage: "active"})
	ua, _ := d.CreateUser(ctx, directory.UserInput{Email: "a@a.example", Name: "A", Role: sdk.RolePartnerUser, ContactRole: "sales", PartnerID: &pa.ID})
	ub, _ := d.CreateUser(ctx, directory.UserInput{Email: "b@b.example", Name: "B", Role: sdk.RolePartnerUser, ContactRole: "sales", PartnerID: &pb.ID})
	m, _ := d.CreateUser(ctx, directory.UserInput{Email: "m@v.example", Name: "M", Role: sdk.RoleManager})
	prog := program.Default()
	return library.Viewer{P: &principal.Principal{User: ua, Partner: &pa}, Program: prog},
		library.Viewer{P: &principal.Principal{User: ub, Partner: &pb}, Program: prog},
		library.Viewer{P: &principal.Principal{User: m}, Program: prog}
}

func titles(p content.ResourcePage) []string {
	var out []string
	for _, r := range p.Items {
		out = append(out, r.Title)
	}
	return out
}

func TestSearchAndFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		fs := files.New(db, blobtest.Dir(t), files.Options{})
		lib := library.New(db, fs)
		reseller, referral, staff := viewers(t, db)
		prog := program.Default()
		f, _, err := fs.Create(ctx, files.NewFile{Kind: files.KindResource}, files.Upload{Name: "hc.pdf", Body: bytes.NewReader([]byte("%PDF-1.4\nhello"))})
		if err != nil {
			t.Fatal(err)
		}
		past := time.Now().Add(-time.Hour)
		for _, in := range []library.Input{
			{Title: "Healthcare case study", Category: "sales", Folder: "Case studies", Tags: []string{"industry:healthcare", "type:case-study"}, Review: &past},
			{Title: "Retail case study", Category: "sales", Folder: "Case studies", Tags: []string{"industry:retail", "type:case-study"}},
			{Title: "Reseller price list", Category: "sales", Tags: []string{"type:pricing"}, Audience: sdk.Audience{PartnerTypes: []string{"reseller"}}},
			{Title: "API guide", Description: "REST and webhooks", Category: "technical", Folder: "Guides"},
			{Title: "Old brochure", Category: "marketing"},
		} {
			var fid *int64
			if in.Title == "Healthcare case study" {
				fid = &f.ID
			}
			r, err := lib.Create(ctx, in, fid, prog)
			if err != nil {
				t.Fatal(err)
			}
			if in.Title == "Old brochure" {
				if err := lib.Archive(ctx, r.ID, true); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, tc := range []struct {
			name string
			v    library.Viewer
			q    content.ResourceQuery
			want []string
		}{
			{"healthcare case studies", referral, content.ResourceQuery{Tags: []string{"industry:healthcare", "type:case-study"}}, []string{"Healthcare case study"}},
			{"folder and category", referral, content.ResourceQuery{Folder: "Case studies", Category: "sales", Sort: "title"}, []string{"Healthcare case study", "Retail case study"}},
			{"search description", referral, content.ResourceQuery{Search: "webhooks"}, []string{"API guide"}},
			{"search tag", referral, content.ResourceQuery{Search: "retail"}, []string{"Retail case study"}},
			{"audience admits reseller", reseller, content.ResourceQuery{Search: "price"}, []string{"Reseller price list"}},
			{"audience hides from referral", referral, content.ResourceQuery{Search: "price"}, nil},
			{"archived hidden", referral, content.ResourceQuery{Search: "brochure", Archived: true}, nil},
			{"archived for staff", staff, content.ResourceQuery{Search: "brochure", Archived: true}, []string{"Old brochure"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p, err := lib.List(ctx, tc.v, tc.q)
				if err != nil {
					t.Fatal(err)
				}
				if got := titles(p); fmt.Sprint(got) != fmt.Sprint(tc.want) {
					t.Fatalf("got %q, want %q", got, tc.want)
				}
			})
		}
		p, _ := lib.List(ctx, staff, content.ResourceQuery{Tags: []string{"industry:healthcare"}})
		if len(p.Items) != 1 || !p.Items[0].ReviewDue || p.Items[0].DownloadURL == "" || p.Items[0].FileName != "hc.pdf" {
			t.Fatalf("staff view %+v", p.Items)
		}
		if p, _ := lib.List(ctx, referral, content.ResourceQuery{Tags: []string{"industry:healthcare"}}); p.Items[0].ReviewDue || p.Items[0].Downloads != 0 {
			t.Fatalf("partner sees staff facts: %+v", p.Items[0])
		}
		if _, err := lib.Create(ctx, library.Input{Title: "x", Tags: []string{"Bad Tag"}, Category: "nope"}, nil, prog); err == nil {
			t.Fatal("bad input accepted")
		}
	})
}

// BenchmarkSearch50k measures a search with combined filters over a library
// of 50,000 resources, as a partner sees it, and reports the p99.
func BenchmarkSearch50k(b *testing.B) {
	db := storetest.Open(b)
	ctx := context.Background()
	industries := []string{"healthcare", "retail", "finance", "manufacturing", "education", "public-sector"}
	types := []string{"case-study", "brochure", "battle-card", "webinar", "datasheet"}
	rows := make([]library.Resource, 0, 50_000)
	for i := range 50_000 {
		r := library.Resource{Collection: content.Library, Title: fmt.Sprintf("Resource %d about %s", i, industries[i%6]),
			Description: "A long description of product number " + fmt.Sprint(i%97), Category: content.Categories[i%5],
			Folder: fmt.Sprintf("Folder %d", i%40), Tags: []string{"industry:" + industries[i%6], "type:" + types[i%5], fmt.Sprintf("product:p%d", i%12)},
			CreatedMS: int64(i), UpdatedMS: int64(i)}
		if i%10 == 0 {
			r.Audience = sdk.Audience{PartnerTypes: []string{"reseller"}}
		}
		rows = append(rows, r)
	}
	for i := 0; i < len(rows); i += 2000 {
		if _, err := db.NewInsert().Model(ptr(rows[i:min(i+2000, len(rows))])).Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
	lib := library.New(db, nil)
	reseller, _, _ := viewers(b, db)
	queries := []content.ResourceQuery{
		{Tags: []string{"industry:healthcare", "type:case-study"}, Sort: "downloads"},
		{Search: "product number 42", Category: "sales"},
		{Folder: "Folder 7", Sort: "title"},
		{Search: "retail", Tags: []string{"product:p3"}},
	}
	loadStart := time.Now()
	if _, err := lib.List(ctx, reseller, queries[0]); err != nil { // load the snapshot
		b.Fatal(err)
	}
	b.ReportMetric(float64(time.Since(loadStart).Milliseconds()), "load-ms")
	durs := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		if _, err := lib.List(ctx, reseller, queries[i%len(queries)]); err != nil {
			b.Fatal(err)
		}
		durs = append(durs, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
	b.ReportMetric(float64(durs[len(durs)*99/100].Microseconds())/1000, "p99-ms")
}

func ptr[T any](v T) *T { return &v }

// Edits merge into the snapshot while others search it; an edit is visible
// to the next search, and download counts follow within RefreshEvery.
func TestConcurrentEdits(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	lib := library.New(db, nil)
	reseller, _, _ := viewers(t, db)
	prog := program.Default()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 200 {
			if _, err := lib.List(ctx, reseller, content.ResourceQuery{Tags: []string{"type:note"}, Sort: "title"}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for i := range 20 {
		if _, err := lib.Create(ctx, library.Input{Title: fmt.Sprintf("Note %02d", i), Folder: fmt.Sprintf("F%d", i%3), Tags: []string{"type:note", fmt.Sprintf("product:p%d", i)}}, nil, prog); err != nil {
			t.Fatal(err)
		}
		p, err := lib.List(ctx, reseller, content.ResourceQuery{Tags: []string{fmt.Sprintf("product:p%d", i)}})
		if err != nil || len(p.Items) != 1 {
			t.Fatalf("edit %d not visible: %+v %v", i, p.Items, err)
		}
	}
	<-done
	p, _ := lib.List(ctx, reseller, content.ResourceQuery{Tags: []string{"type:note"}})
	if p.Total != 20 || len(p.Folders) != 3 {
		t.Fatalf("total %d, folders %v", p.Total, p.Folders)
	}
}

// Downloads are counted from the access log, refreshed in the background
// after RefreshEvery, and sort "most downloaded".
func TestDownloadCounts(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	fs := files.New(db, blobtest.Dir(t), files.Options{})
	now := time.Now()
	lib := library.New(db, fs).WithClock(func() time.Time { return now })
	reseller, _, staff := viewers(t, db)
	prog := program.Default()
	var fileIDs []int64
	for _, title := range []string{"Alpha", "Beta"} {
		f, _, err := fs.Create(ctx, files.NewFile{Kind: files.KindResource}, files.Upload{Name: title + ".pdf", Body: bytes.NewReader([]byte("%PDF-1.4\n" + title))})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := lib.Create(ctx, library.Input{Title: title}, &f.ID, prog); err != nil {
			t.Fatal(err)
		}
		fileIDs = append(fileIDs, f.ID)
	}
	if _, err := lib.List(ctx, staff, content.ResourceQuery{}); err != nil {
		t.Fatal(err)
	}
	fv := files.Viewer{P: reseller.P, Program: prog}
	for range 3 {
		rec := httptest.NewRecorder()
		if err := fs.Serve(rec, httptest.NewRequest("GET", "/", nil), fv, fileIDs[0], 0, false); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(library.RefreshEvery)
	lib.List(ctx, staff, content.ResourceQuery{}) // starts the refresh
	deadline := time.Now().Add(5 * time.Second)
	for {
		p, _ := lib.List(ctx, staff, content.ResourceQuery{Sort: "downloads"})
		if p.Items[0].Title == "Alpha" && p.Items[0].Downloads == 3 && p.Items[1].Downloads == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("counts did not refresh: %+v", p.Items)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Reports name the resources they count by id, archived ones included.
func TestTitles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		lib := library.New(db, nil)
		prog := program.Default()
		a, err := lib.Create(ctx, library.Input{Title: "Price list"}, nil, prog)
		if err != nil {
			t.Fatal(err)
		}
		b, err := lib.Create(ctx, library.Input{Title: "Old brochure"}, nil, prog)
		if err != nil {
			t.Fatal(err)
		}
		if err := lib.Archive(ctx, b.ID, true); err != nil {
			t.Fatal(err)
		}
		got, err := lib.Titles(ctx, []int64{a.ID, b.ID, b.ID + 1000})
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]string{a.ID: "Price list", b.ID: "Old brochure"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("titles %v, want %v", got, want)
		}
		if got, err := lib.Titles(ctx, nil); err != nil || len(got) != 0 {
			t.Fatalf("no ids: %v, %v", got, err)
		}
	})
}
