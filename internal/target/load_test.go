package target

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/launchgate/launchgate/internal/target/livetest"
)

// TestLoadPercentiles: against a server whose answers take known times,
// the measured p95 is within 10% of the true p95 of those times.
func TestLoadPercentiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a two-second load")
	}
	// Delays of 2, 4, ..., 200 ms in a shuffled but fixed order: the
	// true p95 of the cycle is 190 ms, its p50 100 ms.
	delays := make([]time.Duration, 100)
	for i := range delays {
		delays[i] = time.Duration(2*(i+1)) * time.Millisecond
	}
	r := rand.New(rand.NewPCG(1, 2))
	r.Shuffle(len(delays), func(i, j int) { delays[i], delays[j] = delays[j], delays[i] })
	h := &livetest.Latency{Delays: delays}
	srv := httptest.NewServer(h)
	defer srv.Close()

	s, err := Open(context.Background(), Options{URL: srv.URL, Spec: "testdata/openapi.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	res := s.RunLoad(context.Background(), Load{Rate: 100, Duration: 2 * time.Second,
		Targets: []LoadTarget{{Route: "GET /a", Path: "/a"}, {Route: "GET /b", Path: "/b"}}})
	if res.Sent != 200 || res.Failed != 0 || res.Dropped != 0 || res.Limited {
		t.Fatalf("sent %d, failed %d, dropped %d, limited %v; want 200 sent", res.Sent, res.Failed, res.Dropped, res.Limited)
	}
	// The load's own requests start the cycle after Open's; the true
	// percentiles are those of what the server was told to sleep.
	truth := Summarise(lastDelays(h, res.Sent))
	for _, c := range []struct {
		name      string
		got, want time.Duration
	}{{"p50", res.Overall.P50, truth.P50}, {"p95", res.Overall.P95, truth.P95}} {
		lo, hi := c.want-c.want/10, c.want+c.want/10
		if c.got < lo || c.got > hi {
			t.Errorf("%s = %v, want within 10%% of %v", c.name, c.got, c.want)
		}
	}
	if len(res.Routes) != 2 || res.Routes[0].N != 100 {
		t.Errorf("routes = %+v, want two of 100", res.Routes)
	}
	// Open loop: the last request is sent at 1.99s whatever the latency,
	// and answered at most 200ms later.
	if res.Elapsed < 1990*time.Millisecond || res.Elapsed > 3*time.Second {
		t.Errorf("load took %v, want about 2s", res.Elapsed)
	}
}

// lastDelays returns the delays the server applied to its last n requests.
func lastDelays(h *livetest.Latency, n int) []time.Duration {
	total := len(h.Served())
	out := make([]time.Duration, 0, n)
	for i := total - n; i < total; i++ {
		out = append(out, h.Delays[i%len(h.Delays)])
	}
	return out
}

// TestLoadOpenLoop: a server that can serve 20 requests a second, loaded
// at 40, queues; latency is counted from each request's scheduled time,
// so the queueing shows in the percentiles instead of slowing the load.
func TestLoadOpenLoop(t *testing.T) {
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		t := time.NewTimer(50 * time.Millisecond)
		<-t.C
	}))
	defer srv.Close()
	s, err := Open(context.Background(), Options{URL: srv.URL, Spec: "testdata/openapi.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	res := s.RunLoad(context.Background(), Load{Rate: 40, Duration: time.Second, Targets: []LoadTarget{{Route: "GET /", Path: "/"}}})
	if res.Sent != 40 {
		t.Fatalf("sent %d, want 40", res.Sent)
	}
	// The last request waits for the 39 before it: about 2s after the
	// first was sent, 1s after it was scheduled.
	if res.Overall.P95 < 700*time.Millisecond {
		t.Errorf("p95 = %v: the queue behind a slow server is hidden", res.Overall.P95)
	}
}

func TestLoadBudget(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	s, err := Open(context.Background(), Options{URL: srv.URL, Spec: "testdata/openapi.yaml", Budget: 10})
	if err != nil {
		t.Fatal(err)
	}
	left := s.Client.Remaining()
	res := s.RunLoad(context.Background(), Load{Rate: 200, Duration: time.Second, Max: left, Targets: []LoadTarget{{Route: "GET /", Path: "/"}}})
	if !res.Limited || res.Sent != left || res.Planned != 200 {
		t.Errorf("limited %v, sent %d of %d planned; want %d sent", res.Limited, res.Sent, res.Planned, left)
	}
	if s.Client.Remaining() != 0 {
		t.Errorf("remaining %d", s.Client.Remaining())
	}
}

func TestSummarise(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	p := Summarise(ds)
	if p.N != 100 || p.P50 != 50*time.Millisecond || p.P95 != 95*time.Millisecond || p.P99 != 99*time.Millisecond {
		t.Errorf("Summarise = %+v", p)
	}
	if (Summarise(nil) != Percentiles{}) {
		t.Error("Summarise(nil) not zero")
	}
	if got := Summarise([]time.Duration{7}); got.P99 != 7 || got.P50 != 7 {
		t.Errorf("one sample: %+v", got)
	}
}
