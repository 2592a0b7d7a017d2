package live

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/target"
)

// Object-level authorization limits.
const (
	maxCollections = 6
	maxIDsPerList  = 4
	maxNeighbours  = 4
)

// Object-authz rules.
var (
	IDSwap = &rule.Rule{
		ID: "object-authz/id-swap-exposes-other-tenant", Check: "object-authz", Severity: finding.SeverityCritical, Needs: network,
		Title: "A user can read another tenant's record by its ID",
		Doc:   "User B asked for a record that belongs to user A, of another tenant, by putting A's ID in the request, and got A's data back. The server checks that the caller is logged in but not that the record is theirs (broken object-level authorization, the most common API vulnerability).",
		Fix:   "Look records up within the caller's tenant (WHERE tenant_id = :caller_tenant AND id = :id) or check ownership after loading, on every route that takes an ID; answer 404 for records that are not the caller's.",
	}
	SequentialID = &rule.Rule{
		ID: "object-authz/sequential-id-exposes-record", Check: "object-authz", Severity: finding.SeverityHigh, Needs: network,
		Title: "A neighbouring ID returns a record of another owner",
		Doc:   "Counting up or down from one of the user's own record IDs returned a record whose owner field differs from the user's: IDs are guessable and the server does not check ownership, so every record can be enumerated.",
		Fix:   "Check ownership on every ID-addressed route; prefer random identifiers (UUIDs) so that IDs cannot be guessed either.",
	}
)

// ObjectAuthz has user B request user A's records by ID, in the path, the
// query and (with --allow-write) the body, and user A request the
// neighbours of its own numeric IDs.
var ObjectAuthz = probe("object-authz", runObjectAuthz, IDSwap, SequentialID)

// collection is a list route and the route that reads one of its items.
type collection struct {
	list  target.Route
	item  target.Route
	param string // the item route's ID parameter, or query/body field
	in    string // path, query or body
}

func runObjectAuthz(p *rule.Pass, s *target.Session) error {
	a, b := s.Opts.A, s.Opts.B
	if a == nil || b == nil {
		// Not assessed: the scorecard says two users are needed.
		return nil
	}
	if s.Client.Untrusted() {
		s.Caveat("object-authz", "not probed: credentials are not sent while the certificate does not verify")
		s.Assess("object-authz", "no requests")
		return nil
	}
	cols := collections(s)
	if len(cols) == 0 {
		s.Caveat("object-authz", "no list route with an ID-addressed item route was found")
		s.Assess("object-authz", plural(len(s.Routes), "route")+" searched for ID-addressed records")
		return nil
	}
	swaps, neighbours, routes := 0, 0, 0
	for _, c := range cols {
		listA, err := s.Do(target.Request{URL: c.list.Fill(nil, "1"), Cred: a})
		if err != nil {
			if stop(s, "object-authz", err) {
				break
			}
			continue
		}
		recsA := Records(listA.Body)
		if listA.Status != http.StatusOK || len(recsA) == 0 {
			continue
		}
		idsB := map[string]bool{}
		if listB, err := s.Do(target.Request{URL: c.list.Fill(nil, "1"), Cred: b}); err == nil {
			for _, r := range Records(listB.Body) {
				if id, ok := r.ID(); ok {
					idsB[id] = true
				}
			}
		} else if stop(s, "object-authz", err) {
			break
		}
		if c.item.Path == "" {
			c = itemFor(c, recsA)
		}
		idsA := map[string]bool{}
		var order []string
		ownersA := map[string]bool{}
		ownerKey := ""
		for _, r := range recsA {
			id, ok := r.ID()
			if !ok || idsB[id] {
				// Records both users see are shared, not A's.
				continue
			}
			if !idsA[id] {
				idsA[id] = true
				order = append(order, id)
			}
			if k, v, ok := owner(r); ok {
				ownerKey = k
				ownersA[v] = true
			}
		}
		if len(order) == 0 {
			continue
		}
		routes++
		if len(order) > maxIDsPerList {
			order = order[:maxIDsPerList]
		}
		for _, id := range order {
			refA, err := fetchItem(s, c, id, a)
			if err != nil {
				if stop(s, "object-authz", err) {
					return finishAuthz(s, swaps, neighbours, routes)
				}
				continue
			}
			if refA.Status != http.StatusOK {
				continue
			}
			got, err := fetchItem(s, c, id, b)
			if err != nil {
				if stop(s, "object-authz", err) {
					return finishAuthz(s, swaps, neighbours, routes)
				}
				continue
			}
			swaps++
			if got.Status >= 200 && got.Status < 300 && sameRecord(refA.Body, got.Body, id) {
				hit(p, s, IDSwap, c.item.Method, c.item.Path, "",
					fmt.Sprintf("user B read user A's record %s via %s %s (%s ID %q): answered %d with A's data",
						id, c.item.Method, c.item.Path, c.in, c.param, got.Status))
				break
			}
		}
		// Sequential neighbours need an owner field to tell whose a
		// record is; without one a visible neighbour proves nothing.
		if ownerKey == "" {
			continue
		}
		for _, id := range neighbourIDs(order, idsA, idsB) {
			got, err := fetchItem(s, c, id, a)
			if err != nil {
				if stop(s, "object-authz", err) {
					return finishAuthz(s, swaps, neighbours, routes)
				}
				continue
			}
			neighbours++
			if got.Status < 200 || got.Status > 299 {
				continue
			}
			rec, ok := One(got.Body)
			if !ok {
				continue
			}
			if gid, ok := rec.ID(); !ok || gid != id {
				continue
			}
			if _, v, ok := owner(rec); ok && !ownersA[v] {
				hit(p, s, SequentialID, c.item.Method, c.item.Path, "",
					fmt.Sprintf("user A read record %s, next to its own IDs, whose %s is %q (A's is %s)",
						id, ownerKey, v, quoteSet(ownersA)))
				break
			}
		}
	}
	return finishAuthz(s, swaps, neighbours, routes)
}

