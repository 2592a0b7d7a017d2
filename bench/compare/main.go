// Command compare benchmarks launchgate's history and staged scans against
// gitleaks and against plain `git log -p`, side by side on one repository,
// and checks that launchgate finds every secret gitleaks finds. Run it
// through bench/compare.sh; see bench/README.md.
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
	"github.com/launchgate/launchgate/bench/internal/synth"
)

const (
	gitleaksModule  = "github.com/zricethezav/gitleaks/v8"
	gitleaksVersion = "v8.30.1"
	// launchgateDecodeDepth mirrors internal/rules/gitleaks.DecodeDepth,
	// which has no flag; it is printed so a mismatch with -decode-depth shows.
	launchgateDecodeDepth = 5
	// stagedFile is the new file the staged benchmark adds.
	stagedFile = "bench-staged.env"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	runs, stagedRuns     int
	staged, keep         bool
	commits, branches    int
	huge, decodeDepth    int
	seed                 uint64
	gitleaks, launchgate string
	repo                 string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bench/compare.sh [flags] [REPO_PATH]\n\nWithout REPO_PATH a synthetic repository is generated.\n\nflags:")
		fs.PrintDefaults()
	}
	fs.IntVar(&c.runs, "n", 5, "timed runs of each history scan")
	fs.IntVar(&c.stagedRuns, "staged-runs", 21, "timed runs of each staged scan")
	fs.BoolVar(&c.staged, "staged", true, "also benchmark the staged (pre-commit) scan")
	fs.BoolVar(&c.keep, "keep", false, "keep the temporary directory (repositories, reports)")
	fs.IntVar(&c.commits, "commits", 3000, "commits in the generated repository")
	fs.IntVar(&c.branches, "branches", 6, "branches besides main in the generated repository")
	fs.Uint64Var(&c.seed, "seed", 1, "seed of the generated repository")
	fs.IntVar(&c.huge, "huge", 0, "add a text file of this many MB to the generated repository")
	fs.IntVar(&c.decodeDepth, "decode-depth", 5, "gitleaks --max-decode-depth (5: gitleaks' default and launchgate's fixed depth)")
	fs.StringVar(&c.gitleaks, "gitleaks", "", "gitleaks binary to use instead of the cached "+gitleaksVersion)
	fs.StringVar(&c.launchgate, "launchgate", "", "launchgate binary to use instead of building this checkout")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return c, errors.New("at most one REPO_PATH")
	}
	if c.runs < 1 || c.stagedRuns < 1 {
		return c, errors.New("-n and -staged-runs must be at least 1")
	}
	c.repo = fs.Arg(0)
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "compare: %v\n", err)
		}
		return 2
	}
	tmp, err := os.MkdirTemp("", "launchgate-bench-")
	if err != nil {
		fmt.Fprintf(stderr, "compare: %v\n", err)
		return 2
	}
	if c.keep {
		fmt.Fprintf(stderr, "keeping %s\n", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	code, err := compare(ctx, c, tmp, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "compare: %v\n", err)
		return 2
	}
	return code
}

// compare runs both benchmarks and returns 1 when launchgate missed a
// secret gitleaks found.
func compare(ctx context.Context, c config, tmp string, stdout, stderr io.Writer) (int, error) {
	lg, err := launchgateBinary(ctx, c, tmp, stderr)
	if err != nil {
		return 0, err
	}
	gl, err := gitleaksBinary(ctx, c, tmp, stderr)
	if err != nil {
		return 0, err
	}
	repo, planted, err := prepareRepo(ctx, c, tmp, stderr)
	if err != nil {
		return 0, err
	}
	out, err := output(ctx, "git", "-C", repo, "rev-list", "--all", "--count")
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(stdout, "repository  %s (%s commits reachable from any ref)\n", repo, strings.TrimSpace(out))
	fmt.Fprintf(stdout, "machine     %s/%s, %d CPUs; results are machine-specific, compare ratios\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	fmt.Fprintf(stdout, "decoding    gitleaks --max-decode-depth %d; launchgate decodes to depth %d (rules/gitleaks.DecodeDepth)\n\n", c.decodeDepth, launchgateDecodeDepth)

	code, err := historyBench(ctx, c, tmp, repo, lg, gl, planted, stdout, stderr)
	if err != nil || !c.staged {
		return code, err
	}
	stagedCode, err := stagedBench(ctx, c, tmp, repo, lg, gl, stdout, stderr)
	return max(code, stagedCode), err
}

func launchgateBinary(ctx context.Context, c config, tmp string, stderr io.Writer) (string, error) {
	if c.launchgate != "" {
		return c.launchgate, nil
	}
	gomod, err := output(ctx, "go", "env", "GOMOD")
	if err != nil || strings.TrimSpace(gomod) == "" || strings.TrimSpace(gomod) == os.DevNull {
		return "", fmt.Errorf("run from the launchgate checkout (bench/compare.sh does): no go.mod found")
	}
	bin := filepath.Join(tmp, "launchgate")
	fmt.Fprintln(stderr, "building launchgate from this checkout")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/launchgate")
	cmd.Dir = filepath.Dir(strings.TrimSpace(gomod))
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build launchgate: %w\n%s", err, out)
	}
	return bin, nil
}

