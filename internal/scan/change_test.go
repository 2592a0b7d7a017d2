package scan

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/launchgate/launchgate/internal/config"
	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/report"
	"github.com/launchgate/launchgate/internal/testkit"
)

// prRepo is a pull request: main has an old AWS key; the feature branch
// moves it down (an edit above it), adds a GitHub token, and adds a Stripe
// key in one commit only to remove it in the next.
const prRepo = `
-- config/prod.env --
AWS_ACCESS_KEY_ID=$AWS_KEY
-- README.md --
app
-- @commit base --
-- @branch feature --
-- config/prod.env --
# region settings
REGION=eu-west-1
AWS_ACCESS_KEY_ID=$AWS_KEY
-- src/app.js --
const token = "$GH_TOKEN";
-- src/pay.js --
const stripe = "$STRIPE_KEY";
-- @commit add token and key --
-- src/pay.js --
const stripe = process.env.STRIPE_KEY;
-- @commit remove key --
`

// changeRow is what the tests compare of a finding.
type changeRow struct {
	Rule, Where string
	PreExisting bool
	InCommit    bool
}

func changeRows(res report.Result) []changeRow {
	var rows []changeRow
	for _, f := range res.Findings {
		rows = append(rows, changeRow{
			Rule:        f.Rule,
			Where:       f.Location.Path + ":" + strconv.Itoa(f.Location.Line),
			PreExisting: f.PreExisting,
			InCommit:    f.Location.Commit != "",
		})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Where < rows[j].Where })
	return rows
}

