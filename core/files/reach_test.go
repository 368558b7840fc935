package files_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/atriumhq/atrium/core/blob"
	"github.com/atriumhq/atrium/core/content"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/reach/reachtest"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	sdkcontent "github.com/atriumhq/atrium/sdk/content"
	"github.com/uptrace/bun"
)

// spaces plays the conformance test on shared spaces through the host
// calls the Shared Files room makes: a record is a file in a partner's
// space; a viewer lists each space they may open, loads the file, and
// changes it by commenting.
type spaces struct {
	svc      *files.Service
	f        *host.Factory
	partners *[]int64
}

func (a spaces) Create(ctx context.Context, w *reachtest.World, p directory.Partner) (string, error) {
	*a.partners = append(*a.partners, p.ID)
	u := w.Users[p.Slug+"-user"]
	f, _, err := a.svc.Create(ctx, files.NewFile{Kind: files.KindShared, PartnerID: &p.ID, By: u.UserID},
		files.Upload{Name: "plan.pdf", Body: bytes.NewReader(pdf(64))})
	return strconv.FormatInt(f.ID, 10), err
}

// List opens the viewer's own space and each partner's by id.
func (a spaces) List(ctx context.Context, v sdk.Viewer) ([]string, error) {
	var ids []string
	for _, id := range append([]int64{0}, *a.partners...) {
		sp, err := sdkcontent.ListSpace.Call(ctx, a.f.For(v), sdkcontent.SpaceQuery{PartnerID: id})
		if err != nil && !refusedErr(err) {
			return nil, err
		}
		for _, f := range sp.Files {
			ids = append(ids, strconv.FormatInt(f.ID, 10))
		}
	}
	return ids, nil
}

func (a spaces) Load(ctx context.Context, v sdk.Viewer, id string) error {
	n, _ := strconv.ParseInt(id, 10, 64)
	_, err := sdkcontent.GetSharedFile.Call(ctx, a.f.For(v), sdkcontent.Ref{ID: n})
	return err
}

func (a spaces) Change(ctx context.Context, v sdk.Viewer, id string) error {
	n, _ := strconv.ParseInt(id, 10, 64)
	_, err := sdkcontent.CommentFile.Call(ctx, a.f.For(v), sdkcontent.NewComment{FileID: n, Body: "Signed copy attached."})
	return err
}

func refusedErr(err error) bool {
	return errors.Is(err, sdk.ErrNotFound) || errors.Is(err, sdk.ErrPermission)
}

func newSpaces(t *testing.T, db *bun.DB) spaces {
	blobs, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc := files.New(db, blobs, files.Options{})
	c := &content.Service{Files: svc, Dir: directory.New(db), Reach: reach.New(db),
		Program: func() program.Program { return program.Default() }}
	f := host.New(nil)
	c.Register(f)
	return spaces{svc: svc, f: f, partners: new([]int64)}
}

// TestReach is the whole conformance test. A shared space is private to
// its partner (docs/content.md): a distributor does not read its
// sub-partners' files.
func TestReach(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		reachtest.Run(t, db, newSpaces(t, db), reachtest.Writers{Private: true})
	})
}

// TestReachPreviewAndDeactivated: a preview with no staff behind it, and a
// deactivated user, neither read nor comment on their partner's files.
func TestReachPreviewAndDeactivated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := reachtest.NewWorld(t, db)
		a := newSpaces(t, db)
		id, err := a.Create(ctx, w, w.Sub)
		if err != nil {
			t.Fatal(err)
		}
		user := w.Users[w.Sub.Slug+"-user"]
		if err := a.Load(ctx, user, id); err != nil {
			t.Fatalf("the partner's user: %v", err)
		}
		preview := user
		preview.Preview = true
		check := func(who string, v sdk.Viewer) {
			listed, err := a.List(ctx, v)
			if err != nil || len(listed) > 0 {
				t.Errorf("%s lists %v, %v", who, listed, err)
			}
			if err := a.Load(ctx, v, id); !errors.Is(err, sdk.ErrNotFound) {
				t.Errorf("%s loads the file: %v", who, err)
			}
			if err := a.Change(ctx, v, id); !errors.Is(err, sdk.ErrNotFound) {
				t.Errorf("%s comments: %v", who, err)
			}
		}
		check("a preview", preview)
		if err := w.Dir.SetActive(ctx, user.UserID, false); err != nil {
			t.Fatal(err)
		}
		check("a deactivated user", user)
	})
}
