package host

import (
	"context"
	"errors"
	"testing"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/sdk"
)

type echoReq struct {
	Word string `json:"word"`
}
type echoResp struct {
	Said    string `json:"said"`
	Partner int64  `json:"partner"`
}

var echo = sdk.Method[echoReq, echoResp]{Name: "test.echo", Permission: "test:echo"}
var open = sdk.Method[echoReq, echoResp]{Name: "test.open"}

func newFactory(t *testing.T) *Factory {
	f := New(nil)
	fn := func(_ context.Context, c Caller, r echoReq) (echoResp, error) {
		if r.Word == "" {
			return echoResp{}, sdk.InvalidInput("nothing to say", map[string]string{"word": "is required"})
		}
		if r.Word == "secret" {
			return echoResp{}, sdk.ErrNotFound
		}
		return echoResp{Said: r.Word, Partner: c.Viewer.PartnerID()}, nil
	}
	Handle(f, echo, fn)
	Handle(f, open, fn)
	return f
}

func TestCalls(t *testing.T) {
	f := newFactory(t)
	ctx := context.Background()
	v := sdk.Viewer{UserID: 7, Partner: &sdk.Partner{ID: 3}}
	tests := []struct {
		name    string
		host    sdk.Host
		m       sdk.Method[echoReq, echoResp]
		word    string
		want    string
		wantErr error
		code    string
	}{
		{"built-in typed", f.For(v), echo, "hi", "hi", nil, ""},
		{"plugin granted", f.ForPlugin(v, "acme/x", []string{"test:echo"}), echo, "hi", "hi", nil, ""},
		{"plugin without permission", f.ForPlugin(v, "acme/x", nil), echo, "hi", "", sdk.ErrPermission, sdk.CodePermission},
		{"no permission needed", f.ForPlugin(v, "acme/x", nil), open, "hi", "hi", nil, ""},
		{"invalid keeps fields", f.For(v), echo, "", "", nil, sdk.CodeInvalid},
		{"not found", f.For(v), echo, "secret", "", sdk.ErrNotFound, sdk.CodeNotFound},
		{"unknown method", f.For(v), sdk.Method[echoReq, echoResp]{Name: "test.nope"}, "hi", "", sdk.ErrUnknownMethod, sdk.CodeUnknownMethod},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.m.Call(ctx, tt.host, echoReq{Word: tt.word})
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if code := sdk.AsCallError(err); (code == nil && tt.code != "") || (code != nil && code.Code != tt.code) {
				t.Fatalf("err = %#v, want code %q", err, tt.code)
			}
			if err == nil && (got.Said != tt.want || got.Partner != 3) {
				t.Fatalf("got %+v", got)
			}
		})
	}
}

func TestDispatchMatchesInProcess(t *testing.T) {
	f := newFactory(t)
	c := CallerFor(sdk.Viewer{Partner: &sdk.Partner{ID: 9}}, "acme/x", []string{"test:echo"})
	out, err := f.Dispatch(context.Background(), c, "test.echo", []byte(`{"word":"yo"}`))
	if err != nil || string(out) != `{"said":"yo","partner":9}` {
		t.Fatalf("Dispatch = %s, %v", out, err)
	}
	if _, err := f.Dispatch(context.Background(), c, "test.echo", []byte(`{"word":`)); sdk.AsCallError(err).Code != sdk.CodeInvalid {
		t.Fatalf("malformed request: %v", err)
	}
	// A host passed foreign types goes through JSON like a plugin would.
	var resp map[string]any
	if err := f.For(sdk.Viewer{Partner: &sdk.Partner{ID: 1}}).Call(context.Background(), "test.echo", map[string]string{"word": "x"}, &resp); err != nil || resp["said"] != "x" {
		t.Fatalf("JSON path: %v %v", resp, err)
	}
}

func TestDuplicateRegistrationPanics(t *testing.T) {
	f := newFactory(t)
	defer func() {
		if recover() == nil {
			t.Fatal("second registration of test.echo did not panic")
		}
	}()
	Handle(f, echo, func(context.Context, Caller, echoReq) (echoResp, error) { return echoResp{}, nil })
}

// TestRefusalsInTheViewersLanguage: a service's refusal reaches a room as
// the SDK's error, its message and field messages worded for the viewer,
// in process and across the plugin boundary alike.
func TestRefusalsInTheViewersLanguage(t *testing.T) {
	f := New(nil)
	refuse := sdk.Method[echoReq, echoResp]{Name: "test.refuse"}
	Handle(f, refuse, AsViewer(func(context.Context, sdk.Viewer, echoReq) (echoResp, error) {
		return echoResp{}, fail.Field("word", "invalid.fields")
	}))
	for _, tc := range []struct {
		lang, message string
	}{
		{"", "Please correct the highlighted fields."},
		{"de", "Bitte korrigieren Sie die markierten Felder."},
		{"es", "Corrige los campos marcados."},
	} {
		v := sdk.Viewer{UserID: 7, Partner: &sdk.Partner{ID: 3}, Locale: tc.lang}
		_, inProcess := refuse.Call(context.Background(), f.For(v), echoReq{Word: "x"})
		_, dispatched := f.Dispatch(context.Background(), CallerFor(v, "acme/x", nil), refuse.Name, []byte(`{"word":"x"}`))
		for name, err := range map[string]error{"built-in": inProcess, "external plugin": dispatched} {
			var ce *sdk.CallError
			if !errors.As(err, &ce) || ce.Code != sdk.CodeInvalid || ce.Message != tc.message || ce.Fields["word"] != tc.message {
				t.Errorf("%q, %s: %#v", tc.lang, name, err)
			}
		}
	}
}
