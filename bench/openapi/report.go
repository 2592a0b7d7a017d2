package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// httpMethods are the keys of a path item that are operations. "query" is
// OpenAPI 3.2's QUERY method.
var httpMethods = map[string]bool{
	"get": true, "put": true, "post": true, "delete": true, "options": true,
	"head": true, "patch": true, "trace": true, "query": true,
}

// countOperations counts the operations of an OpenAPI or Swagger document:
// the HTTP methods under each entry of paths. Webhooks and callbacks are
// not counted, so every tool is measured against the same figure.
func countOperations(name string, data []byte) (int, error) {
	var doc struct {
		Paths map[string]map[string]any `json:"paths" yaml:"paths"`
	}
	var err error
	if isJSON(name, data) {
		// RawMessage leaves the operations undecoded, which keeps a
		// 73 MB document to about a second.
		var raw struct {
			Paths map[string]map[string]json.RawMessage `json:"paths"`
		}
		if err = json.Unmarshal(data, &raw); err == nil {
			return countMethods(raw.Paths), nil
		}
	} else if err = yaml.Unmarshal(data, &doc); err == nil {
		return countMethods(doc.Paths), nil
	}
	return 0, fmt.Errorf("count operations in %q: %w", name, err)
}

func countMethods[V any](paths map[string]map[string]V) int {
	n := 0
	for _, item := range paths {
		for k := range item {
			if httpMethods[strings.ToLower(k)] {
				n++
			}
		}
	}
	return n
}

func isJSON(name string, data []byte) bool {
	if strings.EqualFold(filepath.Ext(name), ".json") {
		return true
	}
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	return len(t) > 0 && t[0] == '{'
}

// tally is what one tool reported on one spec.
type tally struct {
	findings int
	// byRule counts findings per rule ID.
	byRule map[string]int
	// byOp counts findings per operation ("GET /path"); findings about
	// something else (a security scheme, a server, a shared schema) are
	// in unplaced.
	byOp     map[string]int
	unplaced int
}

func newTally() tally { return tally{byRule: map[string]int{}, byOp: map[string]int{}} }

func (t *tally) add(rule, op string) {
	t.findings++
	t.byRule[rule]++
	if op == "" {
		t.unplaced++
		return
	}
	t.byOp[op]++
}

// busiest returns the operation with the most findings, the first by name
// on a tie, and how many it has.
func (t tally) busiest() (string, int) {
	best, n := "", 0
	for op, c := range t.byOp {
		if c > n || (c == n && op < best) {
			best, n = op, c
		}
	}
	return best, n
}

// ruleCount is one line of a per-rule table.
type ruleCount struct {
	rule string
	n    int
}

// rules returns the per-rule counts, most frequent first.
func (t tally) rules() []ruleCount {
	out := make([]ruleCount, 0, len(t.byRule))
	for r, n := range t.byRule {
		out = append(out, ruleCount{r, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].n != out[j].n {
			return out[i].n > out[j].n
		}
		return out[i].rule < out[j].rule
	})
	return out
}

// parseLaunchgate reads a launchgate JSON report. The rules name the
// operation at fault in match ("GET /path", sometimes followed by the
// parameter, or "webhook /name (POST)"); together with the spec file in
// location.path that identifies the operation.
func parseLaunchgate(data []byte) (tally, error) {
	var r struct {
		Findings []struct {
			Rule     string `json:"rule"`
			Match    string `json:"match"`
			Location struct {
				Path string `json:"path"`
			} `json:"location"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return tally{}, fmt.Errorf("decode launchgate report: %w", err)
	}
	t := newTally()
	for _, f := range r.Findings {
		op := launchgateOperation(f.Match)
		if op != "" && f.Location.Path != "" {
			op = f.Location.Path + ": " + op
		}
		t.add(f.Rule, op)
	}
	return t, nil
}

// launchgateOperation returns the operation a launchgate match names, or ""
// when it names something else.
func launchgateOperation(match string) string {
	if strings.HasPrefix(match, "webhook ") || strings.HasPrefix(match, "callback ") {
		return match
	}
	method, rest, ok := strings.Cut(match, " ")
	if !ok || !httpMethods[strings.ToLower(method)] || !strings.HasPrefix(rest, "/") {
		return ""
	}
	path, _, _ := strings.Cut(rest, " ")
	return strings.ToUpper(method) + " " + path
}

// parseSpectral reads a report in Spectral's JSON format, which vacuum's
// spectral-report command writes too. Spectral gives path as an array of
// keys; a JSONPath string is accepted as well.
func parseSpectral(data []byte) (tally, error) {
	var rs []struct {
		Code   json.RawMessage `json:"code"`
		Path   json.RawMessage `json:"path"`
		Source string          `json:"source"`
	}
	if len(bytes.TrimSpace(data)) > 0 {
		if err := json.Unmarshal(data, &rs); err != nil {
			return tally{}, fmt.Errorf("decode spectral report: %w", err)
		}
	}
	t := newTally()
	for _, r := range rs {
		op := spectralOperation(r.Path)
		if op != "" && r.Source != "" {
			op = r.Source + ": " + op
		}
		t.add(scalarString(r.Code), op)
	}
	return t, nil
}

// scalarString renders a JSON string or number as text; Spectral's codes
// are strings but its types allow numbers.
func scalarString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(bytes.TrimSpace(raw))
}

// jsonPathOp finds an operation in a JSONPath such as
// $.paths['/repos/{owner}'].get.responses or $.paths./users.post.
var jsonPathOp = regexp.MustCompile(`^\$\.paths(?:\[['"](.+?)['"]\]|\.(/[^.\[]*))\.([a-zA-Z]+)(?:$|[.\[])`)

func spectralOperation(raw json.RawMessage) string {
	var keys []any
	if json.Unmarshal(raw, &keys) == nil {
		if len(keys) < 3 || keys[0] != "paths" {
			return ""
		}
		path, ok1 := keys[1].(string)
		method, ok2 := keys[2].(string)
		if !ok1 || !ok2 || !httpMethods[strings.ToLower(method)] {
			return ""
		}
		return strings.ToUpper(method) + " " + path
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	m := jsonPathOp.FindStringSubmatch(s)
	if m == nil || !httpMethods[strings.ToLower(m[3])] {
		return ""
	}
	return strings.ToUpper(m[3]) + " " + m[1] + m[2]
}

// perOp formats findings per operation with two decimals.
func perOp(findings, ops int) string {
	if ops == 0 {
		return "n/a"
	}
	return strconv.FormatFloat(float64(findings)/float64(ops), 'f', 2, 64)
}
