package roomtemplate

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/roomfile"
	"github.com/uptrace/bun"
)

// Where templates come from.
const (
	OriginBuiltIn = "built-in"
	OriginProgram = "program"
)

// Catalog is every template the builder offers: the built-in ones, the
// program's own (rooms an admin saved as templates) and those plugins
// offer through the SDK.
type Catalog struct {
	db      bun.IDB
	plugins func() []registry.Template
	now     func() time.Time
}

// NewCatalog returns the catalog over db and the plugins registered in reg.
func NewCatalog(db bun.IDB, reg *registry.Registry) *Catalog {
	c := &Catalog{db: db, now: func() time.Time { return time.Now().UTC() }}
	if reg != nil {
		c.plugins = reg.Templates
	}
	return c
}

type savedRow struct {
	bun.BaseModel `bun:"table:room_templates"`
	Name          string    `bun:"name,pk"`
	Title         string    `bun:"title"`
	Description   string    `bun:"description"`
	Icon          string    `bun:"icon"`
	Document      string    `bun:"document"`
	CreatedByName string    `bun:"created_by_name"`
	CreatedAt     time.Time `bun:"created_at"`
}

func (r savedRow) template() (Template, error) {
	var rm room.Room
	if err := json.Unmarshal([]byte(r.Document), &rm); err != nil {
		return Template{}, fmt.Errorf("room template %s: corrupt document: %w", r.Name, err)
	}
	return withSource(Template{Name: r.Name, Origin: OriginProgram, Title: r.Title, Description: r.Description, Icon: r.Icon, Room: rm})
}

// withSource fills a template's room file.
func withSource(t Template) (Template, error) {
	src, err := roomfile.MarshalRoom(t.Room)
	if err != nil {
		return Template{}, fmt.Errorf("room template %s: %w", t.Name, err)
	}
	t.Source = src
	return t, nil
}

// List returns every template: the built-in ones in their order, then the
// program's by title, then the plugins' by plugin and name.
func (c *Catalog) List(ctx context.Context) ([]Template, error) {
	out := List()
	var rows []savedRow
	if err := c.db.NewSelect().Model(&rows).OrderExpr("lower(title), name").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list room templates: %w", err)
	}
	for _, r := range rows {
		t, err := r.template()
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if c.plugins != nil {
		for _, pt := range c.plugins() {
			t, err := fromPlugin(pt)
			if err != nil {
				return nil, err
			}
			out = append(out, t)
		}
	}
	return out, nil
}

// fromPlugin turns a plugin's template into a room document: its blocks,
// title and icon, for the slug a manager gives it.
func fromPlugin(pt registry.Template) (Template, error) {
	rm := room.Room{Slug: pt.Name, Title: pt.Title, Icon: pt.Icon}
	for _, b := range pt.Blocks {
		rm.Blocks = append(rm.Blocks, room.Block{ID: b.ID, Type: b.Type, Config: b.Config, Audience: b.Audience})
	}
	return withSource(Template{Name: pt.Plugin + "/" + pt.Name, Origin: pt.Plugin, Title: pt.Title, Description: pt.Description, Icon: pt.Icon, Room: rm})
}

// Get returns one template by name, or NotFound.
func (c *Catalog) Get(ctx context.Context, name string) (Template, error) {
	if t, ok := Get(name); ok {
		return t, nil
	}
	if strings.Contains(name, "/") {
		if c.plugins != nil {
			for _, pt := range c.plugins() {
				if pt.Plugin+"/"+pt.Name == name {
					return fromPlugin(pt)
				}
			}
		}
		return Template{}, fail.NotFoundf("No room template %q.", name)
	}
	var r savedRow
	err := c.db.NewSelect().Model(&r).Where("name = ?", name).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return Template{}, fail.NotFoundf("No room template %q.", name)
	}
	if err != nil {
		return Template{}, fmt.Errorf("room template %s: %w", name, err)
	}
	return r.template()
}

// SaveInput names a room to keep as a program template.
type SaveInput struct {
	Name        string    `json:"name" doc:"The template's name: lowercase letters, digits and hyphens."`
	Title       string    `json:"title,omitempty" doc:"The title rooms made from it start with; the room's own when empty."`
	Description string    `json:"description,omitempty" doc:"What the template is for, shown when a room is started from it."`
	Room        room.Room `json:"-"`
}

var nameRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$`)

// Save keeps a room as one of the program's templates: its title, icon and
// blocks (not its slug, partner types, audience or place in the
// navigation, which every room made from it sets anew). A name the built-in
// templates use, or one already saved, is refused.
func (c *Catalog) Save(ctx context.Context, by string, in SaveInput) (Template, error) {
	in.Name, in.Title, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Title), strings.TrimSpace(in.Description)
	if in.Title == "" {
		in.Title = in.Room.Title
	}
	fields := fail.Problems{}
	if !nameRE.MatchString(in.Name) {
		fields.Add("name", "invalid.staff.template.name")
	} else if _, ok := Get(in.Name); ok {
		fields.Add("name", "invalid.staff.template.built-in", "Name", strconv.Quote(in.Name))
	}
	if in.Title == "" || utf8.RuneCountInString(in.Title) > 200 {
		fields.Add("title", "invalid.staff.template.title")
	}
	if utf8.RuneCountInString(in.Description) > 500 {
		fields.Add("description", "invalid.staff.use-at-most-chars", "Max", 500)
	}
	if err := fields.Err(); err != nil {
		return Template{}, err
	}
	rm := room.Room{Title: in.Title, Icon: in.Room.Icon, Blocks: in.Room.Blocks}
	doc, err := json.Marshal(rm)
	if err != nil {
		return Template{}, fmt.Errorf("room template %s: %w", in.Name, err)
	}
	row := savedRow{Name: in.Name, Title: in.Title, Description: in.Description, Icon: rm.Icon, Document: string(doc),
		CreatedByName: by, CreatedAt: c.now()}
	res, err := c.db.NewInsert().Model(&row).On("CONFLICT (name) DO NOTHING").Exec(ctx)
	if err != nil {
		return Template{}, fmt.Errorf("save room template %s: %w", in.Name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Template{}, fail.Field("name", "invalid.staff.template.exists", "Name", strconv.Quote(in.Name))
	}
	return row.template()
}

// Delete removes one of the program's templates; rooms made from it stay.
func (c *Catalog) Delete(ctx context.Context, name string) error {
	res, err := c.db.NewDelete().Model((*savedRow)(nil)).Where("name = ?", name).Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete room template %s: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fail.NotFoundf("No room template %q of the program's own.", name)
	}
	return nil
}
