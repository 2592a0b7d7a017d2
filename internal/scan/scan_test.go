package scan

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/launchgate/launchgate/internal/config"
	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/scorecard"
	"github.com/launchgate/launchgate/internal/testkit"
)

// Token-shaped values are assembled at run time, so the repository holds
// no string that looks like a live credential.
var secrets = map[string]string{
	"$AWS_KEY":    "AKIA" + "Z7QXW3PLM5RT2VYB",
	"$GH_TOKEN":   "ghp_" + "k3Jd9fLq2ZxW8mNp4RtY7vBc1HsG6eUa0Xo5",
	"$STRIPE_KEY": "sk_live_" + "51Hx9QmT4kLpZ2wR8vN3cYd7",
	"$NUL":        "\x00",
}

func expand(b []byte) []byte {
	s := string(b)
	// Longest names first, so $AWS_KEY is not read as $AWS + _KEY.
	names := make([]string, 0, len(secrets))
	for k := range secrets {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	for _, k := range names {
		s = strings.ReplaceAll(s, k, secrets[k])
	}
	return []byte(s)
}

type want struct {
	Rule, Where, Commit string
	Occurrences         int
}

// TestRepos builds each repository in testdata/repos and checks that the
// scan finds exactly the `want` lines of the archive's comment, at the
// path, line and commit (by message) given.
func TestRepos(t *testing.T) {
	files, _ := filepath.Glob("testdata/repos/*.txtar")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			ar := txtar.Parse(data)
			dir := testkit.GitRepo(t, expand(data))
			opts := Options{Path: dir, Mode: History}
			var wants []want
			stats := map[string]int64{}
			sc := bufio.NewScanner(strings.NewReader(string(ar.Comment)))
			for sc.Scan() {
				f := strings.Fields(sc.Text())
				switch {
				case len(f) >= 4 && f[0] == "want":
					w := want{Rule: f[1], Where: f[2]}
					rest := strings.Join(f[3:], " ")
					if i := strings.LastIndex(rest, `"`); i > 0 {
						w.Commit, _ = strconv.Unquote(rest[:i+1])
						if o, ok := strings.CutPrefix(strings.TrimSpace(rest[i+1:]), "occurrences="); ok {
							w.Occurrences, _ = strconv.Atoi(o)
						}
					}
					wants = append(wants, w)
				case len(f) == 2 && f[0] == "mode" && f[1] == "staged":
					opts.Mode = Staged
				case len(f) == 2 && f[0] == "range":
					opts.Mode, opts.Range = Range, f[1]
				case len(f) == 2 && strings.HasPrefix(f[0], "skipped_"):
					n, _ := strconv.Atoi(f[1])
					stats[f[0]] = int64(n)
				}
			}
			res, err := Run(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Errors) > 0 {
				t.Errorf("errors: %v", res.Errors)
			}
			repo, err := git.PlainOpen(dir)
			if err != nil {
				t.Fatal(err)
			}
			var got []want
			for _, f := range res.Findings {
				w := want{Rule: f.Rule, Where: fmt.Sprintf("%s:%d", f.Location.Path, f.Location.Line), Occurrences: len(f.Occurrences)}
				if f.Location.Commit != "" {
					c, err := repo.CommitObject(plumbing.NewHash(f.Location.Commit))
					if err != nil {
						t.Fatal(err)
					}
					w.Commit = strings.TrimSpace(c.Message)
				}
				got = append(got, w)
				for _, s := range secrets {
					if len(s) > 1 && (strings.Contains(f.Match, s) || strings.Contains(f.Context, s)) {
						t.Errorf("%s: secret not redacted: %q / %q", f.Rule, f.Match, f.Context)
					}
				}
			}
			sortWants(wants)
			sortWants(got)
			if diff := cmp.Diff(wants, got); diff != "" {
				t.Errorf("findings (-want +got)\n%s", diff)
			}
			if n, ok := stats["skipped_binary"]; ok && res.Stats.SkippedBinary != n {
				t.Errorf("skipped_binary = %d, want %d", res.Stats.SkippedBinary, n)
			}
		})
	}
}

