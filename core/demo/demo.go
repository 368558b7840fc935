// Package demo seeds the demo program for the vendor "Acme Cloud": staff,
// partners of every type, partner users with every contact role, and rooms
// applied from the room files in rooms/ through the same path a partner
// manager uses. Seeding is idempotent: records that exist are left alone and
// the rooms are re-applied, so a demo data folder picks up rooms that later
// versions add.
package demo

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/http"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/roomfile"
	"github.com/atriumhq/atrium/sdk"
	"github.com/uptrace/bun"
)

// Password is every demo account's password.
const Password = "demo"

//go:embed rooms/*.yaml
var roomFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Static serves the demo's images under /demo/.
func Static() http.Handler {
	sub, _ := fs.Sub(staticFiles, "static")
	fsrv := http.StripPrefix("/demo/", http.FileServer(http.FS(sub)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Images only: never run anything an SVG might contain.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fsrv.ServeHTTP(w, r)
	})
}

// Account is a demo sign-in.
type Account struct {
	Email, Name, Role, Partner string
}

// Hasher hashes the demo password.
type Hasher interface {
	HashPassword(ctx context.Context, password string) (string, error)
}

type partnerSeed struct {
	slug, name, typ, tier, stage, parent string
	manager                              string // email; Mike when empty
}

type userSeed struct {
	email, name string
	role        sdk.Role
	contactRole string
	partner     string
	title       string
	phone       string
}

var partners = []partnerSeed{
	{"northwind-referrals", "Northwind Referrals", "referral", "silver", "active", "", ""},
	{"carlos-co", "Carlos & Co", "reseller", "gold", "active", "", ""},
	{"abc-corp", "ABC Corp", "implementation", "platinum", "strategic", "", ""},
	{"xyz-distribution", "XYZ Distribution", "distributor", "gold", "active", "", ""},
	{"harbor-it", "Harbor IT", "reseller", "silver", "active", "xyz-distribution", ""},
	{"summit-systems", "Summit Systems", "reseller", "bronze", "training", "xyz-distribution", ""},
	{"lakeside-tech", "Lakeside Tech", "reseller", "bronze", "getting-started", "xyz-distribution", ""},
	{"pine-ridge-networks", "Pine Ridge Networks", "reseller", "silver", "active", "xyz-distribution", ""},
	// The rest of XYZ's network: a dozen sub-partners in every stage.
	{"riverbend-solutions", "Riverbend Solutions", "reseller", "bronze", "getting-started", "xyz-distribution", ""},
	{"kestrel-networks", "Kestrel Networks", "referral", "bronze", "getting-started", "xyz-distribution", ""},
	{"copperline-it", "Copperline IT", "reseller", "bronze", "training", "xyz-distribution", ""},
	{"fjord-systems", "Fjord Systems", "reseller", "silver", "training", "xyz-distribution", ""},
	{"granite-cloud", "Granite Cloud", "reseller", "silver", "active", "xyz-distribution", ""},
	{"meadow-digital", "Meadow Digital", "referral", "silver", "active", "xyz-distribution", ""},
	{"orbit-integrators", "Orbit Integrators", "reseller", "gold", "strategic", "xyz-distribution", ""},
	{"pinecrest-tech", "Pinecrest Tech", "reseller", "gold", "strategic", "xyz-distribution", ""},
	{"tidewater-solutions", "Tidewater Solutions", "reseller", "platinum", "strategic", "xyz-distribution", ""},
	{"bluebird-marketing", "Bluebird Marketing", "referral", "bronze", "getting-started", "", "priya@acme.example"},
}

var users = []userSeed{
	{"admin@acme.example", "Alex Morgan", sdk.RoleAdmin, "", "", "Channel Operations", ""},
	{"mike@acme.example", "Mike Chen", sdk.RoleManager, "", "", "Partner Manager", "+1 415 555 0142"},
	{"priya@acme.example", "Priya Nair", sdk.RoleManager, "", "", "Partner Manager, Marketing Agencies", "+1 415 555 0177"},
	{"nina@acme.example", "Nina Patel", sdk.RoleManager, "", "", "Solutions Engineer", "+1 415 555 0160"},
	{"jordan@acme.example", "Jordan Blake", sdk.RoleManager, "", "", "Partner Marketing Manager", "+1 415 555 0171"},
	{"sarah@northwind.example", "Sarah Johnson", sdk.RolePartnerAdmin, "sales", "northwind-referrals", "Head of Partnerships", "+1 312 555 0188"},
	{"carlos@carlosco.example", "Carlos Rivera", sdk.RolePartnerAdmin, "sales", "carlos-co", "Founder", "+34 91 555 0123"},
	{"lisa@carlosco.example", "Lisa Park", sdk.RolePartnerUser, "marketing", "carlos-co", "Marketing Manager", ""},
	{"jennifer@abccorp.example", "Jennifer Lee", sdk.RolePartnerAdmin, "technical", "abc-corp", "Solutions Director", "+1 646 555 0199"},
	{"dana@xyzdist.example", "Dana Okafor", sdk.RolePartnerAdmin, "executive", "xyz-distribution", "Managing Director", "+44 20 5555 0111"},
	{"tom@bluebird.example", "Tom Becker", sdk.RolePartnerUser, "marketing", "bluebird-marketing", "Growth Marketer", ""},
	{"hank@harborit.example", "Hank Osei", sdk.RolePartnerAdmin, "executive", "harbor-it", "Owner", "+44 161 555 0123"},
	{"sue@summitsystems.example", "Sue Marsh", sdk.RolePartnerAdmin, "sales", "summit-systems", "Sales Director", ""},
	{"leo@lakesidetech.example", "Leo Brandt", sdk.RolePartnerAdmin, "technical", "lakeside-tech", "Technical Lead", ""},
	{"paula@pineridge.example", "Paula Reyes", sdk.RolePartnerAdmin, "executive", "pine-ridge-networks", "Managing Partner", ""},
}

