// Package live holds the probes `launchgate live` runs against a
// deployment. Each probe is a rule.Engine: one run sends the requests for
// one scorecard check and reports under the rules it owns. Probes reach
// the deployment only through the target.Session in the pass, whose
// client enforces the safety rules (allowed hosts, budget, read-only
// methods); a probe never opens a connection of its own except the TLS
// handshakes that inspect the certificate.
package live

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/target"
)

// Probes lists every probe in the order they run. Transport goes first:
// a certificate that does not verify keeps credentials from being sent
// by every later probe. Latency goes last and takes what is left of the
// request budget.
var Probes = []*rule.Engine{
	Transport,
	CORS,
	Auth,
	ObjectAuthz,
	Exposure,
	Webhooks,
	RateLimits,
	Sessions,
	Monitoring,
	EmailAuth,
	Latency,
}

// Rules lists every rule of every probe, for the rule list and docs.
var Rules = func() []*rule.Rule {
	var all []*rule.Rule
	for _, p := range Probes {
		all = append(all, p.Rules...)
	}
	return all
}()

// errNoSession is what a probe returns when run outside live mode.
var errNoSession = errors.New("live probe run without a live session")

func session(p *rule.Pass) (*target.Session, error) {
	s, ok := p.Target.(*target.Session)
	if !ok || s == nil {
		return nil, errNoSession
	}
	return s, nil
}

// network is what every live rule needs.
const network = rule.Network

// probe builds an engine over rules.
func probe(name string, run func(*rule.Pass, *target.Session) error, rules ...*rule.Rule) *rule.Engine {
	return &rule.Engine{Name: name, Needs: rule.Network, Rules: rules, Run: func(p *rule.Pass) error {
		s, err := session(p)
		if err != nil {
			return err
		}
		return run(p, s)
	}}
}

// hit reports a finding of r about a request. match names the request
// without host or credentials ("GET /api/invoices/{id}"), so the
// fingerprint stays the same across preview deployments.
func hit(p *rule.Pass, s *target.Session, r *rule.Rule, method, path, match, msg string) {
	if match == "" {
		match = method + " " + path
	}
	p.Report(finding.Finding{
		Rule:     r.ID,
		Message:  msg,
		Source:   finding.SourceLive,
		Location: finding.Location{URL: s.URL(path)},
		Match:    match,
	})
}

// stop records, for a probe cut short by the client's limits, why its
// check's evidence is incomplete; it reports whether err was such a stop.
func stop(s *target.Session, check string, err error) bool {
	if err == nil || !target.Stopped(err) {
		return false
	}
	s.Caveat(check, "stopped early: %v", rootCause(err))
	return true
}