// gitleaksBinary returns the pinned gitleaks, installing it into the user
// cache on first use so later runs skip the build.
func gitleaksBinary(ctx context.Context, c config, tmp string, stderr io.Writer) (string, error) {
	if c.gitleaks != "" {
		return c.gitleaks, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find cache directory: %w", err)
	}
	dir := filepath.Join(cache, "launchgate-bench", "gitleaks-"+gitleaksVersion)
	bin := filepath.Join(dir, "gitleaks")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	fmt.Fprintf(stderr, "installing gitleaks %s into %s\n", gitleaksVersion, dir)
	cmd := exec.CommandContext(ctx, "go", "install", gitleaksModule+"@"+gitleaksVersion)
	// Outside the checkout, so its go.mod and any GOFLAGS for it play no part.
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOBIN="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("install gitleaks: %w\n%s", err, out)
	}
	return bin, nil
}

// prepareRepo returns the repository to scan and, when known, the secrets
// planted in it.
func prepareRepo(ctx context.Context, c config, tmp string, stderr io.Writer) (string, *synth.Summary, error) {
	if c.repo == "" {
		dir := filepath.Join(tmp, "synth")
		fmt.Fprintf(stderr, "generating a synthetic repository: %d commits, seed %d\n", c.commits, c.seed)
		sum, err := synth.Generate(ctx, synth.Options{
			Dir: dir, Commits: c.commits, Seed: c.seed, Branches: c.branches, HugeMB: c.huge,
		})
		if err != nil {
			return "", nil, fmt.Errorf("generate repository: %w", err)
		}
		return dir, sum, nil
	}
	repo, err := filepath.Abs(c.repo)
	if err != nil {
		return "", nil, fmt.Errorf("repository %q: %w", c.repo, err)
	}
	if _, err := output(ctx, "git", "-C", repo, "rev-parse", "--git-dir"); err != nil {
		return "", nil, fmt.Errorf("repository %q: %w", c.repo, err)
	}
	sum, err := synth.ReadSummary(synth.PlantedPath(repo))
	if errors.Is(err, os.ErrNotExist) {
		return repo, nil, nil
	}
	return repo, sum, err
}

// tool is one command under test.
type tool struct {
	name string
	argv []string
	// ok lists exit codes that mean success; "found secrets" is one.
	ok []int
}

type sample struct {
	wall time.Duration
	rss  int64
}

// measure runs argv once and returns its wall time and peak memory.
func measure(ctx context.Context, t tool) (sample, error) {
	cmd := exec.CommandContext(ctx, t.argv[0], t.argv[1:]...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr // stdout stays nil: the null device
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return sample{}, fmt.Errorf("%s: %w", t.name, err)
	}
	if code := cmd.ProcessState.ExitCode(); !contains(t.ok, code) {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 2000 {
			msg = msg[len(msg)-2000:]
		}
		return sample{}, fmt.Errorf("%s exited %d: %s\n%s", t.name, code, strings.Join(t.argv, " "), msg)
	}
	return sample{wall: wall, rss: rusage.PeakRSS(cmd.ProcessState)}, nil
}

func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// bench runs every tool runs times, interleaved and in rotating order, so
// that drift in the machine's state (caches, other load, thermal) spreads
// over all tools instead of favouring one.
func bench(ctx context.Context, tools []tool, runs int, label string, stderr io.Writer) (map[string][]sample, error) {
	res := map[string][]sample{}
	progress := "%s run %d/%d\n"
	if isTerminal(stderr) {
		progress = "\r%s run %d/%d"
		defer fmt.Fprintln(stderr)
	}
	for i := range runs {
		fmt.Fprintf(stderr, progress, label, i+1, runs)
		for j := range tools {
			t := tools[(i+j)%len(tools)]
			s, err := measure(ctx, t)
			if err != nil {
				return nil, err
			}
			res[t.name] = append(res[t.name], s)
		}
	}
	return res, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
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
	st := stats{min: walls[0], max: walls[n-1], median: walls[n/2], rss: rss[n/2]}
	if n%2 == 0 {
		st.median = (walls[n/2-1] + walls[n/2]) / 2
		st.rss = (rss[n/2-1] + rss[n/2]) / 2
	}
	return st
}

func seconds(d time.Duration) string {
	if d < time.Second {
		return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) + "s"
}