// Accounts lists the demo sign-ins, for the start-up message.
func Accounts() []Account {
	names := map[string]string{}
	for _, p := range partners {
		names[p.slug] = p.name
	}
	out := make([]Account, len(users))
	for i, u := range users {
		out[i] = Account{Email: u.email, Name: u.name, Role: string(u.role), Partner: names[u.partner]}
	}
	return out
}

// publishers are the demo's managers who may publish rooms.
var publishers = map[string]bool{"mike@acme.example": true}

// Seed creates what is missing of the demo and applies its rooms.
func Seed(ctx context.Context, db *bun.DB, rooms *room.Service, hasher Hasher) (room.Result, error) {
	hash, err := hasher.HashPassword(ctx, Password)
	if err != nil {
		return room.Result{}, err
	}
	dir := directory.New(db)
	userIDs := map[string]int64{}
	// Staff first: partners name their manager.
	for _, u := range users {
		if u.role.Staff() {
			_, err := dir.UserByEmail(ctx, u.email)
			isNew := fail.CodeOf(err) == fail.NotFound
			id, err := ensureUser(ctx, dir, u, nil, hash)
			if err != nil {
				return room.Result{}, err
			}
			userIDs[u.email] = id
			// Mike publishes the rooms he builds; Priya asks for a review.
			// Granted once, so an admin's later change stands.
			if isNew && publishers[u.email] {
				if _, err := dir.SetPermissions(ctx, id, []string{directory.PermPublishRooms}); err != nil {
					return room.Result{}, err
				}
			}
		}
	}
	partnerIDs := map[string]int64{}
	for _, p := range partners {
		existing, err := dir.PartnerBySlug(ctx, p.slug)
		if err == nil {
			partnerIDs[p.slug] = existing.ID
			continue
		}
		if fail.CodeOf(err) != fail.NotFound {
			return room.Result{}, err
		}
		manager := userIDs["mike@acme.example"]
		if p.manager != "" {
			manager = userIDs[p.manager]
		}
		in := directory.PartnerInput{Name: p.name, Slug: p.slug, Type: p.typ, Tier: p.tier, Stage: p.stage, ManagerID: &manager}
		if p.parent != "" {
			parent := partnerIDs[p.parent]
			in.ParentID = &parent
		}
		created, err := dir.CreatePartner(ctx, in)
		if err != nil {
			return room.Result{}, fmt.Errorf("demo partner %s: %w", p.slug, err)
		}
		partnerIDs[p.slug] = created.ID
	}
	for _, u := range users {
		if u.role.Staff() {
			continue
		}
		pid := partnerIDs[u.partner]
		if _, err := ensureUser(ctx, dir, u, &pid, hash); err != nil {
			return room.Result{}, err
		}
	}
	if err := seedContacts(ctx, db, dir, userIDs); err != nil {
		return room.Result{}, err
	}
	docs, err := loadRooms()
	if err != nil {
		return room.Result{}, err
	}
	return roomfile.Apply(ctx, rooms, docs, room.ApplyOptions{})
}

func ensureUser(ctx context.Context, dir *directory.Directory, u userSeed, partnerID *int64, hash string) (int64, error) {
	existing, err := dir.UserByEmail(ctx, u.email)
	if err == nil {
		return existing.ID, nil
	}
	if fail.CodeOf(err) != fail.NotFound {
		return 0, err
	}
	created, err := dir.CreateUser(ctx, directory.UserInput{Email: u.email, Name: u.name, Role: u.role,
		ContactRole: u.contactRole, PartnerID: partnerID, Title: u.title, Phone: u.phone})
	if err != nil {
		return 0, fmt.Errorf("demo user %s: %w", u.email, err)
	}
	// The demo password is deliberately short; it bypasses the password
	// rules, which apply to every password a person sets.
	if err := dir.SetPasswordHash(ctx, created.ID, hash); err != nil {
		return 0, err
	}
	return created.ID, nil
}

// loadRooms parses the embedded room files.
func loadRooms() ([]roomfile.Document, error) {
	entries, err := fs.ReadDir(roomFiles, "rooms")
	if err != nil {
		return nil, err
	}
	var docs []roomfile.Document
	var problems []error
	for _, e := range entries {
		b, err := roomFiles.ReadFile("rooms/" + e.Name())
		if err != nil {
			return nil, err
		}
		ds, err := roomfile.Parse("demo/rooms/"+e.Name(), b)
		if err != nil {
			problems = append(problems, err)
		}
		docs = append(docs, ds...)
	}
	return docs, errors.Join(problems...)
}
