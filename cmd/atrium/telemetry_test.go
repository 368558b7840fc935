package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	collector "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

// otlpReceiver is an OTLP/HTTP trace receiver: what a collector is to the
// portal, over the real protocol.
type otlpReceiver struct {
	mu    sync.Mutex
	spans []string // "name" and "name attr=value" for the attributes asked about
	stmts []string // db.statement values
}

func (o *otlpReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	var req collector.ExportTraceServiceRequest
	if err != nil || r.URL.Path != "/v1/traces" || proto.Unmarshal(b, &req) != nil {
		http.Error(w, "not an OTLP trace export", http.StatusBadRequest)
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, rs := range req.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			for _, sp := range ss.Spans {
				o.spans = append(o.spans, sp.Name)
				for _, a := range sp.Attributes {
					if a.Key == "db.statement" || a.Key == "db.query.text" {
						o.stmts = append(o.stmts, a.Value.GetStringValue())
					}
				}
			}
		}
	}
	w.Header().Set("Content-Type", "application/x-protobuf")
	out, _ := proto.Marshal(&collector.ExportTraceServiceResponse{})
	w.Write(out) //nolint:errcheck // the exporter's problem
}

func (o *otlpReceiver) has(prefix string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.ContainsFunc(o.spans, func(s string) bool { return strings.HasPrefix(s, prefix) })
}

// TestTracesFromEnvironment turns tracing on the standard way (an OTLP
// endpoint in OTEL_EXPORTER_OTLP_ENDPOINT) and finds, at a real OTLP
// receiver, the spans of a partner's page: the request named after its
// route, the blocks rendered and the database statements, without the
// values in the statements. Without the variables nothing is sent.
func TestTracesFromEnvironment(t *testing.T) {
	rec := &otlpReceiver{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", srv.URL)
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "100")

	p := startDemo(t)
	sarah := p.client(t, "sarah@northwind.example")
	if code, _ := fetch(t, sarah, p.URL+"/rooms/overview"); code != http.StatusOK {
		t.Fatalf("overview: %d", code)
	}
	if code, _ := fetch(t, sarah, p.URL+"/api/v1/me"); code != http.StatusOK {
		t.Fatalf("api me: %d", code)
	}
	p.stop() // flushes what is buffered

	for _, want := range []string{"GET /rooms/{slug}", "GET /api/v1/me", "render pipeline-metrics", "POST /login"} {
		if !rec.has(want) {
			t.Errorf("no span %q among %q", want, rec.spans)
		}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.stmts) == 0 {
		t.Fatal("no database statements traced")
	}
	for _, s := range rec.stmts {
		if strings.Contains(s, "sarah@northwind.example") {
			t.Fatalf("a traced statement carries a value: %s", s)
		}
	}
}