func TestRunChange(t *testing.T) {
	prWant := []changeRow{
		{Rule: "secrets/aws-access-token", Where: "config/prod.env:3", PreExisting: true},
		{Rule: "secrets/github-pat", Where: "src/app.js:1"},
		{Rule: "secrets/stripe-access-token", Where: "src/pay.js:1", InCommit: true},
	}
	tests := []struct {
		name       string
		checkout   string // branch checked out
		base, head string
		inPlace    bool
		want       []changeRow
		wantFailed bool
	}{
		{name: "pull request, head checked out", checkout: "feature", base: "main", head: "feature", inPlace: true, want: prWant, wantFailed: true},
		{name: "pull request, head read from git", checkout: "main", base: "main", head: "feature", want: prWant, wantFailed: true},
		{name: "base equals head", checkout: "feature", base: "feature", head: "feature", inPlace: true, want: []changeRow{
			{Rule: "secrets/aws-access-token", Where: "config/prod.env:3", PreExisting: true},
			{Rule: "secrets/github-pat", Where: "src/app.js:1", PreExisting: true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			archive := prRepo
			if tt.checkout != "feature" {
				archive += "-- @checkout " + tt.checkout + " --\n"
			}
			dir := testkit.GitRepo(t, expand([]byte(archive)))
			res, err := RunChange(context.Background(), Options{Path: dir}, Change{Base: tt.base, Head: tt.head, HeadCheckedOut: tt.inPlace})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, changeRows(res)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if res.Failed != tt.wantFailed {
				t.Errorf("Failed = %v, want %v", res.Failed, tt.wantFailed)
			}
			if len(res.Errors) > 0 {
				t.Errorf("errors: %q", res.Errors)
			}
			var secrets string
			for _, row := range res.Scorecard {
				if row.Check == "secrets" {
					secrets = string(row.Status) + ": " + row.Reason
				}
			}
			if tt.wantFailed && !strings.HasPrefix(secrets, "fail: ") {
				t.Errorf("secrets row = %q, want a failure", secrets)
			}
			if !tt.wantFailed && !strings.Contains(secrets, "pre-existing") {
				t.Errorf("secrets row = %q, want pre-existing findings counted", secrets)
			}
		})
	}
}

// TestRunChangeCommitFindingJoinsHead checks that a secret both added by a
// commit of the change and still in the head tree is one finding, at the
// head location, with the commit as another place.
func TestRunChangeCommitFindingJoinsHead(t *testing.T) {
	dir := testkit.GitRepo(t, expand([]byte(prRepo)))
	res, err := RunChange(context.Background(), Options{Path: dir}, Change{Base: "main", Head: "feature", HeadCheckedOut: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Rule != "secrets/github-pat" {
			continue
		}
		if f.Location.Commit != "" || len(f.Occurrences) != 1 || f.Occurrences[0].Commit == "" {
			t.Errorf("token: location %+v, occurrences %+v; want the head location and the commit as an occurrence", f.Location, f.Occurrences)
		}
		return
	}
	t.Fatal("no secrets/github-pat finding")
}

// TestRunChangeBaseline checks that the baseline still suppresses findings
// in a change scan, and that what it accepts is not mistaken for new.
func TestRunChangeBaseline(t *testing.T) {
	dir := testkit.GitRepo(t, expand([]byte(prRepo)))
	token := secrets["$GH_TOKEN"]
	var buf strings.Builder
	accepted := []finding.Finding{{
		Rule: "secrets/github-pat", Location: finding.Location{Path: "src/app.js"},
		Fingerprint: finding.Fingerprint("secrets/github-pat", "src/app.js", token),
	}}
	if err := config.WriteBaseline(&buf, accepted, "test token, revoked", nil); err != nil {
		t.Fatal(err)
	}
	bl := filepath.Join(t.TempDir(), "baseline.json")
	if err := os.WriteFile(bl, []byte(buf.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := RunChange(context.Background(), Options{Path: dir, BaselinePath: bl}, Change{Base: "main", Head: "feature", HeadCheckedOut: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []changeRow{
		{Rule: "secrets/aws-access-token", Where: "config/prod.env:3", PreExisting: true},
		{Rule: "secrets/stripe-access-token", Where: "src/pay.js:1", InCommit: true},
	}
	if diff := cmp.Diff(want, changeRows(res)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestRunChangeErrors(t *testing.T) {
	dir := testkit.GitRepo(t, expand([]byte(prRepo)))
	tests := []struct {
		name string
		path string
		ch   Change
		want string
	}{
		{name: "not a repository", path: t.TempDir(), ch: Change{Base: "a", Head: "b"}, want: "not a git repository"},
		{name: "no base", path: dir, ch: Change{Head: "feature"}, want: "needs a base and a head"},
		{name: "unknown base", path: dir, ch: Change{Base: "nope", Head: "feature"}, want: `"nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := RunChange(context.Background(), Options{Path: tt.path}, tt.ch)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("RunChange = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// specRepo is a pull request against an API: main's spec already declares
// a plain-HTTP server; the branch adds an unauthenticated admin route and
// a second plain-HTTP server, in a file the spec refers to.
const specRepo = `
-- api/openapi.yaml --
openapi: 3.0.3
info: {title: Portal, version: "1"}
servers:
  - url: http://api.example.com
security:
  - bearer: []
paths:
  /invoices:
    $ref: "./paths.yaml#/invoices"
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
-- api/paths.yaml --
invoices:
  get:
    responses:
      "200": {description: the caller's invoices}
-- @commit base --
-- @branch feature --
-- api/openapi.yaml --
openapi: 3.0.3
info: {title: Portal, version: "1"}
servers:
  - url: http://api.example.com
  - url: http://eu.api.example.com
security:
  - bearer: []
paths:
  /invoices:
    $ref: "./paths.yaml#/invoices"
  /admin/users:
    $ref: "./paths.yaml#/admin"
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
-- api/paths.yaml --
invoices:
  get:
    responses:
      "200": {description: the caller's invoices}
admin:
  delete:
    security: []
    responses:
      "204": {description: every user deleted}
-- @commit open admin route --
`

// TestRunChangeSpecs checks that spec findings the base tree already has
// are pre-existing, whether the head is checked out or read from git: the
// base spec and the files it refers to must come from the base commit,
// not from the disk.
func TestRunChangeSpecs(t *testing.T) {
	want := []changeRow{
		{Rule: "transport/openapi-http-server", Where: "api/openapi.yaml:4", PreExisting: true},
		{Rule: "transport/openapi-http-server", Where: "api/openapi.yaml:5"},
		{Rule: "auth/operation-without-security", Where: "api/paths.yaml:7"},
	}
	sort.Slice(want, func(i, j int) bool { return want[i].Where < want[j].Where })
	for _, checkout := range []string{"feature", "main"} {
		t.Run("checkout "+checkout, func(t *testing.T) {
			archive := specRepo
			if checkout != "feature" {
				archive += "-- @checkout " + checkout + " --\n"
			}
			dir := testkit.GitRepo(t, []byte(archive))
			res, err := RunChange(context.Background(), Options{Path: dir}, Change{Base: "main", Head: "feature", HeadCheckedOut: checkout == "feature"})
			if err != nil {
				t.Fatal(err)
			}
			var got []changeRow
			for _, r := range changeRows(res) {
				if r.Rule == "transport/openapi-http-server" || r.Rule == "auth/operation-without-security" {
					got = append(got, r)
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if !res.Failed {
				t.Error("an unauthenticated admin route added by the change does not fail it")
			}
		})
	}
}