func sortWants(ws []want) {
	sort.Slice(ws, func(i, j int) bool {
		if ws[i].Where != ws[j].Where {
			return ws[i].Where < ws[j].Where
		}
		return ws[i].Rule < ws[j].Rule
	})
}

const twoCommits = `
-- app.js --
const key = '$AWS_KEY';
-- @commit add key --
-- app.js --
const key = '$AWS_KEY';
const more = 1;
-- @commit more --
`

// TestWorktree scans files as they are, including untracked ones and not
// ignored ones, and reports a plain directory with a warning.
func TestWorktree(t *testing.T) {
	dir := testkit.GitRepo(t, expand([]byte(`
-- .gitignore --
node_modules/
*.log
-- src/app.js --
const key = '$AWS_KEY';
-- @commit initial --
-- untracked.env --
GH=$GH_TOKEN
-- node_modules/pkg/index.js --
const k = '$STRIPE_KEY';
-- debug.log --
$STRIPE_KEY
`)))
	res, err := Run(context.Background(), Options{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Location.Path+" "+f.Rule+" "+f.Source)
	}
	sort.Strings(got)
	want := []string{"src/app.js secrets/aws-access-token worktree", "untracked.env secrets/github-pat worktree"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if !res.Failed {
		t.Error("gate passed with critical findings")
	}
}

func TestPlainDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.env"), expand([]byte("K=$AWS_KEY\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "missing"), filepath.Join(dir, "broken")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/hostname", filepath.Join(dir, "outside")); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Options{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 {
		t.Fatalf("findings = %d, want 1", len(res.Findings))
	}
	joined := strings.Join(res.Warnings, "\n")
	for _, w := range []string{"not a git repository", `broken symlink "broken"`, `symlink "outside": it points outside`} {
		if !strings.Contains(joined, w) {
			t.Errorf("warnings %q do not mention %q", res.Warnings, w)
		}
	}
	if _, err := Run(context.Background(), Options{Path: dir, Mode: History}); err == nil || !strings.Contains(err.Error(), "not a git repository") {
		t.Errorf("history of a plain directory: err = %v", err)
	}
}

