package web

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/atriumhq/atrium/core/telemetry"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the portal's Prometheus metrics, in a registry of their own
// (no global state).
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	render   *prometheus.HistogramVec
	failures *prometheus.CounterVec
	refused  prometheus.Counter
}

// NewMetrics registers the portal's metrics and the database pool's.
func NewMetrics(db *sql.DB) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "atrium_http_requests_total", Help: "HTTP requests by route, method and status code.",
		}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "atrium_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "method"}),
		render: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "atrium_block_render_duration_seconds", Help: "Time to render a block, by block type (cache hits excluded).",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2},
		}, []string{"type"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "atrium_block_render_failures_total", Help: "Blocks that failed, panicked or timed out, by block type.",
		}, []string{"type"}),
		refused: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "atrium_http_refused_total", Help: "Requests answered 503 because the portal was at its admission bound.",
		}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.render, m.failures, m.refused,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db != nil {
		m.reg.MustRegister(collectors.NewDBStatsCollector(db, "atrium"))
	}
	return m
}

// ObserveBlock records one block render; it fits render.Options.Observe.
func (m *Metrics) ObserveBlock(blockType string, d time.Duration, failed bool) {
	m.render.WithLabelValues(blockType).Observe(d.Seconds())
	if failed {
		m.failures.WithLabelValues(blockType).Inc()
	}
}

// Registry exposes the metrics registry (the plugin host adds its own).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

type routeKey struct{}

// routeLabel is filled by the route's guard, so the outer middleware can
// label metrics with the route pattern rather than the raw path (which would
// make one time series per lead id).
type routeLabel struct{ pattern string }

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush sends what was written so far, for streamed answers (the live
// event stream) whose handlers flush through http.Flusher.
func (w *statusWriter) Flush() {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// ReadFrom lets a file download reach the connection's sendfile path through
// the recorder (io.Copy uses the ResponseWriter's ReadFrom when it has one).
func (w *statusWriter) ReadFrom(r io.Reader) (int64, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{w.ResponseWriter}, r)
}

// observe counts, times and logs every request.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		label := &routeLabel{}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), routeKey{}, label)))
		if sw.code == 0 {
			sw.code = http.StatusOK
		}
		d := time.Since(start)
		route := label.pattern
		if route == "" {
			route = "other"
			if len(r.URL.Path) > 7 && r.URL.Path[:8] == "/assets/" {
				route = "/assets/"
			}
		}
		if s.Metrics != nil {
			s.Metrics.requests.WithLabelValues(route, r.Method, strconv.Itoa(sw.code)).Inc()
			s.Metrics.latency.WithLabelValues(route, r.Method).Observe(d.Seconds())
		}
		if sw.code >= 500 {
			s.Log.Warn("request", "method", r.Method, "path", r.URL.Path, "status", sw.code, "duration", d)
		} else {
			s.Log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", sw.code, "duration", d)
		}
	})
}

// setRoute labels the request with its route pattern ("GET /rooms/{slug}")
// for the metrics and, when tracing is on, names its span after it.
func setRoute(r *http.Request, pattern string) {
	if l, ok := r.Context().Value(routeKey{}).(*routeLabel); ok {
		l.pattern = pattern
	}
	telemetry.NameSpan(r.Context(), pattern)
}

// metrics serves /metrics to admins and to the configured networks.
func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if !(p != nil && p.IsAdmin()) && !s.metricsAllowed(r) {
		s.notFound(w, r)
		return
	}
	promhttp.HandlerFor(s.Metrics.reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
}

func (s *Server) metricsAllowed(r *http.Request) bool {
	addr, err := netip.ParseAddr(s.clientIP(r))
	if err != nil {
		return false
	}
	for _, p := range s.opt.MetricsAllow {
		if p.Contains(addr.Unmap()) {
			return true
		}
	}
	return false
}

// healthz says the process is alive.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok\n"))
}

// readyz says the portal can serve: its database answers.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.DB.PingContext(ctx); err != nil {
		s.Log.Warn("readiness check failed", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unreachable\n"))
		return
	}
	w.Write([]byte("ready\n"))
}