// rootCause strips the request prefix of a client error.
func rootCause(err error) error {
	for _, e := range []error{target.ErrBudget, target.ErrServerFailing} {
		if errors.Is(err, e) {
			return e
		}
	}
	if strings.Contains(err.Error(), "deadline exceeded") {
		return errors.New("time limit reached")
	}
	return err
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// hasData reports whether a 2xx response carries content: not empty, not
// an empty JSON value, not the site's catch-all page, not a login form.
func hasData(s *target.Session, r *target.Response) bool {
	if r.Status < 200 || r.Status > 299 || r.Status == http.StatusNoContent {
		return false
	}
	body := strings.TrimSpace(string(r.Body))
	switch body {
	case "", "{}", "[]", "null", `""`:
		return false
	}
	if s.IsNotFound(r) {
		return false
	}
	lb := strings.ToLower(body)
	if strings.Contains(lb, `type="password"`) || strings.Contains(lb, `type=password`) {
		return false
	}
	return true
}

// redirectsToLogin reports a 3xx to something that looks like a login.
func redirectsToLogin(r *target.Response) bool {
	if r.Status < 300 || r.Status > 399 {
		return false
	}
	loc := strings.ToLower(r.Header.Get("Location"))
	for _, w := range []string{"login", "signin", "sign-in", "sign_in", "auth", "sso", "session"} {
		if strings.Contains(loc, w) {
			return true
		}
	}
	return false
}

// refused reports the answers that mean "not for you".
func refused(r *target.Response) bool {
	return r.Status == http.StatusUnauthorized || r.Status == http.StatusForbidden || redirectsToLogin(r)
}

// idKeys are the field names that hold a record's identity, best first.
var idKeys = []string{"id", "uuid", "_id", "key", "slug"}

// Record is one JSON object from an API response.
type Record map[string]any

// ID returns the record's identifier as a string.
func (r Record) ID() (string, bool) {
	for _, k := range idKeys {
		if v, ok := r[k]; ok {
			if s, ok := scalar(v); ok && s != "" {
				return s, true
			}
		}
	}
	return "", false
}

// scalar renders a JSON string or number; integers without a fraction.
func scalar(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// Records finds the list of records in a JSON body: a top-level array of
// objects, or the first such array among the top-level fields (data,
// items, results…).
func Records(body []byte) []Record {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil
	}
	if rs := objects(v); rs != nil {
		return rs
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return preferred(keys[i]) < preferred(keys[j]) || preferred(keys[i]) == preferred(keys[j]) && keys[i] < keys[j]
	})
	for _, k := range keys {
		if rs := objects(m[k]); rs != nil {
			return rs
		}
	}
	return nil
}

func preferred(k string) int {
	switch strings.ToLower(k) {
	case "data", "items", "results", "records", "rows", "nodes", "edges":
		return 0
	}
	return 1
}

func objects(v any) []Record {
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		return nil
	}
	var out []Record
	for _, e := range arr {
		if m, ok := e.(map[string]any); ok {
			out = append(out, Record(m))
		}
	}
	return out
}

// One reads a JSON object body, unwrapping a {"data": {...}} envelope.
func One(body []byte) (Record, bool) {
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, false
	}
	if inner, ok := m["data"].(map[string]any); ok && len(m) <= 3 {
		return Record(inner), true
	}
	return Record(m), true
}

// sameRecord reports whether got is the record want describes: the same
// ID and at least one other equal scalar field, or an identical body.
func sameRecord(want, got []byte, id string) bool {
	if strings.TrimSpace(string(want)) == strings.TrimSpace(string(got)) && len(strings.TrimSpace(string(want))) > 2 {
		return true
	}
	a, ok1 := One(want)
	b, ok2 := One(got)
	if !ok1 || !ok2 {
		return false
	}
	if gid, ok := b.ID(); !ok || gid != id {
		return false
	}
	for k, v := range a {
		if isIDKey(k) {
			continue
		}
		sv, ok := scalar(v)
		if !ok || sv == "" {
			continue
		}
		if ov, ok := scalar(b[k]); ok && ov == sv {
			return true
		}
	}
	return false
}

func isIDKey(k string) bool {
	for _, ik := range idKeys {
		if k == ik {
			return true
		}
	}
	return false
}

// ownerKeys name the fields that say whose a record is.
var ownerKeys = []string{"tenant", "tenant_id", "tenantId", "org", "org_id", "orgId", "organization_id", "organizationId",
	"account_id", "accountId", "owner", "owner_id", "ownerId", "user_id", "userId", "team_id", "teamId", "workspace_id", "workspaceId", "customer_id", "customerId"}

// owner returns the first owner-like field of a record and its value.
func owner(r Record) (string, string, bool) {
	for _, k := range ownerKeys {
		if v, ok := r[k]; ok {
			if s, ok := scalar(v); ok && s != "" {
				return k, s, true
			}
		}
	}
	return "", "", false
}

func quoteList(items []string, max int) string {
	if len(items) > max {
		return strings.Join(items[:max], ", ") + fmt.Sprintf(" and %d more", len(items)-max)
	}
	return strings.Join(items, ", ")
}
