// Package telemetry turns on OpenTelemetry tracing when the standard OTEL_*
// variables ask for it, and stays out of the way when they do not.
//
// Tracing is off by default: a portal without an observability stack should
// not pay for spans nobody reads. It is on when OTEL_TRACES_EXPORTER names
// an exporter (otlp, console) or an OTLP endpoint is set
// (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), unless
// OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none. Everything else
// (protocol, headers, sampler, batch delays, service name) is read by the
// OpenTelemetry SDK from the same variables, as every OpenTelemetry program
// does; the exporter is chosen by the contrib autoexport package, so the
// portal understands exactly what the specification lists.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// Wanted says whether the variables ask for traces. getenv is os.Getenv
// outside tests.
func Wanted(getenv func(string) string) bool {
	if strings.EqualFold(getenv("OTEL_SDK_DISABLED"), "true") {
		return false
	}
	switch exp := strings.ToLower(strings.TrimSpace(getenv("OTEL_TRACES_EXPORTER"))); exp {
	case "none":
		return false
	case "":
		return getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
	default:
		return true
	}
}

// Tracing is the process's tracer provider while tracing is on.
type Tracing struct {
	provider *sdktrace.TracerProvider
}

// Start installs a batching tracer provider with the exporter the
// variables name, as the process's global provider (the instrumentation
// libraries read it from there), with W3C trace context propagation so a
// plugin or a proxy can join the trace. version is the portal's version,
// recorded on every span's resource.
func Start(ctx context.Context, version string) (*Tracing, error) {
	exp, err := autoexport.NewSpanExporter(ctx)
	if err != nil {
		return nil, fmt.Errorf("telemetry: trace exporter: %w", err)
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(
		semconv.ServiceName("atrium"), semconv.ServiceVersion(version)))
	if err != nil {
		// A schema conflict between the SDK's defaults and ours is not a
		// reason to run without traces: keep the defaults.
		res = resource.Default()
	}
	// resource.Default already read OTEL_SERVICE_NAME and
	// OTEL_RESOURCE_ATTRIBUTES; let them win over the portal's name.
	if env, err := resource.New(ctx, resource.WithFromEnv()); err == nil {
		if merged, err := resource.Merge(res, env); err == nil {
			res = merged
		}
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	return &Tracing{provider: tp}, nil
}

// Stop sends the spans still buffered and puts the no-op provider back.
func (t *Tracing) Stop(ctx context.Context) error {
	if t == nil {
		return nil
	}
	err := t.provider.Shutdown(ctx)
	otel.SetTracerProvider(noop.NewTracerProvider())
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("telemetry: flush traces: %w", err)
	}
	return nil
}

// Tracer is the tracer a package of the portal names its spans with. While
// tracing is off it is the no-op tracer, whose spans cost a few nanoseconds.
func Tracer(name string) trace.Tracer { return otel.Tracer("github.com/atriumhq/atrium/" + name) }

// NameSpan names the request's server span after its route ("GET
// /rooms/{slug}") once the router knows it: the HTTP middleware starts the
// span before routing, and a span per path would have no bounded name.
func NameSpan(ctx context.Context, route string) {
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	span.SetName(route)
	if _, path, ok := strings.Cut(route, " "); ok {
		span.SetAttributes(semconv.HTTPRoute(path))
	}
}
