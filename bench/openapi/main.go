// Command openapi benchmarks launchgate's OpenAPI checks against Spectral
// with the OWASP ruleset and, when a copy can be had, vacuum with its OWASP
// rules, side by side on the same specs. Run it through bench/openapi.sh;
// see bench/README.md.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/launchgate/launchgate/bench/internal/rusage"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	runs            int
	keep            bool
	timeout         time.Duration
	launchgate      string
	spectralDir     string
	octokitDir      string
	vacuum          string
	spectral        bool
	nodeHeapMB      int
	specs           []string
	checkout, cache string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("openapi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, `usage: bench/openapi.sh [flags] [SPEC...]

SPEC is a file, or one of the names %s.
Without SPEC all three are benchmarked.

flags:
`, strings.Join(specNames, ", "))
		fs.PrintDefaults()
	}
	fs.IntVar(&c.runs, "n", 3, "timed runs of each tool on each spec")
	fs.BoolVar(&c.keep, "keep", false, "keep the temporary directory (reports, rulesets)")
	fs.DurationVar(&c.timeout, "timeout", 15*time.Minute, "stop a run that takes longer; the tool gets no more runs on that spec")
	fs.StringVar(&c.launchgate, "launchgate", "", "launchgate binary to use instead of building this checkout")
	fs.StringVar(&c.spectralDir, "spectral-dir", "", "directory whose node_modules holds @stoplight/spectral-cli and the OWASP ruleset\n(default: installed into the cache on first use)")
	fs.StringVar(&c.octokitDir, "octokit-dir", "", "directory whose node_modules holds @octokit/openapi, for the GitHub specs\n(default: installed into the cache on first use)")
	fs.StringVar(&c.vacuum, "vacuum", "", "vacuum binary; \"off\" skips vacuum (default: go install "+vacuumVersion+" into the cache, skipped if that fails)")
	fs.BoolVar(&c.spectral, "spectral", true, "run Spectral")
	fs.IntVar(&c.nodeHeapMB, "node-heap", 0, "Node's --max-old-space-size in MB for Spectral (0: Node's default)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.runs < 1 {
		return c, errors.New("-n must be at least 1")
	}
	if c.timeout <= 0 {
		return c, errors.New("-timeout must be positive")
	}
	c.specs = fs.Args()
	if len(c.specs) == 0 {
		c.specs = specNames
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "openapi: %v\n", err)
		}
		return 2
	}
	tmp, err := os.MkdirTemp("", "launchgate-bench-openapi-")
	if err != nil {
		fmt.Fprintf(stderr, "openapi: %v\n", err)
		return 2
	}
	if c.keep {
		fmt.Fprintf(stderr, "keeping %s\n", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	if err := benchmark(ctx, c, tmp, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "openapi: %v\n", err)
		return 2
	}
	return 0
}

// tool is one command under test; argv is built per spec.
type tool struct {
	name string
	argv func(spec, report string) []string
	// ok lists exit codes that mean success; "found problems" is one.
	ok []int
	// parse reads the report the command wrote.
	parse func([]byte) (tally, error)
}

func benchmark(ctx context.Context, c config, tmp string, stdout, stderr io.Writer) error {
	checkout, err := checkoutDir(ctx)
	if err != nil {
		return err
	}
	c.checkout = checkout
	cache, err := os.UserCacheDir()
	if err != nil {
		return fmt.Errorf("find cache directory: %w", err)
	}
	c.cache = filepath.Join(cache, "launchgate-bench")

	specs, err := resolveSpecs(ctx, &c, stderr)
	if err != nil {
		return err
	}
	lg, err := launchgateBinary(ctx, c, tmp, stderr)
	if err != nil {
		return err
	}
	empty := filepath.Join(tmp, "empty")
	if _, err := output(ctx, "git", "init", "-q", empty); err != nil {
		return err
	}
	tools := []tool{{
		name: "launchgate",
		argv: func(spec, report string) []string {
			return []string{lg, "scan", "--openapi", spec, "--format", "json", "--output", report, empty}
		},
		ok:    []int{0, 1},
		parse: parseLaunchgate,
	}}

	fmt.Fprintf(stdout, "machine     %s/%s, %d CPUs; %s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), loadAverage())
	fmt.Fprintf(stdout, "            results are machine-specific: compare ratios, not times\n")
	v, _ := output(ctx, lg, "version")
	if c.launchgate == "" {
		// The checkout may hold uncommitted work; say which.
		rev, _ := output(ctx, "git", "-C", c.checkout, "describe", "--always", "--dirty")
		v = firstLine(v) + ", built from " + c.checkout + " at " + strings.TrimSpace(rev)
	}
	fmt.Fprintf(stdout, "launchgate  %s\n", firstLine(v))
	fmt.Fprintf(stdout, "            launchgate scan --openapi SPEC --format json --output REPORT EMPTY_GIT_REPO\n")

	if c.spectral {
		t, err := spectralTool(ctx, c, tmp, stdout, stderr)
		if err != nil {
			return err
		}
		tools = append(tools, t)
	} else {
		fmt.Fprintln(stdout, "spectral    skipped (-spectral=false)")
	}
	if t, ok := vacuumTool(ctx, c, tmp, stdout, stderr); ok {
		tools = append(tools, t)
	}
	fmt.Fprintf(stdout, "runs        %d of each tool on each spec, interleaved; timeout %s per run\n\n", c.runs, c.timeout)

	for i, s := range specs {
		if err := benchSpec(ctx, c, tmp, i, s, tools, stdout, stderr); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "machine at the end: %s\n", loadAverage())
	return nil
}

// specFile is one document to benchmark.
type specFile struct {
	label, path string
	size        int64
	operations  int
}

func benchSpec(ctx context.Context, c config, tmp string, idx int, s specFile, tools []tool, stdout, stderr io.Writer) error {
	reports := map[string]string{}
	for _, t := range tools {
		reports[t.name] = filepath.Join(tmp, fmt.Sprintf("%d-%s-%s.json", idx, t.name, sanitize(s.label)))
	}
	res := runAll(ctx, c, s, tools, reports, stderr)

	fmt.Fprintf(stdout, "SPEC %s: %s, %d operations (%s)\n", s.label, sizeText(s.size), s.operations, s.path)
	tallies := map[string]tally{}
	for _, t := range tools {
		r := res[t.name]
		if r.failure != "" {
			continue
		}
		b, err := os.ReadFile(reports[t.name])
		if err != nil {
			r.failure = fmt.Sprintf("no report: %v", err)
			res[t.name] = r
			continue
		}
		tl, err := t.parse(b)
		if err != nil {
			r.failure = err.Error()
			res[t.name] = r
			continue
		}
		tallies[t.name] = tl
	}
	printTable(stdout, s, tools, res, tallies)
	printRatios(stdout, tools, res)
	for _, t := range tools {
		if msg := res[t.name].failure; msg != "" {
			fmt.Fprintf(stdout, "%s failed: %s\n", t.name, indent(msg))
		}
	}
	for _, t := range tools {
		if tl, ok := tallies[t.name]; ok {
			printRules(stdout, t.name, tl)
		}
	}
	fmt.Fprintln(stdout)
	return nil
}

// result is every run of one tool on one spec.
type result struct {
	samples []sample
	// failure is why the tool has no result: a crash, a bad exit code, a
	// timeout. Runs stop at the first.
	failure string
	argv    []string
}

type sample struct {
	wall time.Duration
	rss  int64
}

// runAll runs every tool c.runs times, interleaved and in rotating order,
// so that drift in the machine's state (caches, other load, clock) spreads
// over all tools instead of favouring one.
func runAll(ctx context.Context, c config, s specFile, tools []tool, reports map[string]string, stderr io.Writer) map[string]result {
	res := map[string]result{}
	for i := range c.runs {
		for j := range tools {
			t := tools[(i+j)%len(tools)]
			r := res[t.name]
			if r.failure != "" {
				continue
			}
			fmt.Fprintf(stderr, "%s: %s run %d/%d\n", s.label, t.name, i+1, c.runs)
			r.argv = t.argv(s.path, reports[t.name])
			smp, err := measure(ctx, c.timeout, t, r.argv)
			if err != nil {
				r.failure = err.Error()
			} else {
				r.samples = append(r.samples, smp)
			}
			res[t.name] = r
		}
	}
	return res
}

// measure runs argv once and returns its wall time and peak memory.
func measure(ctx context.Context, timeout time.Duration, t tool, argv []string) (sample, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	// A killed tool's children must not keep the pipe open.
	cmd.WaitDelay = 5 * time.Second
	var errOut tailBuffer
	cmd.Stderr = &errOut // stdout stays nil: the null device
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return sample{}, fmt.Errorf("timed out after %s", timeout)
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return sample{}, err
	}
	if code := cmd.ProcessState.ExitCode(); !contains(t.ok, code) {
		return sample{}, fmt.Errorf("exit status %d after %s, peak RSS %s:\n%s",
			code, seconds(wall), mib(rusage.PeakRSS(cmd.ProcessState)), strings.TrimSpace(errOut.String()))
	}
	return sample{wall: wall, rss: rusage.PeakRSS(cmd.ProcessState)}, nil
}

// tailBuffer keeps the last few KB written to it: enough for an error
// message, bounded however much a tool prints.
type tailBuffer struct{ b []byte }

const tailSize = 4 << 10

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 2*tailSize {
		t.b = append(t.b[:0], t.b[len(t.b)-tailSize:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	if len(t.b) > tailSize {
		return "…" + string(t.b[len(t.b)-tailSize:])
	}
	return string(t.b)
}

func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

type stats struct {
	median, min, max time.Duration
	rss              int64
}

func summarise(ss []sample) stats {
	walls := make([]time.Duration, len(ss))
	rss := make([]int64, len(ss))
	for i, s := range ss {
		walls[i], rss[i] = s.wall, s.rss
	}
	sort.Slice(walls, func(i, j int) bool { return walls[i] < walls[j] })
	sort.Slice(rss, func(i, j int) bool { return rss[i] < rss[j] })
	n := len(walls)
	if n == 0 {
		return stats{}
	}
	st := stats{min: walls[0], max: walls[n-1], median: walls[n/2], rss: rss[n/2]}
	if n%2 == 0 {
		st.median = (walls[n/2-1] + walls[n/2]) / 2
		st.rss = (rss[n/2-1] + rss[n/2]) / 2
	}
	return st
}

func printTable(w io.Writer, s specFile, tools []tool, res map[string]result, tallies map[string]tally) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "tool\truns\tmedian\tmin\tmax\tpeak RSS\tfindings\tper operation\tmost on one operation")
	for _, t := range tools {
		r := res[t.name]
		if len(r.samples) == 0 {
			fmt.Fprintf(tw, "%s\t0\t-\t-\t-\t-\t-\t-\t%s\n", t.name, firstLine(r.failure))
			continue
		}
		st := summarise(r.samples)
		found, per, most := "-", "-", "-"
		if tl, ok := tallies[t.name]; ok {
			found, per = strconv.Itoa(tl.findings), perOp(tl.findings, s.operations)
			if op, n := tl.busiest(); n > 0 {
				most = fmt.Sprintf("%d (%s)", n, shortOp(op))
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.name, len(r.samples),
			seconds(st.median), seconds(st.min), seconds(st.max), mib(st.rss), found, per, most)
	}
	tw.Flush()
}

// printRatios compares each peer with launchgate on median wall time and
// median peak RSS; above 1 means launchgate is faster or leaner.
func printRatios(w io.Writer, tools []tool, res map[string]result) {
	lg := res["launchgate"]
	if len(lg.samples) == 0 || lg.failure != "" {
		return
	}
	l := summarise(lg.samples)
	for _, t := range tools[1:] {
		r := res[t.name]
		if len(r.samples) == 0 || r.failure != "" {
			continue
		}
		p := summarise(r.samples)
		fmt.Fprintf(w, "%s / launchgate: time %s, peak RSS %s  (above 1: launchgate is faster, leaner)\n",
			t.name, ratio(float64(p.median), float64(l.median)), ratio(float64(p.rss), float64(l.rss)))
	}
}

func printRules(w io.Writer, name string, t tally) {
	fmt.Fprintf(w, "%s findings per rule", name)
	if t.unplaced > 0 {
		fmt.Fprintf(w, " (%d not on an operation: schemes, servers, shared components)", t.unplaced)
	}
	fmt.Fprintln(w, ":")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, rc := range t.rules() {
		fmt.Fprintf(tw, "  %d\t  %s\n", rc.n, rc.rule)
	}
	tw.Flush()
}

// shortOp drops the spec file from an operation key for the table.
func shortOp(op string) string {
	if i := strings.LastIndex(op, ": "); i >= 0 {
		return op[i+2:]
	}
	return op
}

func seconds(d time.Duration) string {
	if d < time.Second {
		return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) + "s"
}

func mib(b int64) string { return strconv.FormatFloat(float64(b)/(1<<20), 'f', 0, 64) + " MiB" }

func sizeText(n int64) string {
	if n < 1<<20 {
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 0, 64) + " KB"
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
}

func ratio(a, b float64) string {
	if b == 0 {
		return "n/a"
	}
	return strconv.FormatFloat(a/b, 'f', 2, 64) + "x"
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

func indent(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n    ") }

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == os.PathSeparator || r == ' ' {
			return '_'
		}
		return r
	}, s)
}

// loadAverage describes how busy the machine is, where the system says.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load average unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "load average unknown"
	}
	return "load average " + strings.Join(f[:3], " ") + " (1, 5, 15 min)"
}

func checkoutDir(ctx context.Context) (string, error) {
	gomod, err := output(ctx, "go", "env", "GOMOD")
	gomod = strings.TrimSpace(gomod)
	if err != nil || gomod == "" || gomod == os.DevNull {
		return "", errors.New("run from the launchgate checkout (bench/openapi.sh does): no go.mod found")
	}
	return filepath.Dir(gomod), nil
}

func launchgateBinary(ctx context.Context, c config, tmp string, stderr io.Writer) (string, error) {
	if c.launchgate != "" {
		return filepath.Abs(c.launchgate)
	}
	bin := filepath.Join(tmp, "launchgate")
	fmt.Fprintln(stderr, "building launchgate from this checkout")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/launchgate")
	cmd.Dir = c.checkout
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build launchgate: %w\n%s", err, out)
	}
	return bin, nil
}

func output(ctx context.Context, name string, args ...string) (string, error) {
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}