func finishAuthz(s *target.Session, swaps, neighbours, routes int) error {
	if routes == 0 && swaps == 0 {
		s.Caveat("object-authz", "user A's list routes returned no records to swap")
		s.Assess("object-authz", "no records found")
		return nil
	}
	what := fmt.Sprintf("%s of user A requested as user B on %s", plural(swaps, "record"), plural(routes, "route"))
	if neighbours > 0 {
		what += fmt.Sprintf(", %s tried", plural(neighbours, "neighbouring ID"))
	}
	s.Assess("object-authz", what)
	return nil
}

func quoteSet(m map[string]bool) string {
	var out []string
	for k := range m {
		out = append(out, strconv.Quote(k))
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// collections pairs list routes with the routes that read their items:
// "GET /x" with "GET /x/{id}", or a list route with a required ID query
// parameter, or (with --allow-write) a POST taking an ID in its body.
// Without a spec, an API list route is paired later with "/x/{id}".
func collections(s *target.Session) []collection {
	byPath := map[string]target.Route{}
	for _, r := range s.Routes {
		if r.Method == http.MethodGet {
			byPath[r.Path] = r
		}
	}
	var out []collection
	seen := map[string]bool{}
	for _, r := range s.Routes {
		if len(out) >= maxCollections {
			break
		}
		if r.Method != http.MethodGet || !r.Templated() {
			continue
		}
		params := r.Params()
		last := params[len(params)-1]
		if !strings.HasSuffix(r.Path, "/{"+last+"}") || len(params) > 1 {
			continue
		}
		list := strings.TrimSuffix(r.Path, "/{"+last+"}")
		lr, ok := byPath[list]
		if !ok || seen[list] {
			continue
		}
		seen[list] = true
		out = append(out, collection{list: lr, item: r, param: last, in: "path"})
	}
	for _, r := range s.Routes {
		if len(out) >= maxCollections {
			break
		}
		if r.Templated() || seen[r.Path] || r.Kind != target.KindOther {
			continue
		}
		if r.Method == http.MethodGet {
			for _, q := range r.Query {
				if idLike(q) {
					if lr, ok := byPath[r.Path]; ok {
						seen[r.Path] = true
						out = append(out, collection{list: lr, item: r, param: q, in: "query"})
					}
					break
				}
			}
			continue
		}
		if r.Method == http.MethodPost && s.Opts.AllowWrite {
			for _, f := range r.BodyFields {
				if idLike(f) {
					if lr, ok := byPath[r.Path]; ok {
						out = append(out, collection{list: lr, item: r, param: f, in: "body"})
					}
					break
				}
			}
		}
	}
	if len(out) > 0 || s.Opts.Spec != "" {
		return out
	}
	// No spec: any API list route may have items at /list/{id}.
	for _, r := range s.Routes {
		if len(out) >= maxCollections {
			break
		}
		if r.Method == http.MethodGet && !r.Templated() && r.Kind == target.KindOther && strings.Count(r.Path, "/") >= 2 {
			out = append(out, collection{list: r})
		}
	}
	return out
}

// itemFor guesses the item route of a discovered list route.
func itemFor(c collection, recs []Record) collection {
	c.item = target.Route{Method: http.MethodGet, Path: strings.TrimSuffix(c.list.Path, "/") + "/{id}", From: "guess"}
	c.param, c.in = "id", "path"
	_ = recs
	return c
}

func idLike(name string) bool {
	n := strings.ToLower(name)
	return n == "id" || n == "uuid" || strings.HasSuffix(n, "_id") || strings.HasSuffix(n, "id") && len(n) > 2 && name[len(name)-2] == 'I'
}

// fetchItem reads one record the way the collection addresses it.
func fetchItem(s *target.Session, c collection, id string, cred *target.Credential) (*target.Response, error) {
	switch c.in {
	case "query":
		return s.Do(target.Request{URL: c.item.Path + "?" + url.Values{c.param: {id}}.Encode(), Cred: cred})
	case "body":
		body, _ := json.Marshal(map[string]any{c.param: jsonID(id)})
		return s.Do(target.Request{Method: c.item.Method, URL: c.item.Path, Body: body,
			Header: http.Header{"Content-Type": {"application/json"}}, Cred: cred})
	}
	return s.Do(target.Request{Method: c.item.Method, URL: c.item.Fill(map[string]string{c.param: id}, id), Cred: cred})
}

// jsonID sends numeric IDs as numbers.
func jsonID(id string) any {
	if n, err := strconv.ParseInt(id, 10, 64); err == nil {
		return n
	}
	return id
}

// neighbourIDs returns the numeric IDs next to A's own that are neither
// A's nor B's.
func neighbourIDs(ids []string, mineA, mineB map[string]bool) []string {
	var out []string
	seen := map[string]bool{}
	for _, id := range ids {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			continue
		}
		for _, c := range []int64{n + 1, n - 1} {
			cs := strconv.FormatInt(c, 10)
			if c < 0 || mineA[cs] || mineB[cs] || seen[cs] {
				continue
			}
			seen[cs] = true
			out = append(out, cs)
			if len(out) >= maxNeighbours {
				return out
			}
		}
	}
	return out
}
