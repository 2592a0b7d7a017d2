// Command codebench times launchgate's code analysis — parsing every
// JavaScript, TypeScript, Python and Go file of a project and running the
// code rules over it — on a directory or on a generated project.
//
//	go run ./bench/codebench [-runs 3] DIR
//	go run ./bench/codebench -synth 5000 [-keep]
//
// It prints files, bytes, the time to parse and the time to run the
// rules, and files per second. Run it by hand; it is not part of CI.
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"syscall"
	"time"

	"github.com/launchgate/launchgate/internal/code"
	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	coderules "github.com/launchgate/launchgate/internal/rules/code"
)

func main() {
	synth := flag.Int("synth", 0, "generate a project of this many files instead of reading DIR")
	keep := flag.Bool("keep", false, "keep the generated project")
	runs := flag.Int("runs", 3, "timed runs; the fastest is reported")
	workers := flag.Int("workers", 2, "parsing workers")
	profile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fail(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fail(err)
		}
		defer pprof.StopCPUProfile()
	}
	dir := flag.Arg(0)
	if *synth > 0 {
		tmp, err := os.MkdirTemp("", "codebench-")
		if err != nil {
			fail(err)
		}
		if !*keep {
			defer os.RemoveAll(tmp)
		} else {
			fmt.Fprintf(os.Stderr, "project in %s\n", tmp)
		}
		if err := generate(tmp, *synth); err != nil {
			fail(err)
		}
		dir = tmp
	}
	if dir == "" {
		fmt.Fprintln(os.Stderr, "usage: codebench [-runs N] DIR | codebench -synth N")
		os.Exit(2)
	}
	inputs, seen, bytes, err := read(dir)
	if err != nil {
		fail(err)
	}
	fmt.Printf("%s: %d candidate files, %d parsed (%.1f MB), GOMAXPROCS %d, cgo parser %v\n", dir, seen, len(inputs), float64(bytes)/(1<<20), runtime.GOMAXPROCS(0), code.TreeSitter)
	best := time.Duration(1<<63 - 1)
	var bestParse, bestRules time.Duration
	var proj *code.Project
	findings := 0
	var bestCPU time.Duration
	for range *runs {
		runtime.GC()
		cpu0 := cpuTime()
		start := time.Now()
		proj = code.Load(inputs, code.Options{Workers: *workers})
		parsed := time.Since(start)
		findings = 0
		for _, r := range coderules.Rules {
			if err := r.Run(rule.NewProjectPass(proj, nil, func(finding.Finding) { findings++ }, r)); err != nil {
				fail(fmt.Errorf("%s: %w", r.ID, err))
			}
		}
		total := time.Since(start)
		if total < best {
			best, bestParse, bestRules, bestCPU = total, parsed, total-parsed, cpuTime()-cpu0
		}
	}
	fmt.Printf("parse %v, rules %v, total %v wall, %v CPU: %.0f files/s\n", bestParse.Round(time.Millisecond),
		bestRules.Round(time.Millisecond), best.Round(time.Millisecond), bestCPU.Round(time.Millisecond),
		float64(seen)/best.Seconds())
	fmt.Printf("%d routes, %d findings, %d unparsed, %d problems\n", len(proj.Routes), findings, proj.Unparsed, len(proj.Problems))
}

// read returns the files the analysis parses, how many candidate files
// there were (before the content checks), and the bytes parsed.
func read(dir string) ([]code.Input, int, int64, error) {
	var inputs []code.Input
	var total int64
	seen := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !code.Candidate(rel) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		seen++
		if len(b) > 1<<20 || !code.Sniff(rel, b) {
			return nil
		}
		total += int64(len(b))
		inputs = append(inputs, code.Input{Path: rel, Content: b})
		return nil
	})
	sort.Slice(inputs, func(i, j int) bool { return inputs[i].Path < inputs[j].Path })
	return inputs, seen, total, err
}

// cpuTime is the user and system time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "codebench:", err)
	os.Exit(2)
}
