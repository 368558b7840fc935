package builtin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/content"
	"github.com/atriumhq/atrium/sdk/ui"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// program is a Host that answers with a fixed program, as the portal would.
type program sdk.Program

func (p program) Program(context.Context) (sdk.Program, error) { return sdk.Program(p), nil }

// Call answers the host calls built-in blocks make with what a new portal
// holds: an empty content library, no task done yet, empty pipeline
// figures; it refuses anything else.
func (program) Call(_ context.Context, method string, _, resp any) error {
	if method == content.ListResources.Name {
		*resp.(*content.ResourcePage) = content.ResourcePage{Items: []content.Resource{}}
		return nil
	}
	if method == "tasks.completion.list" {
		return json.Unmarshal([]byte(`{"done":{}}`), resp)
	}
	if strings.HasPrefix(method, "pipeline.") {
		return nil
	}
	return sdk.ErrUnknownMethod
}

var host = program{Name: "Acme", EmbedHosts: []string{"www.figma.com", "calendly.com"}}

// nameRE is the portal's rule for block type names.
var nameRE = regexp.MustCompile(`^([a-z][a-z0-9-]{0,39}/)?[a-z][a-z0-9-]{0,39}$`)

// compile compiles a block type's schema the way the portal does: draft
// 2020-12, with formats asserted.
func compile(t *testing.T, info sdk.BlockInfo) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(info.ConfigSchema))
	if err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	loc := "atrium:///blocks/" + info.Name + ".json"
	if err := c.AddResource(loc, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(loc)
	if err != nil {
		t.Fatalf("schema does not compile: %v", err)
	}
	return s
}

// check validates a config as the portal does before storing it: against
// the schema, then with the type's own checks.
func check(s *jsonschema.Schema, bt sdk.BlockType, config json.RawMessage) error {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(config))
	if err != nil {
		return err
	}
	if err := s.Validate(doc); err != nil {
		return err
	}
	if v, ok := bt.(sdk.ConfigValidator); ok {
		return v.ValidateConfig(context.Background(), config)
	}
	return nil
}

func TestPlugin(t *testing.T) {
	p := Plugin()
	if p.ID != "atrium/blocks" {
		t.Errorf("ID = %q", p.ID)
	}
	want := []string{"text", "image", "video", "embed", "action-bar", "introduction", "link", "banner"}
	seen := map[string]bool{}
	for _, bt := range p.Blocks {
		seen[bt.Describe().Name] = true
	}
	for _, name := range want {
		if !seen[name] {
			t.Errorf("block type %q is missing", name)
		}
	}
}

func TestDescribe(t *testing.T) {
	seen := map[string]bool{}
	for _, bt := range Plugin().Blocks {
		info := bt.Describe()
		t.Run(info.Name, func(t *testing.T) {
			if !nameRE.MatchString(info.Name) {
				t.Errorf("name %q is not a plain lowercase word", info.Name)
			}
			if seen[info.Name] {
				t.Errorf("name %q is used twice", info.Name)
			}
			seen[info.Name] = true
			if info.Title == "" || info.Description == "" || info.Icon == "" {
				t.Errorf("title %q, description %q and icon %q must all be set", info.Title, info.Description, info.Icon)
			}
			if info.SchemaVersion != 1 {
				t.Errorf("schema version = %d, want 1", info.SchemaVersion)
			}
			var head struct {
				Schema     string `json:"$schema"`
				Type       string `json:"type"`
				Additional *bool  `json:"additionalProperties"`
			}
			if err := json.Unmarshal(info.ConfigSchema, &head); err != nil {
				t.Fatalf("schema is not JSON: %v", err)
			}
			if head.Schema != "https://json-schema.org/draft/2020-12/schema" || head.Type != "object" || head.Additional == nil || *head.Additional {
				t.Errorf("schema must declare draft 2020-12, type object and additionalProperties false; got %+v", head)
			}
			s := compile(t, info)
			if err := check(s, bt, info.DefaultConfig); err != nil {
				t.Fatalf("default config %s is invalid: %v", info.DefaultConfig, err)
			}
			tree, err := bt.Render(context.Background(), sdk.RenderRequest{
				Viewer: sdk.Viewer{UserID: 1, Role: sdk.RoleAdmin}, Config: info.DefaultConfig, Host: host,
			})
			if err != nil {
				t.Fatalf("default config does not render: %v", err)
			}
			if _, err := ui.Marshal(tree); err != nil {
				t.Errorf("tree does not marshal: %v", err)
			}
		})
	}
}

// TestConfigs runs the configs in testdata through the checks the portal
// applies on save: the valid ones must pass and render, each invalid one
// must be refused by the schema or by the type.
func TestConfigs(t *testing.T) {
	raw, err := os.ReadFile("testdata/configs.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases struct {
		Valid   map[string][]json.RawMessage `json:"valid"`
		Invalid map[string][]struct {
			Config json.RawMessage `json:"config"`
			Want   string          `json:"want"` // part of the error
		} `json:"invalid"`
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	for _, bt := range Plugin().Blocks {
		info := bt.Describe()
		t.Run(info.Name, func(t *testing.T) {
			s := compile(t, info)
			if len(cases.Valid[info.Name]) == 0 || len(cases.Invalid[info.Name]) == 0 {
				t.Fatal("testdata has no valid or no invalid configs for this type")
			}
			for _, config := range cases.Valid[info.Name] {
				if err := check(s, bt, config); err != nil {
					t.Errorf("%s: %v", config, err)
					continue
				}
				req := sdk.RenderRequest{Viewer: sdk.Viewer{UserID: 2, Role: sdk.RolePartnerUser}, Config: config, Host: host}
				if _, err := bt.Render(context.Background(), req); err != nil {
					t.Errorf("%s does not render: %v", config, err)
				}
			}
			for _, c := range cases.Invalid[info.Name] {
				err := check(s, bt, c.Config)
				if err == nil {
					t.Errorf("%s was accepted", c.Config)
					continue
				}
				msg := err.Error()
				var ve *jsonschema.ValidationError
				if errors.As(err, &ve) {
					msg = fmt.Sprintf("%#v", ve) // names the place of every cause
				}
				if !strings.Contains(msg, c.Want) {
					t.Errorf("%s: error %q does not mention %q", c.Config, msg, c.Want)
				}
			}
		})
	}
}