func mib(b int64) string { return strconv.FormatFloat(float64(b)/(1<<20), 'f', 0, 64) + " MiB" }

func ratio(a, b time.Duration) string {
	if b == 0 {
		return "n/a"
	}
	return strconv.FormatFloat(float64(a)/float64(b), 'f', 2, 64) + "x"
}

func historyBench(ctx context.Context, c config, tmp, repo, lg, gl string, planted *synth.Summary, stdout, stderr io.Writer) (int, error) {
	glReport := filepath.Join(tmp, "history-gitleaks.json")
	lgReport := filepath.Join(tmp, "history-launchgate.json")
	tools := []tool{
		{name: "git log -p", argv: []string{"git", "-C", repo, "log", "-p", "-U0", "--all"}, ok: []int{0}},
		{name: "gitleaks", ok: []int{0, 1}, argv: []string{
			gl, "git", "--no-banner", "--log-level", "error", "--max-decode-depth", strconv.Itoa(c.decodeDepth),
			"--report-format", "json", "--report-path", glReport, repo}},
		{name: "launchgate", ok: []int{0, 1}, argv: []string{
			lg, "scan", "--history", "--format", "json", "--show-secrets", "--output", lgReport, repo}},
	}
	// One untimed pass puts the repository in the page cache for everyone.
	if _, err := measure(ctx, tools[0]); err != nil {
		return 0, err
	}
	res, err := bench(ctx, tools, c.runs, "history", stderr)
	if err != nil {
		return 0, err
	}
	found, err := readReports(glReport, lgReport)
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(stdout, "HISTORY SCAN (%d runs each)\n", c.runs)
	printTable(stdout, tools, res, found)
	git, g, l := summarise(res["git log -p"]), summarise(res["gitleaks"]), summarise(res["launchgate"])
	fmt.Fprintf(stdout, "gitleaks / launchgate   %s  (above 1: launchgate is faster)\n", ratio(g.median, l.median))
	fmt.Fprintf(stdout, "launchgate / git log    %s  (launchgate's time in units of just reading history as patches)\n\n", ratio(l.median, git.median))

	code := printRecall(stdout, "history", found["gitleaks"], found["launchgate"])
	if planted != nil {
		printPlanted(stdout, planted, found)
	}
	return code, nil
}

func readReports(glReport, lgReport string) (map[string]secrets, error) {
	gb, err := os.ReadFile(glReport)
	if err != nil {
		return nil, fmt.Errorf("read gitleaks report: %w", err)
	}
	gs, err := parseGitleaks(gb)
	if err != nil {
		return nil, err
	}
	lb, err := os.ReadFile(lgReport)
	if err != nil {
		return nil, fmt.Errorf("read launchgate report: %w", err)
	}
	ls, err := parseLaunchgate(lb)
	if err != nil {
		return nil, err
	}
	return map[string]secrets{"gitleaks": gs, "launchgate": ls}, nil
}

func printTable(w io.Writer, tools []tool, res map[string][]sample, found map[string]secrets) {
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "tool\tmedian\tmin\tmax\tpeak RSS (median)\tunique secrets\t")
	for _, t := range tools {
		st := summarise(res[t.name])
		sec := "-"
		if f, ok := found[t.name]; ok {
			sec = fmt.Sprintf("%d (%d findings, %d occurrences)", len(f.values), f.findings, f.occurrences)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", t.name, seconds(st.median), seconds(st.min), seconds(st.max), mib(st.rss), sec)
	}
	tw.Flush()
	fmt.Fprintln(w)
}

// printRecall lists what gitleaks found and launchgate did not, and what
// only launchgate found. It returns 1 if launchgate missed anything.
func printRecall(w io.Writer, label string, gl, lg secrets) int {
	miss := missing(gl, lg)
	extra := missing(lg, gl)
	code := 0
	if len(miss) == 0 {
		fmt.Fprintf(w, "recall (%s): launchgate found all %d secrets gitleaks found\n", label, len(gl.values))
	} else {
		code = 1
		fmt.Fprintf(w, "recall (%s): INCOMPLETE, launchgate missed %d of %d secrets gitleaks found:\n", label, len(miss), len(gl.values))
		for _, v := range miss {
			fmt.Fprintf(w, "  %s  %s\n", gl.values[v], clip(v))
		}
	}
	if len(extra) > 0 {
		fmt.Fprintf(w, "only launchgate (%s): %d secrets\n", label, len(extra))
		for _, v := range extra {
			fmt.Fprintf(w, "  %s  %s\n", lg.values[v], clip(v))
		}
	}
	fmt.Fprintln(w)
	return code
}

func clip(s string) string {
	if len(s) > 72 {
		return s[:72] + "…"
	}
	return s
}

