package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// gitleaksFinding is the part of a gitleaks JSON report entry we use.
type gitleaksFinding struct {
	RuleID string `json:"RuleID"`
	Secret string `json:"Secret"`
	File   string `json:"File"`
	Commit string `json:"Commit"`
}

// launchgateReport is the part of a launchgate JSON report we use.
type launchgateReport struct {
	Findings []struct {
		Rule     string `json:"rule"`
		Match    string `json:"match"`
		Location struct {
			Path   string `json:"path"`
			Commit string `json:"commit"`
		} `json:"location"`
		Occurrences []json.RawMessage `json:"occurrences"`
	} `json:"findings"`
}

// secrets is the set of secret values one tool found, normalised, each
// with where it was first reported ("rule path@commit").
type secrets struct {
	values map[string]string
	// findings counts report entries; occurrences counts every place, so a
	// launchgate finding that groups three commits counts three.
	findings, occurrences int
}

// normalise folds whitespace so that a multi-line private key compares
// equal however each tool joined its lines.
func normalise(s string) string { return strings.Join(strings.Fields(s), " ") }

func parseGitleaks(data []byte) (secrets, error) {
	var fs []gitleaksFinding
	if len(strings.TrimSpace(string(data))) > 0 {
		if err := json.Unmarshal(data, &fs); err != nil {
			return secrets{}, fmt.Errorf("decode gitleaks report: %w", err)
		}
	}
	s := secrets{values: map[string]string{}, findings: len(fs), occurrences: len(fs)}
	for _, f := range fs {
		s.add(f.Secret, f.RuleID, f.File, f.Commit)
	}
	return s, nil
}

func parseLaunchgate(data []byte) (secrets, error) {
	var r launchgateReport
	if err := json.Unmarshal(data, &r); err != nil {
		return secrets{}, fmt.Errorf("decode launchgate report: %w", err)
	}
	s := secrets{values: map[string]string{}}
	for _, f := range r.Findings {
		if !strings.HasPrefix(f.Rule, "secrets/") {
			continue
		}
		s.findings++
		s.occurrences += 1 + len(f.Occurrences)
		s.add(f.Match, f.Rule, f.Location.Path, f.Location.Commit)
	}
	return s, nil
}

func (s secrets) add(secret, rule, path, commit string) {
	v := normalise(secret)
	if v == "" {
		return
	}
	if _, ok := s.values[v]; ok {
		return
	}
	if len(commit) > 10 {
		commit = commit[:10]
	}
	where := rule + " " + path
	if commit != "" {
		where += "@" + commit
	}
	s.values[v] = where
}

// missing returns the values of want that got lacks, sorted. A value
// counts as found when got holds it, or holds a longer match containing
// it (a tool may report the whole match rather than the secret group).
func missing(want, got secrets) []string {
	var out []string
	for v := range want.values {
		if _, ok := got.values[v]; ok {
			continue
		}
		found := false
		for g := range got.values {
			if strings.Contains(g, v) {
				found = true
				break
			}
		}
		if !found {
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}
