package contacts_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"

	"github.com/atriumhq/atrium/core/contacts"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/core/reach/reachtest"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	sdkdir "github.com/atriumhq/atrium/sdk/directory"
	"github.com/uptrace/bun"
)

// partnerContacts plays the conformance test on the Contacts room: a
// record is a partner's contact list (its team and the vendor's people for
// it), named by the partner's id. No viewer changes it through the host:
// vendor contacts are assigned on an admin page, so every change is
// refused.
type partnerContacts struct {
	f        *host.Factory
	partners *[]int64
	// member is the partner each user of the partners' teams belongs to.
	member map[int64]int64
}

func (a partnerContacts) Create(_ context.Context, w *reachtest.World, p directory.Partner) (string, error) {
	*a.partners = append(*a.partners, p.ID)
	for _, role := range []string{"-admin", "-user"} {
		a.member[w.Users[p.Slug+role].UserID] = p.ID
	}
	return strconv.FormatInt(p.ID, 10), nil
}

// List asks for the viewer's own contacts and for each partner's by id,
// and counts those that come back with the partner's team in them.
func (a partnerContacts) List(ctx context.Context, v sdk.Viewer) ([]string, error) {
	var ids []string
	for _, id := range append([]int64{0}, *a.partners...) {
		c, err := sdkdir.ListContacts.Call(ctx, a.f.For(v), sdkdir.ContactsQuery{PartnerID: id})
		if err != nil && !refused(err) {
			return nil, err
		}
		for _, p := range *a.partners {
			if a.team(c, p) {
				ids = append(ids, strconv.FormatInt(p, 10))
			}
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

func refused(err error) bool {
	return errors.Is(err, sdk.ErrNotFound) || errors.Is(err, sdk.ErrPermission)
}

// team reports whether c lists partner p's team.
func (a partnerContacts) team(c sdkdir.Contacts, p int64) bool {
	return slices.ContainsFunc(c.Team, func(m sdkdir.Contact) bool { return a.member[m.UserID] == p })
}

func (a partnerContacts) Load(ctx context.Context, v sdk.Viewer, id string) error {
	n, _ := strconv.ParseInt(id, 10, 64)
	c, err := sdkdir.ListContacts.Call(ctx, a.f.For(v), sdkdir.ContactsQuery{PartnerID: n})
	if err == nil && !a.team(c, n) {
		err = sdk.ErrNotFound
	}
	return err
}

func (a partnerContacts) Change(ctx context.Context, v sdk.Viewer, id string) error {
	if err := a.Load(ctx, v, id); err != nil {
		return err
	}
	return sdk.ErrPermission
}

func TestReach(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := host.New(nil)
		contacts.New(db, directory.New(db)).Register(f)
		reachtest.Run(t, db, partnerContacts{f: f, partners: new([]int64), member: map[int64]int64{}}, reachtest.Writers{StaffOnly: true, PartnerOnly: true})
	})
}
