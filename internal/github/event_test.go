package github

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var (
	shaA = strings.Repeat("1", 40)
	shaB = strings.Repeat("2", 40)
	shaC = strings.Repeat("3", 40)
	shaG = strings.Repeat("9", 40) // GITHUB_SHA
)

func TestParseEvent(t *testing.T) {
	tests := []struct {
		name, file string
		want       Event
	}{
		{name: "pull_request", file: "pull_request.json", want: Event{
			Name: "pull_request", Base: shaA, Head: shaB, CheckSHA: shaB, Ref: "refs/pull/17/merge",
			Branch: "main", DefaultBranch: "main", PullRequest: 17, Commits: 3,
		}},
		{name: "pull_request_target", file: "pull_request_fork.json", want: Event{
			Name: "pull_request_target", Base: shaA, Head: shaC, CheckSHA: shaC, Ref: "refs/pull/17/merge",
			Branch: "main", DefaultBranch: "main", PullRequest: 18, Commits: 1, Fork: true,
		}},
		{name: "push", file: "push.json", want: Event{
			Name: "push", Base: shaA, Head: shaB, CheckSHA: shaB, Ref: "refs/heads/feature",
			Branch: "feature", DefaultBranch: "main",
		}},
		{name: "push", file: "push_new_branch.json", want: Event{
			Name: "push", Head: shaB, CheckSHA: shaB, Ref: "refs/heads/feature",
			Branch: "feature", DefaultBranch: "main", NewBranch: true,
		}},
		{name: "push", file: "push_same.json", want: Event{
			Name: "push", Base: shaB, Head: shaB, CheckSHA: shaB, Ref: "refs/heads/main",
			Branch: "main", DefaultBranch: "main",
		}},
		{name: "push", file: "push_deleted.json", want: Event{
			Name: "push", Ref: "refs/heads/old", Branch: "old", DefaultBranch: "main", Deleted: true,
		}},
		{name: "merge_group", file: "merge_group.json", want: Event{
			Name: "merge_group", Base: shaA, Head: shaC, CheckSHA: shaC,
			Ref: "refs/heads/gh-readonly-queue/main/pr-17-" + shaA, Branch: "main", DefaultBranch: "main",
		}},
		{name: "deployment_status", file: "deployment_status.json", want: Event{
			Name: "deployment_status", Head: shaB, CheckSHA: shaB, Ref: "refs/pull/17/merge", Branch: "feature",
			DefaultBranch: "main", URL: "https://pr-17.preview.example.com", DeploymentState: "success",
		}},
		{name: "workflow_dispatch", file: "workflow_dispatch.json", want: Event{
			Name: "workflow_dispatch", Head: shaG, CheckSHA: shaG, Ref: "refs/pull/17/merge", DefaultBranch: "main",
		}},
		{name: "schedule", file: "schedule.json", want: Event{
			Name: "schedule", Head: shaG, CheckSHA: shaG, Ref: "refs/pull/17/merge", DefaultBranch: "main",
		}},
		{name: "release", file: "schedule.json", want: Event{
			Name: "release", Head: shaG, CheckSHA: shaG, Ref: "refs/pull/17/merge", DefaultBranch: "main",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "events", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseEvent(tt.name, data, shaG, "refs/pull/17/merge")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseEventErrors(t *testing.T) {
	tests := []struct {
		name, event, payload, want string
	}{
		{name: "not JSON", event: "push", payload: "{", want: "push event payload"},
		{name: "no pull request", event: "pull_request", payload: `{}`, want: "has no pull_request"},
		{name: "no head sha", event: "pull_request", payload: `{"pull_request": {"base": {"sha": "` + shaA + `"}, "head": {}}}`, want: "has no pull_request.head.sha"},
		{name: "bad base sha", event: "pull_request_target", payload: `{"pull_request": {"base": {"sha": "--upload-pack=evil"}, "head": {"sha": "` + shaB + `"}}}`, want: `pull_request.base.sha is "--upload-pack=evil", not a commit ID`},
		{name: "push without after", event: "push", payload: `{"before": "` + shaA + `"}`, want: "has no after"},
		{name: "push with bad before", event: "push", payload: `{"before": "HEAD~1", "after": "` + shaB + `"}`, want: `before is "HEAD~1"`},
		{name: "merge group without base", event: "merge_group", payload: `{"merge_group": {"head_sha": "` + shaB + `"}}`, want: "merge_group.base_sha"},
		{name: "deployment without sha", event: "deployment_status", payload: `{"deployment": {}}`, want: "deployment.sha"},
		{name: "wrong type", event: "pull_request", payload: `{"pull_request": {"number": "seventeen"}}`, want: "pull_request event payload"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseEvent(tt.event, []byte(tt.payload), shaG, "")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseEvent = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestPullRequestFromDeletedFork(t *testing.T) {
	payload := `{"pull_request": {"number": 3, "base": {"sha": "` + shaA + `", "repo": {"full_name": "a/b"}}, "head": {"sha": "` + shaB + `", "repo": null}}}`
	ev, err := ParseEvent("pull_request", []byte(payload), "", "")
	if err != nil {
		t.Fatal(err)
	}
	if !ev.Fork {
		t.Error("a pull request whose head repository is gone is not taken for a fork")
	}
}

// FuzzParseEvent feeds any bytes to every event name: ParseEvent must not
// panic, and whatever commit IDs it returns must be plain hex.
func FuzzParseEvent(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "events", "*.json"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(strings.TrimSuffix(filepath.Base(file), ".json"), data)
	}
	f.Add("push", []byte(`{"after": null}`))
	f.Add("pull_request", []byte(`[]`))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		for _, n := range []string{name, "push", "pull_request", "pull_request_target", "merge_group", "deployment_status", "schedule"} {
			ev, err := ParseEvent(n, data, shaG, "refs/heads/main")
			if err != nil {
				continue
			}
			for _, sha := range []string{ev.Base, ev.CheckSHA} {
				if sha != "" && sha != shaG && !isSHA(sha) {
					t.Fatalf("%s: commit %q is not a commit ID", n, sha)
				}
			}
		}
	})
}
