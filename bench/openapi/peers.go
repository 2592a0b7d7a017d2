package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// The npm packages are pinned to the versions this benchmark was written
// against; a cached install with other versions is reinstalled.
const (
	spectralCLI     = "@stoplight/spectral-cli"
	spectralCLIVer  = "6.16.3"
	owaspRuleset    = "@stoplight/spectral-owasp-ruleset"
	owaspRulesetVer = "2.0.1"
	octokitOpenAPI  = "@octokit/openapi"
	octokitVer      = "23.0.2"

	vacuumModule  = "github.com/daveshanley/vacuum"
	vacuumVersion = "v0.20.0"
)

// One rule of Spectral's OWASP ruleset, no-numeric-ids (API1:2023), aborts
// the whole run on GitHub's spec ("jsonPath: func is not a function"). Its
// JSONPath descends into every key named "parameters", including a schema
// property of that name in the repository-rules schemas, whose "name" there
// is a schema object rather than a string, and its filter calls .match on
// it. The benchmark turns that rule off for every spec, so each tool runs
// the same rules everywhere; vacuum gets the same rule off under its own
// name.
const (
	spectralOffRule = "owasp:api1:2023-no-numeric-ids" // launchgate:allow secrets/generic-api-key -- a Spectral rule ID
	vacuumOffRule   = "owasp-no-numeric-ids"
)

// specNames are the specs the benchmark knows by name, in order.
var specNames = []string{"small", "github", "github-deref"}

