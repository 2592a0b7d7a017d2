package action

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/github"
)

func TestPlanScan(t *testing.T) {
	a, b := strings.Repeat("a", 40), strings.Repeat("b", 40)
	tests := []struct {
		name    string
		scope   string
		ev      github.Event
		want    plan
		wantErr string
	}{
		{name: "pull request", scope: ScopeAuto, ev: github.Event{Name: "pull_request", Base: a, Head: b, PullRequest: 3},
			want: plan{scope: ScopeRange, base: a, head: b, why: "the commits of the pull request #3"}},
		{name: "merge group", scope: ScopeAuto, ev: github.Event{Name: "merge_group", Base: a, Head: b},
			want: plan{scope: ScopeRange, base: a, head: b, why: "the commits of the merge group"}},
		{name: "push to default", scope: ScopeAuto, ev: github.Event{Name: "push", Base: a, Head: b, Branch: "trunk", DefaultBranch: "trunk"},
			want: plan{scope: ScopeHistory, head: b, why: "the full history, on a push to trunk"}},
		{name: "push to release", scope: ScopeAuto, ev: github.Event{Name: "push", Base: a, Head: b, Branch: "release-2.0", DefaultBranch: "main"},
			want: plan{scope: ScopeHistory, head: b, why: "the full history, on a push to release-2.0"}},
		{name: "push to feature", scope: ScopeAuto, ev: github.Event{Name: "push", Base: a, Head: b, Branch: "feature", DefaultBranch: "main"},
			want: plan{scope: ScopeWorktree, head: b, why: "the work tree"}},
		{name: "push of a tag", scope: ScopeAuto, ev: github.Event{Name: "push", Head: b, Ref: "refs/tags/v1", DefaultBranch: "main"},
			want: plan{scope: ScopeWorktree, head: b, why: "the work tree"}},
		{name: "range on push", scope: ScopeRange, ev: github.Event{Name: "push", Base: a, Head: b, Branch: "feature"},
			want: plan{scope: ScopeRange, base: a, head: b, why: "scope range"}},
		{name: "range on a new branch", scope: ScopeRange, ev: github.Event{Name: "push", Head: b, Branch: "feature", DefaultBranch: "main", NewBranch: true},
			want: plan{scope: ScopeRange, head: b, baseBranch: "main", why: "scope range"}},
		{name: "range on the first push of the default branch", scope: ScopeRange, ev: github.Event{Name: "push", Head: b, Branch: "main", DefaultBranch: "main", NewBranch: true},
			want: plan{scope: ScopeHistory, head: b, why: "the full history, on the first push of main"}},
		{name: "range on schedule", scope: ScopeRange, ev: github.Event{Name: "schedule", Head: b},
			wantErr: "scope range needs a base commit and a schedule event has none"},
		{name: "range without head", scope: ScopeRange, ev: github.Event{Name: "workflow_dispatch"},
			wantErr: "names no commit"},
		{name: "worktree on a pull request", scope: ScopeWorktree, ev: github.Event{Name: "pull_request", Base: a, Head: b},
			want: plan{scope: ScopeWorktree, head: b, why: "scope worktree"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := planScan(tt.scope, tt.ev)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("planScan = %v, want an error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(plan{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadInputs(t *testing.T) {
	critical := finding.SeverityCritical
	tests := []struct {
		name    string
		env     map[string]string
		want    Inputs
		wantErr string
	}{
		{name: "defaults", env: map[string]string{}, want: Inputs{
			Mode: "scan", Path: ".", Scope: ScopeAuto, CheckName: "launchgate",
			SARIFFile: filepath.Join("/tmp/rt", "launchgate.sarif"), Annotations: true,
		}},
		{name: "everything set", env: map[string]string{
			"INPUT_MODE": "LIVE", "INPUT_PATH": "app", "INPUT_SCOPE": "History", "INPUT_FAIL_ON": "critical",
			"INPUT_CONFIG": "c.yml", "INPUT_BASELINE": "b.json", "INPUT_TOKEN": "t", "INPUT_CHECK_NAME": "gate",
			"INPUT_SARIF_FILE": "out.sarif", "INPUT_URL": "https://x.example", "INPUT_OPENAPI": "a.yaml, b.yaml\nc.json",
			"INPUT_ANNOTATIONS": "false",
		}, want: Inputs{
			Mode: "live", Path: "app", Scope: ScopeHistory, FailOn: &critical, Config: "c.yml", Baseline: "b.json",
			Token: "t", CheckName: "gate", SARIFFile: "out.sarif", URL: "https://x.example",
			OpenAPI: []string{"a.yaml", "b.yaml", "c.json"}, Annotations: false,
		}},
		{name: "openapi in a scan", env: map[string]string{"INPUT_OPENAPI": "api.yaml"}, want: Inputs{
			Mode: "scan", Path: ".", Scope: ScopeAuto, CheckName: "launchgate",
			SARIFFile: filepath.Join("/tmp/rt", "launchgate.sarif"), Annotations: true, OpenAPI: []string{"api.yaml"},
		}},
		{name: "long check name", env: map[string]string{"INPUT_CHECK-NAME": strings.Repeat("x", 101)}, wantErr: "input check-name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := github.NewRunner(func(k string) string { return tt.env[k] }, &bytes.Buffer{})
			got, err := readInputs(r, "/tmp/rt")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("readInputs = %v, want an error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzSplitList checks the list input reader on any text.
func FuzzSplitList(f *testing.F) {
	f.Add("a.yaml, b.yaml\nc.json")
	f.Add(",,\n\n , ")
	f.Fuzz(func(t *testing.T, s string) {
		for _, item := range splitList(s) {
			if item == "" || item != strings.TrimSpace(item) || strings.ContainsAny(item, ",\n") {
				t.Fatalf("item %q", item)
			}
		}
	})
}
