package github

import (
	"cmp"
	"encoding/json"
	"fmt"
	"strings"
)

// zeroSHA is what a push event has for "before" when the branch is new,
// and for "after" when it was deleted.
const zeroSHA = "0000000000000000000000000000000000000000"

// Event is what launchgate needs of the event that started a workflow.
type Event struct {
	// Name is the event's name (GITHUB_EVENT_NAME).
	Name string
	// Base is the commit the change starts from; empty when the event has
	// no change (schedule, workflow_dispatch) or the pushed branch is new.
	Base string
	// Head is the commit the change ends at.
	Head string
	// CheckSHA is the commit a check run belongs on: a pull request's
	// head, not the merge commit the workflow checked out, so that the
	// check shows on the pull request.
	CheckSHA string
	// Ref is the full ref the run is about (refs/heads/main), and Branch
	// its branch name when it is a branch: the pushed branch, or a pull
	// request's or merge group's target branch.
	Ref, Branch string
	// DefaultBranch is the repository's default branch, when the payload
	// says.
	DefaultBranch string
	// PullRequest is the pull request's number; Commits how many commits
	// it has (a hint for how deep to fetch); Fork whether its head is in
	// another repository, whose runs get a read-only token.
	PullRequest, Commits int
	Fork                 bool
	// NewBranch is a push that created its branch; Deleted one that
	// deleted it.
	NewBranch, Deleted bool
	// URL is a deployment's environment URL (deployment_status), and
	// DeploymentState the status's state.
	URL, DeploymentState string
}

// IsPullRequest reports whether the event is about a pull request's
// change: pull_request, pull_request_target or a merge queue's group.
func (e Event) IsPullRequest() bool {
	switch e.Name {
	case "pull_request", "pull_request_target", "merge_group":
		return true
	}
	return false
}

// payload holds the parts of every event payload launchgate reads.
type payload struct {
	Before  string `json:"before"`
	After   string `json:"after"`
	Ref     string `json:"ref"`
	Created bool   `json:"created"`
	Deleted bool   `json:"deleted"`

	Repository *struct {
		FullName      string `json:"full_name"`
		DefaultBranch string `json:"default_branch"`
	} `json:"repository"`

	PullRequest *struct {
		Number  int      `json:"number"`
		Commits int      `json:"commits"`
		Base    prBranch `json:"base"`
		Head    prBranch `json:"head"`
	} `json:"pull_request"`

	MergeGroup *struct {
		BaseSHA string `json:"base_sha"`
		HeadSHA string `json:"head_sha"`
		BaseRef string `json:"base_ref"`
		HeadRef string `json:"head_ref"`
	} `json:"merge_group"`

	Deployment *struct {
		SHA string `json:"sha"`
		Ref string `json:"ref"`
	} `json:"deployment"`
	DeploymentStatus *struct {
		State          string `json:"state"`
		EnvironmentURL string `json:"environment_url"`
		TargetURL      string `json:"target_url"`
	} `json:"deployment_status"`
}

type prBranch struct {
	Ref  string `json:"ref"`
	SHA  string `json:"sha"`
	Repo *struct {
		FullName string `json:"full_name"`
	} `json:"repo"`
}