// resolveSpecs turns the SPEC arguments into files, installing GitHub's
// description when a name needs it, and counts each one's operations.
func resolveSpecs(ctx context.Context, c *config, stderr io.Writer) ([]specFile, error) {
	var out []specFile
	for _, arg := range c.specs {
		s := specFile{label: filepath.Base(arg), path: arg}
		if _, err := os.Stat(arg); err != nil {
			switch arg {
			case "small":
				s.path = filepath.Join(c.checkout, "bench", "openapi", "testdata", "small.yaml")
			case "github", "github-deref":
				dir, err := octokitDir(ctx, c, stderr)
				if err != nil {
					return nil, err
				}
				name := "api.github.com.json"
				if arg == "github-deref" {
					name = "api.github.com.deref.json"
				}
				s.path = filepath.Join(dir, "node_modules", octokitOpenAPI, "generated", name)
			default:
				return nil, fmt.Errorf("spec %q: no such file, and not one of %s", arg, strings.Join(specNames, ", "))
			}
			s.label = arg + " (" + filepath.Base(s.path) + ")"
		}
		abs, err := filepath.Abs(s.path)
		if err != nil {
			return nil, fmt.Errorf("spec %q: %w", arg, err)
		}
		s.path = abs
		// Reading the whole file also puts it in the page cache before the
		// first timed run.
		data, err := os.ReadFile(s.path)
		if err != nil {
			return nil, fmt.Errorf("spec %q: %w", arg, err)
		}
		s.size = int64(len(data))
		if s.operations, err = countOperations(s.path, data); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// octokitDir returns the directory holding @octokit/openapi, installing
// the pinned version into the cache on first use.
func octokitDir(ctx context.Context, c *config, stderr io.Writer) (string, error) {
	if c.octokitDir != "" {
		return c.octokitDir, nil
	}
	dir := filepath.Join(c.cache, "octokit")
	if err := npmEnsure(ctx, dir, map[string]string{octokitOpenAPI: octokitVer}, stderr); err != nil {
		return "", err
	}
	c.octokitDir = dir
	return dir, nil
}

// npmEnsure installs the pinned packages into dir unless every one is
// there at its pinned version already.
func npmEnsure(ctx context.Context, dir string, pins map[string]string, stderr io.Writer) error {
	var args []string
	for name, ver := range pins {
		if got, _ := packageVersion(dir, name); got != ver {
			args = nil
			for n, v := range pins {
				args = append(args, n+"@"+v)
			}
			break
		}
	}
	if args == nil {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// A package.json of its own keeps npm from installing into a project
	// further up the tree.
	pj := filepath.Join(dir, "package.json")
	if _, err := os.Stat(pj); errors.Is(err, os.ErrNotExist) {
		if err := os.WriteFile(pj, []byte(`{"private": true, "description": "peers of the launchgate OpenAPI benchmark"}`+"\n"), 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "npm install %s into %s\n", strings.Join(args, " "), dir)
	cmd := exec.CommandContext(ctx, "npm", append([]string{"install", "--no-audit", "--no-fund", "--save-exact", "--prefix", dir}, args...)...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("npm install %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// packageVersion reads the version of an installed npm package.
func packageVersion(dir, name string) (string, error) {
	pj, err := readPackageJSON(dir, name)
	return pj.Version, err
}

type packageJSON struct {
	Version string `json:"version"`
	// Main is the CommonJS entry point, relative to the package.
	Main string `json:"main"`
}

func readPackageJSON(dir, name string) (packageJSON, error) {
	var pj packageJSON
	b, err := os.ReadFile(filepath.Join(dir, "node_modules", name, "package.json"))
	if err != nil {
		return pj, err
	}
	if err := json.Unmarshal(b, &pj); err != nil {
		return pj, fmt.Errorf("%s package.json: %w", name, err)
	}
	return pj, nil
}

// spectralTool installs Spectral and the OWASP ruleset if needed, writes
// the ruleset file and describes both on stdout.
func spectralTool(ctx context.Context, c config, tmp string, stdout, stderr io.Writer) (tool, error) {
	dir := c.spectralDir
	if dir == "" {
		dir = filepath.Join(c.cache, "spectral")
		pins := map[string]string{spectralCLI: spectralCLIVer, owaspRuleset: owaspRulesetVer}
		if err := npmEnsure(ctx, dir, pins, stderr); err != nil {
			return tool{}, err
		}
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return tool{}, err
	}
	cliVer, err := packageVersion(dir, spectralCLI)
	if err != nil {
		return tool{}, fmt.Errorf("spectral in %q: %w", dir, err)
	}
	rs, err := readPackageJSON(dir, owaspRuleset)
	if err != nil || rs.Main == "" {
		return tool{}, fmt.Errorf("spectral in %q: no usable %s: %v", dir, owaspRuleset, err)
	}
	rsVer := rs.Version
	entry := filepath.Join(dir, "node_modules", spectralCLI, "dist", "index.js")
	if _, err := os.Stat(entry); err != nil {
		return tool{}, fmt.Errorf("spectral in %q: %w", dir, err)
	}
	node, _ := output(ctx, "node", "--version")

	// Spectral resolves a package name in extends next to the ruleset
	// file, and would look it up online when that fails, so the ruleset
	// names the installed package's entry point by its path.
	ruleset := filepath.Join(tmp, "spectral-owasp.yaml")
	body := spectralRuleset(filepath.Join(dir, "node_modules", owaspRuleset, filepath.FromSlash(rs.Main)))
	if err := os.WriteFile(ruleset, []byte(body), 0o644); err != nil {
		return tool{}, err
	}

	fmt.Fprintf(stdout, "spectral    %s %s, %s %s, node %s (%s)\n", spectralCLI, cliVer, owaspRuleset, rsVer, strings.TrimSpace(node), dir)
	if cliVer != spectralCLIVer || rsVer != owaspRulesetVer {
		fmt.Fprintf(stdout, "            (pinned: %s, %s)\n", spectralCLIVer, owaspRulesetVer)
	}
	fmt.Fprintf(stdout, "            ruleset: the OWASP ruleset with %s off on every spec;\n", spectralOffRule)
	fmt.Fprintf(stdout, "            with it on, Spectral aborts on GitHub's spec (\"jsonPath: func is not a function\")\n")
	heap := ""
	if c.nodeHeapMB > 0 {
		heap = "--max-old-space-size=" + strconv.Itoa(c.nodeHeapMB)
		fmt.Fprintf(stdout, "            node %s\n", heap)
	}
	return tool{
		name: "spectral",
		argv: func(spec, report string) []string {
			argv := []string{"node"}
			if heap != "" {
				argv = append(argv, heap)
			}
			return append(argv, entry, "lint", "--ruleset", ruleset, "--format", "json", "--output", report, "--quiet", spec)
		},
		ok:    []int{0, 1},
		parse: parseSpectral,
	}, nil
}

func spectralRuleset(entry string) string {
	return fmt.Sprintf(`# Written by bench/openapi: Spectral's OWASP ruleset with one rule off
# (see spectralOffRule in bench/openapi/peers.go).
extends:
  - %q
rules:
  %q: off
`, entry, spectralOffRule)
}

// vacuumTool finds or installs vacuum. It reports false, after saying
// why, when there is none to run.
func vacuumTool(ctx context.Context, c config, tmp string, stdout, stderr io.Writer) (tool, bool) {
	bin := c.vacuum
	switch bin {
	case "off":
		fmt.Fprintln(stdout, "vacuum      skipped (-vacuum off)")
		return tool{}, false
	case "":
		dir := filepath.Join(c.cache, "vacuum-"+vacuumVersion)
		bin = filepath.Join(dir, "vacuum")
		if _, err := os.Stat(bin); err != nil {
			fmt.Fprintf(stderr, "installing vacuum %s into %s\n", vacuumVersion, dir)
			cmd := exec.CommandContext(ctx, "go", "install", vacuumModule+"@"+vacuumVersion)
			// Outside the checkout, so its go.mod plays no part.
			cmd.Dir = tmp
			cmd.Env = append(os.Environ(), "GOBIN="+dir)
			if out, err := cmd.CombinedOutput(); err != nil {
				fmt.Fprintf(stdout, "vacuum      skipped: go install %s@%s failed: %s\n", vacuumModule, vacuumVersion, firstLine(string(out)))
				fmt.Fprintln(stdout, "            (-vacuum BIN runs a copy you have; -vacuum off skips this attempt)")
				return tool{}, false
			}
		}
	}
	ver, err := output(ctx, bin, "version")
	if err != nil {
		fmt.Fprintf(stdout, "vacuum      skipped: %s does not run: %v\n", bin, firstLine(err.Error()))
		return tool{}, false
	}
	ruleset := filepath.Join(tmp, "vacuum-owasp.yaml")
	body := fmt.Sprintf("# Written by bench/openapi: vacuum's OWASP rules with the rule Spectral\n# cannot run turned off, so both tools run the same rules.\nextends: [[spectral:owasp, all]]\nrules:\n  %q: off\n", vacuumOffRule)
	if err := os.WriteFile(ruleset, []byte(body), 0o644); err != nil {
		fmt.Fprintf(stdout, "vacuum      skipped: %v\n", err)
		return tool{}, false
	}
	fmt.Fprintf(stdout, "vacuum      %s (%s)\n", firstLine(ver), bin)
	fmt.Fprintf(stdout, "            ruleset: its OWASP rules with %s off, like Spectral\n", vacuumOffRule)
	return tool{
		name: "vacuum",
		argv: func(spec, report string) []string {
			return []string{bin, "spectral-report", "--ruleset", ruleset, spec, report}
		},
		ok:    []int{0, 1},
		parse: parseSpectral,
	}, true
}
