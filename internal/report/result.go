// Package report renders a scan Result in every output format. Reporters
// only write: none recomputes or filters anything.
package report

import (
	"fmt"
	"io"
	"sort"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/scorecard"
)

// Tool names the program that produced a result.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Stats says how much was read.
type Stats struct {
	Files   int64 `json:"files"`
	Bytes   int64 `json:"bytes"`
	Commits int64 `json:"commits"`
	Blobs   int64 `json:"blobs"`
	// SkippedBinary and SkippedLarge count files not scanned because they
	// are binary or over the size cap.
	SkippedBinary int64 `json:"skipped_binary"`
	SkippedLarge  int64 `json:"skipped_large"`
	// BuildFiles counts the files of Files read as build output;
	// SourceMaps the source maps decoded, and MapSources the sources
	// read from them.
	BuildFiles int64 `json:"build_files,omitempty"`
	SourceMaps int64 `json:"source_maps,omitempty"`
	MapSources int64 `json:"map_sources,omitempty"`
	// Suppressed counts findings dropped by ignores, allow comments and
	// the baseline.
	Suppressed int64 `json:"suppressed"`
	DurationMS int64 `json:"duration_ms"`
	// Requests counts the requests live mode sent.
	Requests int64 `json:"requests,omitempty"`
	// Latency is what live mode's load measured.
	Latency *Latency `json:"latency,omitempty"`
}

// Latency summarises a constant-rate load: how much was sent, and the
// percentiles overall and per route, in milliseconds.
type Latency struct {
	Requests      int64          `json:"requests"`
	Failed        int64          `json:"failed"`
	RatePerSecond float64        `json:"rate_per_second"`
	P50MS         float64        `json:"p50_ms"`
	P95MS         float64        `json:"p95_ms"`
	P99MS         float64        `json:"p99_ms"`
	Routes        []RouteLatency `json:"routes,omitempty"`
}

// RouteLatency is one route's share of the load.
type RouteLatency struct {
	Route    string  `json:"route"`
	Requests int64   `json:"requests"`
	P50MS    float64 `json:"p50_ms"`
	P95MS    float64 `json:"p95_ms"`
	P99MS    float64 `json:"p99_ms"`
}

// Result is everything a scan found and concluded.
type Result struct {
	Tool      Tool              `json:"tool"`
	Target    string            `json:"target"`
	Findings  []finding.Finding `json:"findings"`
	Scorecard []scorecard.Check `json:"scorecard"`
	Stats     Stats             `json:"stats"`
	// FailOn is the threshold the gate was judged against; Failed says
	// whether a new finding met it.
	FailOn finding.Severity `json:"fail_on"`
	Failed bool             `json:"failed"`
	// Warnings are things the user should know that did not stop the
	// scan: skipped files, an incomplete shallow history.
	Warnings []string `json:"warnings,omitempty"`
	// Errors are inputs that could not be read and rules that broke; the
	// rest of the scan went on.
	Errors []string `json:"errors,omitempty"`
	// Rules documents every rule that appears in Findings, by ID.
	Rules map[string]*rule.Rule `json:"-"`
}

// Formats lists the names Write accepts.
var Formats = []string{"text", "json", "sarif", "markdown", "html"}

// Writer renders a result.
type Writer func(io.Writer, Result) error

// writers maps each name in Formats to its renderer.
var writers = map[string]Writer{"text": Text, "json": JSON, "sarif": SARIF, "markdown": Markdown, "html": HTML}

// Write renders res in the named format.
func Write(format string, w io.Writer, res Result) error {
	fn, ok := writers[format]
	if !ok {
		names := make([]string, 0, len(writers))
		for n := range writers {
			names = append(names, n)
		}
		sort.Strings(names)
		return fmt.Errorf("unknown format %q (want one of %v)", format, names)
	}
	return fn(w, res)
}