// printPlanted checks both tools against the generator's ground truth.
// Content only a merge introduces is invisible to `git log -p`, so gitleaks
// is expected to miss the merge-resolution secret.
func printPlanted(w io.Writer, sum *synth.Summary, found map[string]secrets) {
	want := secrets{values: map[string]string{}}
	for _, p := range sum.Planted {
		where := string(p.Kind) + " " + p.Path
		if p.Via != "" {
			where += " (via " + p.Via + ")"
		}
		want.values[normalise(p.Secret)] = where
	}
	for _, name := range []string{"gitleaks", "launchgate"} {
		miss := missing(want, found[name])
		fmt.Fprintf(w, "planted: %s found %d of %d\n", name, len(want.values)-len(miss), len(want.values))
		for _, v := range miss {
			fmt.Fprintf(w, "  missed %s  %s\n", want.values[v], clip(v))
		}
	}
	fmt.Fprintln(w)
}

// stagedBench stages a small change in a clone and times both tools'
// pre-commit scans of it.
func stagedBench(ctx context.Context, c config, tmp, repo, lg, gl string, stdout, stderr io.Writer) (int, error) {
	clone := filepath.Join(tmp, "staged")
	if _, err := output(ctx, "git", "clone", "-q", "--local", repo, clone); err != nil {
		return 0, err
	}
	edited, token, err := stageChange(ctx, clone, c.seed)
	if err != nil {
		return 0, err
	}
	glReport := filepath.Join(tmp, "staged-gitleaks.json")
	lgReport := filepath.Join(tmp, "staged-launchgate.json")
	tools := []tool{
		{name: "gitleaks", ok: []int{0, 1}, argv: []string{
			gl, "git", "--pre-commit", "--staged", "--no-banner", "--log-level", "error",
			"--max-decode-depth", strconv.Itoa(c.decodeDepth), "--report-format", "json", "--report-path", glReport, clone}},
		{name: "launchgate", ok: []int{0, 1}, argv: []string{
			lg, "scan", "--staged", "--format", "json", "--show-secrets", "--output", lgReport, clone}},
	}
	res, err := bench(ctx, tools, c.stagedRuns, "staged", stderr)
	if err != nil {
		return 0, err
	}
	found, err := readReports(glReport, lgReport)
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(stdout, "STAGED SCAN (%d runs each; staged: edit of %s, new %s with one token)\n", c.stagedRuns, edited, stagedFile)
	printTable(stdout, tools, res, found)
	g, l := summarise(res["gitleaks"]), summarise(res["launchgate"])
	fmt.Fprintf(stdout, "gitleaks / launchgate   %s  (above 1: launchgate is faster)\n\n", ratio(g.median, l.median))
	code := printRecall(stdout, "staged", found["gitleaks"], found["launchgate"])
	// The recall check alone would pass if neither tool saw the token.
	for _, name := range []string{"gitleaks", "launchgate"} {
		if _, ok := found[name].values[token]; !ok {
			fmt.Fprintf(stdout, "staged: %s did not report the staged token\n", name)
			if name == "launchgate" {
				code = 1
			}
		}
	}
	return code, nil
}

// stageChange edits one small tracked text file and adds a new file with a
// generated token, then stages both. It returns the edited path ("(none)"
// if no tracked file was suitable) and the token.
func stageChange(ctx context.Context, clone string, seed uint64) (edited, token string, err error) {
	out, err := output(ctx, "git", "-C", clone, "ls-files", "-z")
	if err != nil {
		return "", "", err
	}
	files := strings.Split(strings.TrimRight(out, "\x00"), "\x00")
	sort.Strings(files)
	for _, f := range files {
		switch strings.ToLower(filepath.Ext(f)) {
		case ".go", ".js", ".ts", ".py", ".yaml", ".yml", ".md", ".txt", ".rb", ".java":
		default:
			continue
		}
		p := filepath.Join(clone, filepath.FromSlash(f))
		b, err := os.ReadFile(p)
		if err != nil || len(b) > 64<<10 || bytes.IndexByte(b, 0) >= 0 {
			continue
		}
		b = append(b, "\nstaged benchmark edit\n"...)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return "", "", fmt.Errorf("edit %q: %w", f, err)
		}
		edited = f
		break
	}
	token = synth.NewSecret(synth.NewRand(seed), synth.KindGitHubPAT).Value
	if err := os.WriteFile(filepath.Join(clone, stagedFile), []byte("PORT=8080\nGITHUB_TOKEN="+token+"\n"), 0o644); err != nil {
		return "", "", fmt.Errorf("write %s: %w", stagedFile, err)
	}
	args := []string{"-C", clone, "add", "--", stagedFile}
	if edited != "" {
		args = append(args, edited)
	} else {
		edited = "(none)"
	}
	if _, err := output(ctx, "git", args...); err != nil {
		return "", "", err
	}
	return edited, token, nil
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
