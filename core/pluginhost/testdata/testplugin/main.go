// Command testplugin is a plugin that misbehaves on request, for the host's
// fault tests. A block's config says what to do; a file named "mode" in the
// plugin's folder changes the process itself (print to stdout before the
// handshake, say), and a file named after a fault turns it on for every
// call while it is there (see fault).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/atriumhq/atrium/sdk"
	pluginpb "github.com/atriumhq/atrium/sdk/proto"
	"github.com/atriumhq/atrium/sdk/ui"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

type echoReq struct {
	Word string `json:"word"`
}
type echoResp struct {
	Said    string `json:"said"`
	Partner int64  `json:"partner"`
}

var (
	echo   = sdk.Method[echoReq, echoResp]{Name: "test.echo", Permission: "test:echo"}
	secret = sdk.Method[echoReq, echoResp]{Name: "test.secret", Permission: "test:secret"}
)

type block struct{}

func (block) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "test/fault", Title: "Fault", SchemaVersion: 1,
		ConfigSchema: json.RawMessage(`{"type":"object"}`)}
}

func (block) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	var cfg struct {
		Do string `json:"do"`
	}
	json.Unmarshal(req.Config, &cfg)
	switch cfg.Do {
	case "panic":
		panic("plugin bug")
	case "crash":
		os.Exit(3)
	case "hang":
		time.Sleep(time.Hour)
	case "huge":
		return ui.Text{Text: strings.Repeat("x", 1<<20)}, nil
	case "big": // under the per-tree limit, but many make a batch over 4 MiB
		return ui.Text{Text: strings.Repeat("y", 400<<10)}, nil
	case "env":
		return ui.Text{Text: strings.Join(os.Environ(), "\n")}, nil
	case "echo", "secret":
		m := echo
		if cfg.Do == "secret" {
			m = secret
		}
		out, err := m.Call(ctx, req.Host, echoReq{Word: "hi"})
		if err != nil {
			return nil, err
		}
		return ui.Text{Text: fmt.Sprintf("%s from partner %d", out.Said, out.Partner)}, nil
	case "stderr":
		fmt.Fprintln(os.Stderr, "a line for the log")
	case "upload":
		return uploadForm(), nil
	}
	return ui.Text{Text: "hello " + req.Viewer.Name}, nil
}

// fault reports whether the file of that name is in the plugin's folder (its
// working directory): "slow", "garbage", "oversized", "noise",
// "describe-panic", "freeze".
func fault(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

func (block) ValidateConfig(ctx context.Context, config json.RawMessage) error {
	if strings.Contains(string(config), "panic-validate") {
		panic("validator bug")
	}
	return nil
}

func (block) MigrateConfig(ctx context.Context, from int, config json.RawMessage) (json.RawMessage, error) {
	if strings.Contains(string(config), "panic-migrate") {
		panic("migration bug")
	}
	return config, nil
}

func (block) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	if req.Name == "panic" {
		panic("action bug")
	}
	if req.Value("score") == "" {
		return sdk.Invalid(map[string]string{"score": "is required"}), nil
	}
	return sdk.OK("thanks " + req.Viewer.Name), nil
}

// cachedBlock is a cheap block whose trees the portal may reuse for a
// minute, for the cache benchmarks.
type cachedBlock struct{}

func (cachedBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "test/cached", Title: "Cached", SchemaVersion: 1,
		Cache: sdk.CachePolicy{MaxAge: time.Minute, VaryBy: sdk.VaryByPartner}}
}

func (cachedBlock) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	return ui.Text{Text: "hello " + req.Viewer.Name}, nil
}

// uploadForm takes several files in one field.
func uploadForm() ui.Component {
	return ui.Form{Action: ui.Action{Name: "attach"}, Fields: []ui.Field{
		{Name: "files", Label: "Files", Type: "file", Multiple: true}}}
}

// board is a room type that uses everything a room type may declare: a
// navigation badge, the topics its page follows, and item pages that follow
// their own.
type board struct{}

func (board) Describe() sdk.RoomInfo {
	return sdk.RoomInfo{Name: "test/board", Title: "Board", Badge: "test.unread", LiveTopics: []string{"board", "board:news"}}
}

func (board) RenderItem(ctx context.Context, req sdk.ItemRequest) (sdk.Page, error) {
	if req.Path == "panic" {
		panic("item page bug")
	}
	return sdk.Page{Title: "Thread " + req.Path, Body: uploadForm(), LiveTopics: []string{"thread:" + req.Path}}, nil
}

// malformed wraps the SDK's server and garbles the tree of blocks whose id
// says so, which no honest SDK would send.
type malformed struct {
	pluginpb.PluginServer
}

func (m malformed) RenderBatch(ctx context.Context, req *pluginpb.RenderBatchRequest) (*pluginpb.RenderBatchResponse, error) {
	if fault("slow") {
		time.Sleep(2 * time.Second)
	}
	if fault("noise") {
		for range 200 {
			fmt.Println("noise on stdout, which is not the protocol")
			fmt.Fprintln(os.Stderr, "noise on stderr")
		}
	}
	resp, err := m.PluginServer.RenderBatch(ctx, req)
	if err == nil {
		for _, r := range resp.Results {
			switch {
			case fault("oversized"): // over the portal's 64 MiB per answer
				r.Tree = bytes.Repeat([]byte("z"), 65<<20)
			case r.BlockId == "malformed" || fault("garbage"):
				r.Tree = []byte(`{"kind":"script","src":"evil.js"}`)
			}
		}
	}
	return resp, err
}

// Describe panics while a file named "describe-panic" is in the plugin's
// folder, as a plugin whose description is built wrongly would.
func (m malformed) Describe(ctx context.Context, req *pluginpb.DescribeRequest) (*pluginpb.DescribeResponse, error) {
	if fault("describe-panic") {
		panic("describe bug")
	}
	return m.PluginServer.Describe(ctx, req)
}

// Health stops answering while a file named "freeze" is in the plugin's
// folder, as a wedged plugin would.
func (m malformed) Health(ctx context.Context, req *pluginpb.HealthRequest) (*pluginpb.HealthResponse, error) {
	if _, err := os.Stat("freeze"); err == nil {
		<-ctx.Done()
		time.Sleep(time.Hour)
	}
	return m.PluginServer.Health(ctx, req)
}

type binding struct {
	sdk.GRPCPlugin
}

func (b *binding) GRPCServer(broker *goplugin.GRPCBroker, s *grpc.Server) error {
	pluginpb.RegisterPluginServer(s, malformed{sdk.NewPluginServer(b.Plugin, broker)})
	return nil
}

func main() {
	mode, _ := os.ReadFile("mode")
	if strings.TrimSpace(string(mode)) == "stdout" {
		fmt.Println("hello from before the handshake")
	}
	p := sdk.Plugin{ID: "test/fault", Blocks: []sdk.BlockType{block{}, cachedBlock{}},
		Rooms: []sdk.RoomType{board{}}}
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig: sdk.Handshake,
		Plugins:         goplugin.PluginSet{sdk.PluginName: &binding{sdk.GRPCPlugin{Plugin: p}}},
		GRPCServer:      sdk.NewGRPCServer,
	})
}
