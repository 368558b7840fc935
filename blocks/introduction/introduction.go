// Package introduction is the block type for people cards: the partner
// manager, the trainers, the support team. Each card says who someone is,
// what to reach them for and how they prefer to be reached, so partners ask
// the right person the right way.
//
//	blocks:
//	  - id: your-manager
//	    type: introduction
//	    config:
//	      title: Your partner team
//	      intro: "Questions about a course? Reach the trainer directly."
//	      people:
//	        - name: Mike Chen
//	          title: Partner Manager
//	          email: mike@acme.example
//	          phone: "+1 415 555 0142"
//	          reach: Email first; calls Tuesday to Thursday
//	          responsibilities: [Onboarding, Joint business plans, Deal registration]
package introduction

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
	"github.com/atriumhq/atrium/sdk/ui"
)

//go:embed schema.json
var schema []byte

// The block's own words, one file per language; the people are the
// manager's, as written.
//
//go:embed locales/*.json
var locales embed.FS

var catalog = i18n.MustLoad(locales, "locales")

// config is the block's config; schema.json is its contract.
type config struct {
	Title  string   `json:"title,omitempty"`
	Intro  string   `json:"intro,omitempty"`
	People []person `json:"people"`
}

type person struct {
	Name             string   `json:"name"`
	Title            string   `json:"title,omitempty"`
	Photo            string   `json:"photo,omitempty"`
	Bio              string   `json:"bio,omitempty"`
	Email            string   `json:"email,omitempty"`
	Phone            string   `json:"phone,omitempty"`
	Reach            string   `json:"reach,omitempty"`
	Responsibilities []string `json:"responsibilities,omitempty"`
}

// maxPeople keeps the block a team, not a directory.
const maxPeople = 24

type block struct{}

// New returns the introduction block type.
func New() sdk.BlockType { return block{} }

// Describe names the type. The cards depend on the config alone, so every
// viewer may share one rendered tree.
func (block) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{
		Name:          "introduction",
		Title:         "Introduction",
		Description:   "People cards: who partners work with, what for, and how to reach them.",
		Icon:          "users",
		ConfigSchema:  json.RawMessage(schema),
		SchemaVersion: 1,
		DefaultConfig: json.RawMessage(`{"title":"Your partner team","people":[{"name":"Your partner manager","title":"Partner Manager","reach":"Email first"}]}`),
		Cache:         sdk.CachePolicy{MaxAge: time.Hour, VaryBy: sdk.VaryByConfig},
	}
}

// ValidateConfig checks what the schema leaves to code: photo links and
// that every person has a name.
func (block) ValidateConfig(_ context.Context, raw json.RawMessage) error {
	_, err := parse(raw)
	return err
}

// Render draws the title, the intro and the cards. Three columns fit a team
// on a wide screen; a pair gets two, so neither card is left beside a gap.
func (block) Render(_ context.Context, req sdk.RenderRequest) (ui.Component, error) {
	c, err := parse(req.Config)
	if err != nil {
		return nil, err
	}
	var out ui.Children
	if t := strings.TrimSpace(c.Title); t != "" {
		out = append(out, ui.Heading{Text: t, Level: 2})
	}
	if strings.TrimSpace(c.Intro) != "" {
		out = append(out, ui.Markdown{Source: c.Intro})
	}
	w := catalog.For(req.Viewer.Locale)
	cards := ui.Columns{Count: min(max(len(c.People), 2), 3)}
	for _, p := range c.People {
		// The heading over what to reach someone for is the portal's word,
		// not the manager's.
		respTitle := ""
		if len(p.Responsibilities) > 0 {
			respTitle = w.T("reach-out")
		}
		cards.Children = append(cards.Children, ui.Person{
			Name:                  strings.TrimSpace(p.Name),
			Title:                 strings.TrimSpace(p.Title),
			PhotoURL:              strings.TrimSpace(p.Photo),
			Bio:                   p.Bio,
			Email:                 strings.TrimSpace(p.Email),
			Phone:                 strings.TrimSpace(p.Phone),
			Reach:                 strings.TrimSpace(p.Reach),
			Responsibilities:      p.Responsibilities,
			ResponsibilitiesTitle: respTitle,
		})
	}
	return ui.Stack{Children: append(out, cards)}, nil
}

// parse decodes and checks a config. Render uses it too, so a config that
// never passed validation is refused rather than drawn.
func parse(raw json.RawMessage) (config, error) {
	c, err := sdk.DecodeConfig[config](raw)
	if err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	switch n := len(c.People); {
	case n == 0:
		add("people: add at least one person")
	case n > maxPeople:
		add("people: at most %d people fit one block; split them over several", maxPeople)
	}
	for i, p := range c.People {
		if strings.TrimSpace(p.Name) == "" {
			add("people[%d].name: is required", i)
		}
		if ph := strings.TrimSpace(p.Photo); ph != "" && !sdk.Linkable(ph) {
			add(`people[%d].photo: must be an https URL or a path starting with "/"`, i)
		}
		if e := strings.TrimSpace(p.Email); e != "" {
			if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
				add("people[%d].email: must be an email address such as name@example.com", i)
			}
		}
	}
	if len(problems) > 0 {
		return c, errors.New(strings.Join(problems, "; "))
	}
	return c, nil
}
