package target

import (
	"context"
	"math"
	"runtime"
	"sort"
	"sync"
	"time"
)

// spinWindow is how long before a request is due the load generator
// stops sleeping and yields until it is.
const spinWindow = 2 * time.Millisecond

// maxInFlight bounds how many load requests may wait on a stalled server
// at once; past it a scheduled request is counted as dropped.
const maxInFlight = 512

// LoadTarget is one request the load generator cycles through.
type LoadTarget struct {
	// Route names the target in the per-route figures ("GET /api/x").
	Route string
	// Path is what is requested.
	Path string
	Cred *Credential
}

// Load is a constant-rate load: Rate requests a second for Duration,
// spread round-robin over Targets, and at most Max requests.
type Load struct {
	Rate     float64
	Duration time.Duration
	Targets  []LoadTarget
	Max      int
}

// Percentiles summarise a set of latencies.
type Percentiles struct {
	N             int
	P50, P95, P99 time.Duration
}

// RouteLatency is one route's share of the load.
type RouteLatency struct {
	Route string
	Percentiles
}

// LatencyResult is what a load measured.
type LatencyResult struct {
	// Planned is how many requests the rate and duration call for; Sent
	// how many were sent, Failed how many got no answer or a 5xx, and
	// Dropped how many could not be sent because too many were waiting.
	Planned, Sent, Failed, Dropped int
	// Limited says the budget allowed fewer than Planned.
	Limited bool
	Overall Percentiles
	// Service counts from when each request was actually sent, not from
	// when it was due: the difference is time the client itself lost
	// (a busy machine waking the scheduler late).
	Service Percentiles
	Routes  []RouteLatency
	Rate    float64
	Elapsed time.Duration
}

// RunLoad sends an open-loop constant-rate load. Each request is sent at
// its scheduled time whether or not earlier ones have answered, and its
// latency is counted from that scheduled time: a slow server cannot slow
// the load down and so hide its own slowness (coordinated omission).
func (s *Session) RunLoad(ctx context.Context, l Load) *LatencyResult {
	res := &LatencyResult{Rate: l.Rate}
	if l.Rate <= 0 || l.Duration <= 0 || len(l.Targets) == 0 {
		return res
	}
	planned := int(math.Round(l.Rate * l.Duration.Seconds()))
	res.Planned = planned
	n := planned
	if l.Max > 0 && n > l.Max {
		n = l.Max
		res.Limited = true
	}
	interval := time.Duration(float64(time.Second) / l.Rate)

	type sample struct {
		route   int
		d       time.Duration
		service time.Duration
		ok      bool
	}
	samples := make([]sample, n)
	sent := make([]bool, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxInFlight)
	start := time.Now()
	timer := time.NewTimer(0)
	defer timer.Stop()
	<-timer.C
loop:
	for i := 0; i < n; i++ {
		at := start.Add(time.Duration(i) * interval)
		if d := time.Until(at) - spinWindow; d > 0 {
			timer.Reset(d)
			select {
			case <-ctx.Done():
				break loop
			case <-timer.C:
			}
		}
		if ctx.Err() != nil {
			break
		}
		// An idle Go program's timers can fire a millisecond late (the
		// poller sleeps in whole milliseconds); every request sent late
		// would add that to its latency. The last stretch is waited out
		// by yielding instead.
		for time.Now().Before(at) {
			runtime.Gosched()
		}
		select {
		case sem <- struct{}{}:
		default:
			res.Dropped++
			continue
		}
		ti := i % len(l.Targets)
		t := l.Targets[ti]
		sent[i] = true
		wg.Add(1)
		go func(i int, at time.Time) {
			defer wg.Done()
			defer func() { <-sem }()
			sentAt := time.Now()
			r, err := s.Client.Do(ctx, Request{URL: t.Path, Cred: t.Cred})
			now := time.Now()
			samples[i] = sample{route: ti, d: now.Sub(at), service: now.Sub(sentAt), ok: err == nil && r.Status < 500}
			if err != nil && Stopped(err) {
				samples[i].d = -1
			}
		}(i, at)
	}
	wg.Wait()
	res.Elapsed = time.Since(start)

	var all, service []time.Duration
	byRoute := map[string][]time.Duration{}
	var order []string
	for i := range samples {
		if !sent[i] {
			continue
		}
		sm := samples[i]
		if sm.d < 0 {
			// Refused by the client (budget, time): never sent.
			continue
		}
		res.Sent++
		if !sm.ok {
			res.Failed++
		}
		all = append(all, sm.d)
		service = append(service, sm.service)
		name := l.Targets[sm.route].Route
		if _, ok := byRoute[name]; !ok {
			order = append(order, name)
		}
		byRoute[name] = append(byRoute[name], sm.d)
	}
	res.Overall = Summarise(all)
	res.Service = Summarise(service)
	sort.Strings(order)
	for _, name := range order {
		res.Routes = append(res.Routes, RouteLatency{Route: name, Percentiles: Summarise(byRoute[name])})
	}
	return res
}

// Summarise computes nearest-rank percentiles.
func Summarise(ds []time.Duration) Percentiles {
	p := Percentiles{N: len(ds)}
	if len(ds) == 0 {
		return p
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	p.P50, p.P95, p.P99 = Rank(s, 0.50), Rank(s, 0.95), Rank(s, 0.99)
	return p
}

// Rank returns the nearest-rank q-quantile of sorted durations.
func Rank(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(sorted) {
		i = len(sorted) - 1
	}
	return sorted[i]
}
