package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/launchgate/launchgate/internal/config"
	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/hook"
	"github.com/launchgate/launchgate/internal/report"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/scan"
)

// version is set at release time with -ldflags "-X main.version=v1.2.3".
var version = ""

// Exit codes.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
)

type stdio struct {
	in       io.Reader
	out, err io.Writer
}

const usage = `launchgate decides whether a web app or API is ready for a security review.

Usage:
  launchgate scan [PATH] [flags]      scan the work tree (default), staged changes or git history
  launchgate baseline [PATH] [flags]  record current findings so only new ones fail
  launchgate live --url URL [flags]   probe a running deployment (auth, IDs, CORS, TLS, latency…)
  launchgate hook install [PATH]      add launchgate to the repository's pre-commit hook
  launchgate hook uninstall [PATH]    remove it again
  launchgate rules [--format text|json|markdown]   list every rule with its doc
  launchgate action                   run as a GitHub Actions step (see action.yml)
  launchgate version                  print the version

Run "launchgate scan -h" for scan flags, "launchgate live -h" for live flags.
Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage, config or input error.
`

func run(ctx context.Context, args []string, io stdio, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(io.err, usage)
		return exitUsage
	}
	switch args[0] {
	case "scan":
		return runScan(ctx, args[1:], io, false)
	case "baseline":
		return runScan(ctx, args[1:], io, true)
	case "live":
		return runLive(ctx, args[1:], io)
	case "hook":
		return runHook(args[1:], io)
	case "rules":
		return runRules(args[1:], io)
	case "action":
		return runAction(ctx, args[1:], io, getenv)
	case "version", "--version", "-version":
		fmt.Fprintf(io.out, "launchgate %s\n", currentVersion())
		return exitOK
	case "help", "-h", "--help", "-help":
		fmt.Fprint(io.out, usage)
		return exitOK
	default:
		fmt.Fprintf(io.err, "launchgate: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
}

// softMemoryLimit is the heap size above which scans collect garbage
// eagerly.
const softMemoryLimit = 448 << 20

func currentVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// parse lets flags and the positional argument come in any order, as
// users of most CLIs expect (`launchgate scan . --history`).
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// Parse drops the "--" that ends the flags; what follows it is
		// positional even if it looks like a flag.
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func runScan(ctx context.Context, args []string, io stdio, baseline bool) int {
	name := "scan"
	if baseline {
		name = "baseline"
	}
	fs := flag.NewFlagSet("launchgate "+name, flag.ContinueOnError)
	fs.SetOutput(io.err)
	var (
		staged      = fs.Bool("staged", false, "scan only what is staged (index versus HEAD), for pre-commit")
		history     = fs.Bool("history", false, "scan every commit reachable from any ref")
		rng         = fs.String("range", "", "scan only commits in `BASE..HEAD` (pull requests)")
		format      = fs.String("format", "text", "report format: "+strings.Join(report.Formats, ", "))
		output      = fs.String("output", "", "write the report to `FILE` instead of stdout")
		cfgPath     = fs.String("config", "", "settings `FILE` (default .launchgate.yml at the repository root)")
		blPath      = fs.String("baseline", "", "ignore findings recorded in `FILE`")
		failOn      = fs.String("fail-on", "", "exit 1 when a finding is at or above this severity: critical, high, medium, low or none (default high)")
		showSecrets = fs.Bool("show-secrets", false, "print matched secrets unredacted")
		maxSize     = fs.String("max-file-size", "", "skip files larger than this (e.g. 10MB; default 10MB)")
		reason      = fs.String("reason", "accepted when the baseline was created", "reason recorded for new baseline entries (baseline only)")
		build       stringList
		specs       stringList
	)
	fs.Var(&build, "build", "also scan build output in `DIR`, ignored or not (repeatable; a work-tree scan finds dist, build, out, .next, .output and public itself)")
	fs.Var(&specs, "openapi", "also check the OpenAPI or Swagger spec `FILE` (repeatable; specs in the tree are found without it)")
	fs.Usage = func() {
		if baseline {
			fmt.Fprintf(io.err, "Usage: launchgate baseline [PATH] [flags]\n\nRecords the current findings in a baseline file (default %s) so that only new findings fail.\n\nFlags:\n", config.DefaultBaselineFile)
		} else {
			fmt.Fprint(io.err, "Usage: launchgate scan [PATH] [flags]\n\nScans PATH (default .): the work tree by default, or staged changes, or git history.\n\nFlags:\n")
		}
		fs.PrintDefaults()
	}
	pos, err := parse(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if len(pos) > 1 {
		fmt.Fprintf(io.err, "launchgate %s: want at most one PATH, got %q\n", name, pos)
		return exitUsage
	}
	opts := scan.Options{Path: ".", ShowSecrets: *showSecrets, ConfigPath: *cfgPath, BaselinePath: *blPath, Build: build, OpenAPI: specs, Version: currentVersion()}
	if len(pos) == 1 {
		opts.Path = pos[0]
	}
	modes := 0
	if *staged {
		modes++
		opts.Mode = scan.Staged
	}
	if *history {
		modes++
		opts.Mode = scan.History
	}
	if *rng != "" {
		modes++
		opts.Mode, opts.Range = scan.Range, *rng
	}
	if (*history || *rng != "") && os.Getenv("GOGC") == "" {
		// A history scan allocates briskly while holding little; collecting
		// sooner than Go's default keeps its peak memory near what it
		// uses. Short scans are better off collecting less. GOGC in the
		// environment still wins.
		debug.SetGCPercent(50)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// A large OpenAPI spec (GitHub's is 13 MB) decodes into a few
		// hundred MB of short-lived nodes; with a soft limit the collector
		// works harder near it instead of letting the heap double. Scans
		// that need more still get it. GOMEMLIMIT in the environment wins.
		debug.SetMemoryLimit(softMemoryLimit)
	}
	if modes > 1 {
		fmt.Fprintf(io.err, "launchgate %s: --staged, --history and --range are exclusive\n", name)
		return exitUsage
	}
	for _, p := range specs {
		if info, err := os.Stat(p); err != nil || info.IsDir() {
			fmt.Fprintf(io.err, "launchgate %s: --openapi %q: no such file\n", name, p)
			return exitUsage
		}
	}
	if *failOn != "" {
		sev, err := finding.ParseSeverity(*failOn)
		if err != nil {
			fmt.Fprintf(io.err, "launchgate %s: --fail-on: %v\n", name, err)
			return exitUsage
		}
		opts.FailOn = &sev
	}
	if *maxSize != "" {
		n, err := config.ParseSize(*maxSize)
		if err != nil || n <= 0 {
			fmt.Fprintf(io.err, "launchgate %s: --max-file-size %q: want a size such as 10MB\n", name, *maxSize)
			return exitUsage
		}
		opts.MaxFileSize = n
	}
	if !baseline && !validFormat(*format) {
		fmt.Fprintf(io.err, "launchgate scan: unknown --format %q (want %s)\n", *format, strings.Join(report.Formats, ", "))
		return exitUsage
	}
	if baseline {
		// A baseline records everything found, without the old baseline
		// hiding what it already holds. The scan has no "no baseline"
		// option, so it gets an empty one.
		empty, cleanup, err := emptyBaseline()
		if err != nil {
			fmt.Fprintf(io.err, "launchgate baseline: %v\n", err)
			return exitUsage
		}
		defer cleanup()
		opts.BaselinePath = empty
	}

	res, err := scan.Run(ctx, opts)
	if err != nil {
		fmt.Fprintf(io.err, "launchgate %s: %v\n", name, err)
		return exitUsage
	}
	if baseline {
		return writeBaseline(opts, *blPath, *output, *reason, res, io)
	}

	return emit(res, *format, *output, "", io, "launchgate scan")
}

// emit writes a result in format to output (stdout when empty) and turns
// it into the exit code. Warnings live in the report; for machine
// formats, or a report sent to a file, they are said on stderr as well so
// that a CI log shows them. what ends the "N finding(s)" line.
func emit(res report.Result, format, output, what string, io stdio, cmd string) int {
	var buf bytes.Buffer
	if err := report.Write(format, &buf, res); err != nil {
		fmt.Fprintf(io.err, "%s: %v\n", cmd, err)
		return exitUsage
	}
	if output != "" {
		if err := os.WriteFile(output, buf.Bytes(), 0o644); err != nil {
			fmt.Fprintf(io.err, "%s: write report: %v\n", cmd, err)
			return exitUsage
		}
	} else if _, err := io.out.Write(buf.Bytes()); err != nil {
		return exitUsage
	}
	if format != "text" || output != "" {
		for _, w := range res.Warnings {
			fmt.Fprintf(io.err, "launchgate: warning: %s\n", w)
		}
		for _, e := range res.Errors {
			fmt.Fprintf(io.err, "launchgate: error: %s\n", e)
		}
		if output != "" {
			fmt.Fprintf(io.err, "launchgate: %d finding(s)%s; report written to %s\n", len(res.Findings), what, output)
		}
	}
	if res.Failed {
		return exitFindings
	}
	return exitOK
}

func validFormat(f string) bool {
	for _, n := range report.Formats {
		if n == f {
			return true
		}
	}
	return false
}

// emptyBaseline writes a baseline with no entries to a temporary file and
// returns its path and a function that removes it.
func emptyBaseline() (path string, cleanup func(), err error) {
	dir, err := os.MkdirTemp("", "launchgate-baseline-")
	if err != nil {
		return "", nil, fmt.Errorf("make empty baseline: %w", err)
	}
	cleanup = func() { _ = os.RemoveAll(dir) }
	var buf bytes.Buffer
	if err := config.WriteBaseline(&buf, nil, "", nil); err != nil {
		cleanup()
		return "", nil, err
	}
	path = filepath.Join(dir, config.DefaultBaselineFile)
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("make empty baseline: %w", err)
	}
	return path, cleanup, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func writeBaseline(opts scan.Options, flagPath, output, reason string, res report.Result, io stdio) int {
	setup, err := scan.Prepare(scan.Options{Path: opts.Path, ConfigPath: opts.ConfigPath})
	if err != nil {
		fmt.Fprintf(io.err, "launchgate baseline: %v\n", err)
		return exitUsage
	}
	// repoPath is the baseline scans use; the reasons already given in it
	// carry over even when the new one goes elsewhere (or to stdout).
	repoPath := flagPath
	if repoPath == "" && setup.Config.Baseline != "" {
		repoPath = filepath.Join(setup.Root, filepath.FromSlash(setup.Config.Baseline))
	}
	if repoPath == "" {
		repoPath = filepath.Join(setup.Root, config.DefaultBaselineFile)
	}
	path, keepFrom := repoPath, repoPath
	if output != "" {
		path = output
		if output != "-" && fileExists(output) {
			keepFrom = output
		}
	}
	var keep *config.Baseline
	if old, err := config.LoadBaseline(keepFrom); err == nil {
		keep = old
	} else if !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(io.err, "launchgate baseline: %v\n", err)
		return exitUsage
	}
	var buf bytes.Buffer
	if err := config.WriteBaseline(&buf, res.Findings, reason, keep); err != nil {
		fmt.Fprintf(io.err, "launchgate baseline: %v\n", err)
		return exitUsage
	}
	if path == "-" {
		_, _ = io.out.Write(buf.Bytes())
		return exitOK
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintf(io.err, "launchgate baseline: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(io.err, "launchgate: wrote %d finding(s) to %s; commit it and give each entry a reason\n", len(res.Findings), path)
	return exitOK
}

func runHook(args []string, io stdio) int {
	if len(args) == 0 || (args[0] != "install" && args[0] != "uninstall") {
		fmt.Fprint(io.err, "Usage: launchgate hook install|uninstall [PATH]\n")
		return exitUsage
	}
	path := "."
	if len(args) > 1 {
		path = args[1]
	}
	if len(args) > 2 {
		fmt.Fprint(io.err, "Usage: launchgate hook install|uninstall [PATH]\n")
		return exitUsage
	}
	do := hook.Install
	if args[0] == "uninstall" {
		do = hook.Uninstall
	}
	r, err := do(path)
	if err != nil {
		fmt.Fprintf(io.err, "launchgate hook %s: %v\n", args[0], err)
		return exitUsage
	}
	fmt.Fprintf(io.out, "%s: %s (%s)\n", r.Action, r.Path, r.Manager)
	return exitOK
}

func runRules(args []string, io stdio) int {
	fs := flag.NewFlagSet("launchgate rules", flag.ContinueOnError)
	fs.SetOutput(io.err)
	format := fs.String("format", "text", "output format: text, json or markdown")
	if _, err := parse(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	rules, err := scan.AllRules()
	if err != nil {
		fmt.Fprintf(io.err, "launchgate rules: %v\n", err)
		return exitUsage
	}
	switch *format {
	case "text":
		tw := tabwriter.NewWriter(io.out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "RULE\tCHECK\tSEVERITY\tTITLE")
		for _, r := range rules {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Check, r.Severity, r.Title)
		}
		tw.Flush()
	case "json":
		type doc struct {
			ID       string `json:"id"`
			Check    string `json:"check"`
			Severity string `json:"severity"`
			Title    string `json:"title"`
			Doc      string `json:"doc"`
			Fix      string `json:"fix"`
		}
		docs := make([]doc, 0, len(rules))
		for _, r := range rules {
			docs = append(docs, doc{r.ID, r.Check, r.Severity.String(), r.Title, r.Doc, r.Fix})
		}
		enc := json.NewEncoder(io.out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(docs); err != nil {
			return exitUsage
		}
	case "markdown":
		writeRulesMarkdown(io.out, rules)
	default:
		fmt.Fprintf(io.err, "launchgate rules: unknown --format %q (want text, json or markdown)\n", *format)
		return exitUsage
	}
	return exitOK
}

// writeRulesMarkdown renders docs/rules.md.
func writeRulesMarkdown(w io.Writer, rules []*rule.Rule) {
	fmt.Fprint(w, "# launchgate rules\n\nGenerated by `launchgate rules --format markdown`; do not edit by hand.\n\n")
	byCheck := map[string][]*rule.Rule{}
	for _, r := range rules {
		byCheck[r.Check] = append(byCheck[r.Check], r)
	}
	for _, c := range rule.Checks {
		rs := byCheck[c]
		if len(rs) == 0 {
			continue
		}
		fmt.Fprintf(w, "## %s (%d rules)\n\n", c, len(rs))
		sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
		for _, r := range rs {
			fmt.Fprintf(w, "### `%s`\n\n**Severity:** %s. %s\n\n%s\n\n**Fix:** %s\n\n", r.ID, r.Severity, r.Title, r.Doc, r.Fix)
		}
	}
}