// ParseEvent reads the payload of the event called name. sha and ref are
// GITHUB_SHA and GITHUB_REF, used by events whose payload has no commits
// (schedule, workflow_dispatch). Errors name the event and the field at
// fault.
func ParseEvent(name string, data []byte, sha, ref string) (Event, error) {
	e := Event{Name: name, Head: sha, CheckSHA: sha, Ref: ref}
	var p payload
	if len(strings.TrimSpace(string(data))) > 0 {
		if err := json.Unmarshal(data, &p); err != nil {
			return Event{}, fmt.Errorf("%s event payload: %w", name, err)
		}
	}
	if p.Repository != nil {
		e.DefaultBranch = p.Repository.DefaultBranch
	}
	switch name {
	case "pull_request", "pull_request_target":
		pr := p.PullRequest
		if pr == nil {
			return Event{}, fmt.Errorf("%s event payload has no pull_request", name)
		}
		if err := checkSHA(name, "pull_request.base.sha", pr.Base.SHA); err != nil {
			return Event{}, err
		}
		if err := checkSHA(name, "pull_request.head.sha", pr.Head.SHA); err != nil {
			return Event{}, err
		}
		e.Base, e.Head, e.CheckSHA = pr.Base.SHA, pr.Head.SHA, pr.Head.SHA
		e.PullRequest, e.Commits = pr.Number, pr.Commits
		e.Branch = pr.Base.Ref
		if pr.Base.Repo != nil && pr.Head.Repo != nil {
			e.Fork = !strings.EqualFold(pr.Base.Repo.FullName, pr.Head.Repo.FullName)
		} else if pr.Head.Repo == nil {
			// GitHub sends a null head repository when the fork was deleted.
			e.Fork = true
		}
	case "push":
		if err := checkSHA(name, "after", p.After); err != nil {
			return Event{}, err
		}
		if p.Ref != "" {
			e.Ref = p.Ref
		}
		e.Branch = branchName(e.Ref)
		if p.Deleted || p.After == zeroSHA {
			e.Deleted = true
			e.Head, e.CheckSHA = "", ""
			break
		}
		e.Head, e.CheckSHA = p.After, p.After
		switch {
		case p.Before == "" || p.Before == zeroSHA:
			e.NewBranch = true
		default:
			if err := checkSHA(name, "before", p.Before); err != nil {
				return Event{}, err
			}
			e.Base = p.Before
		}
	case "merge_group":
		mg := p.MergeGroup
		if mg == nil {
			return Event{}, fmt.Errorf("%s event payload has no merge_group", name)
		}
		if err := checkSHA(name, "merge_group.base_sha", mg.BaseSHA); err != nil {
			return Event{}, err
		}
		if err := checkSHA(name, "merge_group.head_sha", mg.HeadSHA); err != nil {
			return Event{}, err
		}
		e.Base, e.Head, e.CheckSHA = mg.BaseSHA, mg.HeadSHA, mg.HeadSHA
		e.Ref, e.Branch = mg.HeadRef, branchName(mg.BaseRef)
	case "deployment_status":
		d := p.Deployment
		if d == nil {
			return Event{}, fmt.Errorf("%s event payload has no deployment", name)
		}
		if err := checkSHA(name, "deployment.sha", d.SHA); err != nil {
			return Event{}, err
		}
		e.Head, e.CheckSHA = d.SHA, d.SHA
		if d.Ref != "" {
			e.Branch = d.Ref
		}
		if s := p.DeploymentStatus; s != nil {
			e.DeploymentState = s.State
			e.URL = cmp.Or(s.EnvironmentURL, s.TargetURL)
		}
	default:
		// schedule, workflow_dispatch and the rest: the run is about the
		// commit checked out, with no change to compare against.
		e.Branch = branchName(e.Ref)
	}
	return e, nil
}

// checkSHA insists on a full hexadecimal commit ID (SHA-1 or SHA-256), so
// that nothing else reaches a git command line.
func checkSHA(event, field, v string) error {
	if v == "" {
		return fmt.Errorf("%s event payload has no %s", event, field)
	}
	if !isSHA(v) {
		return fmt.Errorf("%s event payload: %s is %q, not a commit ID", event, field, v)
	}
	return nil
}

func isSHA(v string) bool {
	if len(v) != 40 && len(v) != 64 {
		return false
	}
	for _, c := range v {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// branchName is the branch a full ref names, or "" for tags and the rest.
func branchName(ref string) string {
	b, ok := strings.CutPrefix(ref, "refs/heads/")
	if !ok {
		return ""
	}
	return b
}