func TestInputErrors(t *testing.T) {
	dir := testkit.GitRepo(t, []byte("-- a.txt --\nhi\n-- @commit a --\n"))
	bad := func(name, content string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"missing path", Options{Path: filepath.Join(dir, "nope")}, "does not exist"},
		{"bad config", Options{Path: dir, ConfigPath: bad(".launchgate.yml", "fail-on: high\nignor: []\n")}, ".launchgate.yml:2"},
		{"missing baseline", Options{Path: dir, BaselinePath: filepath.Join(dir, "none.json")}, "does not exist"},
		{"bad range", Options{Path: dir, Mode: Range, Range: "nope..HEAD"}, `resolve "nope"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run(context.Background(), tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
	// A broken .gitleaks.toml at the root is an input error naming it.
	if err := os.WriteFile(filepath.Join(dir, ".gitleaks.toml"), []byte("[[rules]]\nid = \"x\"\nregex = '''(oops'''\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Run(context.Background(), Options{Path: dir})
	if err == nil || !strings.Contains(err.Error(), ".gitleaks.toml") {
		t.Fatalf("err = %v, want it to name .gitleaks.toml", err)
	}
}

// TestBaselineRoundTrip records findings, then checks they stay
// suppressed after lines are added above them and the history is redone.
func TestBaselineRoundTrip(t *testing.T) {
	dir := testkit.GitRepo(t, expand([]byte(twoCommits)))
	res, err := Run(context.Background(), Options{Path: dir})
	if err != nil || len(res.Findings) != 1 {
		t.Fatalf("first scan: %v, %d findings", err, len(res.Findings))
	}
	bl := filepath.Join(dir, config.DefaultBaselineFile)
	f, err := os.Create(bl)
	if err != nil {
		t.Fatal(err)
	}
	if err := config.WriteBaseline(f, res.Findings, "test fixture", nil); err != nil {
		t.Fatal(err)
	}
	f.Close()
	// Edit above the finding: line numbers move, the fingerprint does not.
	if err := os.WriteFile(filepath.Join(dir, "app.js"), expand([]byte("// header\n\nconst key = '$AWS_KEY';\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = Run(context.Background(), Options{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 || res.Stats.Suppressed != 1 || res.Failed {
		t.Fatalf("after baseline: %d findings, %d suppressed, failed=%v", len(res.Findings), res.Stats.Suppressed, res.Failed)
	}
	// History findings have the same fingerprint as work-tree ones.
	res, err = Run(context.Background(), Options{Path: dir, Mode: History})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 {
		t.Fatalf("history after baseline: %d findings", len(res.Findings))
	}
}

// TestShallowClone never reports a clean pass for history it did not see.
func TestShallowClone(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	src := testkit.GitRepo(t, expand([]byte(twoCommits+"-- b.txt --\nclean\n-- @commit clean --\n")))
	dst := filepath.Join(t.TempDir(), "clone")
	out, err := exec.Command("git", "clone", "-q", "--depth", "1", "file://"+src, dst).CombinedOutput()
	if err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	// Remove the key from the work tree so only history could show it.
	res, err := Run(context.Background(), Options{Path: dst, Mode: History})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(res.Warnings, "\n"), "shallow clone") {
		t.Errorf("no shallow warning in %q", res.Warnings)
	}
	for _, c := range res.Scorecard {
		if c.Check == "secrets" && c.Status == scorecard.Pass {
			t.Errorf("secrets check passed on a shallow clone: %+v", c)
		}
	}
	if res.Stats.Commits != 1 {
		t.Errorf("commits = %d, want 1", res.Stats.Commits)
	}
}

func TestLargeFileSkipped(t *testing.T) {
	big := strings.Repeat("x = 1\n", 400) + "k = '$AWS_KEY'\n"
	dir := testkit.GitRepo(t, expand([]byte("-- big.py --\n"+big+"-- @commit big --\n")))
	for _, mode := range []Mode{Worktree, History} {
		res, err := Run(context.Background(), Options{Path: dir, Mode: mode, MaxFileSize: 1024})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Findings) != 0 || res.Stats.SkippedLarge != 1 {
			t.Errorf("mode %d: %d findings, %d skipped large", mode, len(res.Findings), res.Stats.SkippedLarge)
		}
		if !strings.Contains(strings.Join(res.Warnings, "\n"), "size cap") {
			t.Errorf("mode %d: no size warning in %q", mode, res.Warnings)
		}
	}
}

func TestFailOnAndSeverityOverride(t *testing.T) {
	dir := testkit.GitRepo(t, expand([]byte(twoCommits)))
	if err := os.WriteFile(filepath.Join(dir, ".launchgate.yml"), []byte("severity:\n  secrets/aws-access-token: low\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Options{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Severity != finding.SeverityLow || res.Failed {
		t.Fatalf("override: %+v failed=%v", res.Findings, res.Failed)
	}
	low := finding.SeverityLow
	res, err = Run(context.Background(), Options{Path: dir, FailOn: &low})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Failed {
		t.Fatal("--fail-on low did not fail on a low finding")
	}
}

// TestGlobalAllowlistCoversOwnRules checks that files gitleaks' global
// allowlist skips (vendored dependencies) are skipped by launchgate's own
// secret rules too, while the same file elsewhere is reported.
func TestGlobalAllowlistCoversOwnRules(t *testing.T) {
	key := "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAz3Kx9mQ2pL7vR4tW8yB1nC6jH5fD0sG3aK2eU9iO7lP4qZ1x\n-----END " + "RSA PRIVATE KEY-----\n"
	dir := testkit.GitRepo(t, []byte("-- vendor/golang.org/x/net/demo/server.key --\n"+key+"-- certs/server.key --\n"+key+"-- @commit keys --\n"))
	res, err := Run(context.Background(), Options{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range res.Findings {
		paths = append(paths, f.Location.Path)
	}
	sort.Strings(paths)
	paths = slices.Compact(paths)
	if diff := cmp.Diff([]string{"certs/server.key"}, paths); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

// TestAllRulesValid checks every rule the driver runs together: families
// validate their own, and this catches an ID two families both use.
func TestAllRulesValid(t *testing.T) {
	all, err := AllRules()
	if err != nil {
		t.Fatal(err)
	}
	if err := rule.Validate(all); err != nil {
		t.Fatal(err)
	}
}
