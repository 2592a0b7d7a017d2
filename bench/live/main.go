// Command live benchmarks `launchgate live` on loopback: a generated
// 100-route API behind a server that records how long each handler ran.
// It reports how long the default probe set takes, and how much the
// client adds to p95 latency over what the server itself spent. Run it by
// hand (go run ./bench/live); it never runs in CI.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/launchgate/launchgate/internal/scan"
	"github.com/launchgate/launchgate/internal/target"
)

func main() {
	routes := flag.Int("routes", 100, "routes in the generated spec")
	work := flag.Duration("work", 2*time.Millisecond, "time each handler spends (the mean; uniform 0..2x)")
	rate := flag.Float64("rate", 50, "rate of the overhead load, per second")
	dur := flag.Duration("duration", 10*time.Second, "length of the overhead load")
	flag.Parse()
	if err := run(*routes, *work, *rate, *dur); err != nil {
		fmt.Fprintln(os.Stderr, "bench/live:", err)
		if errors.Is(err, errSlow) {
			os.Exit(1)
		}
		os.Exit(2)
	}
}

// api serves n resources at /api/rN, each list and item, behind a token,
// and records each handler's own time.
type api struct {
	n     int
	work  time.Duration
	token string
	mu    sync.Mutex
	times []time.Duration
	count int
}

func (a *api) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	a.mu.Lock()
	a.count++
	// A fixed spread of work: 0, 0.1, ..., 1.9 times the mean.
	d := a.work * time.Duration(a.count%20) / 10
	a.mu.Unlock()
	if d > 0 {
		t := time.NewTimer(d)
		<-t.C
	}
	switch {
	case r.URL.Path == "/healthz":
		fmt.Fprint(w, "ok")
	case strings.HasPrefix(r.URL.Path, "/api/"):
		if r.Header.Get("Authorization") != "Bearer "+a.token {
			w.WriteHeader(http.StatusUnauthorized)
			break
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"data":[{"id":1,"owner":"a"}]}`)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
	a.mu.Lock()
	a.times = append(a.times, time.Since(start))
	a.mu.Unlock()
}

func (a *api) reset() {
	a.mu.Lock()
	a.times = nil
	a.mu.Unlock()
}

func (a *api) served() []time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]time.Duration(nil), a.times...)
}

// spec writes an OpenAPI document with n list routes (half of them with
// item routes) and a health route.
func spec(dir string, n int) (string, error) {
	paths := map[string]any{"/healthz": map[string]any{"get": map[string]any{"security": []any{}, "responses": map[string]any{"200": map[string]any{"description": "ok"}}}}}
	for i := 0; len(paths) < n; i++ {
		op := map[string]any{"get": map[string]any{"responses": map[string]any{"200": map[string]any{"description": "ok"}}}}
		paths[fmt.Sprintf("/api/r%d", i)] = op
		if len(paths) < n {
			paths[fmt.Sprintf("/api/r%d/{id}", i)] = map[string]any{"get": map[string]any{
				"parameters": []any{map[string]any{"name": "id", "in": "path", "required": true, "schema": map[string]any{"type": "integer"}, "example": 1}},
				"responses":  map[string]any{"200": map[string]any{"description": "ok"}},
			}}
		}
	}
	doc := map[string]any{
		"openapi": "3.0.3", "info": map[string]any{"title": "bench", "version": "1"},
		"security":   []any{map[string]any{"bearer": []any{}}},
		"components": map[string]any{"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}}},
		"paths":      paths,
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, "openapi.json")
	return p, os.WriteFile(p, b, 0o644)
}

func run(n int, work time.Duration, rate float64, dur time.Duration) error {
	dir, err := os.MkdirTemp("", "launchgate-bench-live-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	specPath, err := spec(dir, n)
	if err != nil {
		return err
	}
	cfg := filepath.Join(dir, ".launchgate.yml")
	if err := os.WriteFile(cfg, []byte("fail-on: none\n"), 0o644); err != nil {
		return err
	}
	a := &api{n: n, work: work, token: "bench-token-a"}
	srv := httptest.NewServer(a)
	defer srv.Close()
	credA, _ := target.ParseCredential("A", "Authorization: Bearer bench-token-a")
	credB, _ := target.ParseCredential("B", "Authorization: Bearer bench-token-b")

	// 1. The default probe set, as `launchgate live --openapi` runs it.
	start := time.Now()
	res, err := scan.Live(context.Background(), scan.LiveOptions{
		Target:     target.Options{URL: srv.URL, Spec: specPath, A: credA, B: credB, UserAgent: "launchgate/bench"},
		ConfigPath: cfg,
	})
	if err != nil {
		return err
	}
	total := time.Since(start)
	fmt.Printf("default probe set, %d-route spec: %s, %d requests, %d findings\n", n, total.Round(10*time.Millisecond), res.Stats.Requests, len(res.Findings))
	if l := res.Stats.Latency; l != nil {
		fmt.Printf("  latency probe: %d requests, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms\n", l.Requests, l.P50MS, l.P95MS, l.P99MS)
	}

	// 2. Client overhead: the same load generator against the same
	// server, compared with the server's own handler times.
	s, err := target.Open(context.Background(), target.Options{URL: srv.URL, Spec: specPath, Budget: int(rate*dur.Seconds()) + 10})
	if err != nil {
		return err
	}
	a.reset()
	lr := s.RunLoad(context.Background(), target.Load{Rate: rate, Duration: dur, Targets: []target.LoadTarget{
		{Route: "GET /healthz", Path: "/healthz"},
		{Route: "GET /api/r0", Path: "/api/r0", Cred: credA},
	}})
	served := a.served()
	sort.Slice(served, func(i, j int) bool { return served[i] < served[j] })
	srvP := target.Summarise(served)
	fmt.Printf("overhead load: %d requests at %g/s\n", lr.Sent, rate)
	fmt.Printf("  client p50 %.3f ms, p95 %.3f ms, p99 %.3f ms (from each request's scheduled time)\n", msf(lr.Overall.P50), msf(lr.Overall.P95), msf(lr.Overall.P99))
	fmt.Printf("  client p50 %.3f ms, p95 %.3f ms, p99 %.3f ms (from each request's actual send)\n", msf(lr.Service.P50), msf(lr.Service.P95), msf(lr.Service.P99))
	fmt.Printf("  server p50 %.3f ms, p95 %.3f ms, p99 %.3f ms\n", msf(srvP.P50), msf(srvP.P95), msf(srvP.P99))
	fmt.Printf("  client adds %.3f ms to p95 (%.3f ms from the actual send)\n", msf(lr.Overall.P95-srvP.P95), msf(lr.Service.P95-srvP.P95))
	if total > time.Minute {
		return fmt.Errorf("the default probe set took %s: %w", total, errSlow)
	}
	return nil
}

// errSlow reports a run over the one-minute target.
var errSlow = errors.New("over a minute")

func msf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
