package report

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

// SARIF document constants.
const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// sarifSrcRoot is the base every artifact path is relative to; code
	// scanning resolves it to the checkout.
	sarifSrcRoot = "%SRCROOT%"
	// sarifFingerprintKey names our fingerprint in partialFingerprints; the
	// version suffix lets the hash change without clashing with old alerts.
	sarifFingerprintKey = "launchgate/v1"
	// sarifPrecision is how sure a rule is of its findings. Rules do not
	// declare it yet, so every rule claims the same.
	sarifPrecision = "high"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations,omitempty"`
	Results     []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name    string                `json:"name"`
	Version string                `json:"version,omitempty"`
	Rules   []sarifReportingDescr `json:"rules"`
}

type sarifReportingDescr struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name"`
	ShortDescription     sarifText          `json:"shortDescription"`
	FullDescription      sarifText          `json:"fullDescription"`
	Help                 sarifMultiformat   `json:"help"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           sarifRuleProps     `json:"properties"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifMultiformat struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags             []string `json:"tags"`
	SecuritySeverity string   `json:"security-severity"`
	Precision        string   `json:"precision"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string    `json:"level"`
	Message sarifText `json:"message"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations,omitempty"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
	BaselineState       string            `json:"baselineState"`
	Properties          *sarifResultProps `json:"properties,omitempty"`
}

type sarifLocation struct {
	ID               *int                  `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifText            `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifResultProps struct {
	Commit      string `json:"commit,omitempty"`
	Author      string `json:"author,omitempty"`
	Date        string `json:"date,omitempty"`
	Source      string `json:"source,omitempty"`
	PreExisting bool   `json:"pre_existing,omitempty"`
}

// SARIF renders res as a SARIF 2.1.0 log with one run, in the form code
// scanning reads: a rule descriptor for every rule a finding names, with
// security-severity so alerts get a severity, and our fingerprint in
// partialFingerprints so alerts follow a finding across edits.
func SARIF(w io.Writer, res Result) error {
	rules, index := sarifRules(res)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:    toolName(res),
			Version: res.Tool.Version,
			Rules:   rules,
		}},
		Results: make([]sarifResult, 0, len(res.Findings)),
	}
	if inv, ok := sarifInvocationOf(res); ok {
		run.Invocations = []sarifInvocation{inv}
	}
	for _, f := range res.Findings {
		run.Results = append(run.Results, sarifResultOf(f, index[f.Rule]))
	}

	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	log := sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}
	if err := enc.Encode(log); err != nil {
		return fmt.Errorf("write sarif report: %w", err)
	}
	return nil
}

func toolName(res Result) string {
	if res.Tool.Name != "" {
		return res.Tool.Name
	}
	return "launchgate"
}

// sarifRules describes every rule the findings name, sorted by ID, and
// returns each rule's index for the results' ruleIndex. A rule missing
// from res.Rules is described from its first finding, so every result still
// points at a descriptor.
//
// Code scanning takes an alert's severity from its rule's
// security-severity, not from the result, so a descriptor carries the most
// serious severity its findings have: a rule raised to critical in
// .launchgate.yml must show as critical there too.
func sarifRules(res Result) ([]sarifReportingDescr, map[string]int) {
	first := map[string]finding.Finding{}
	worst := map[string]finding.Severity{}
	var ids []string
	for _, f := range res.Findings {
		if _, ok := first[f.Rule]; !ok {
			first[f.Rule] = f
			worst[f.Rule] = f.Severity
			ids = append(ids, f.Rule)
		}
		worst[f.Rule] = max(worst[f.Rule], f.Severity)
	}
	slices.Sort(ids)

	descrs := make([]sarifReportingDescr, 0, len(ids))
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		f := first[id]
		r := res.Rules[id]
		if r == nil {
			r = &rule.Rule{ID: id, Check: f.Check, Severity: f.Severity, Title: f.Message, Fix: f.Fix}
		}
		short := cmp.Or(r.Title, f.Message, id)
		full := cmp.Or(r.Doc, short)
		help := sarifMultiformat{Text: full, Markdown: full}
		if r.Fix != "" {
			help.Text += "\n\nFix: " + r.Fix
			help.Markdown += "\n\n**Fix:** " + r.Fix
		}
		tags := []string{"security"}
		if r.Check != "" {
			tags = append(tags, r.Check)
		}
		descrs = append(descrs, sarifReportingDescr{
			ID:                   id,
			Name:                 camelCase(id),
			ShortDescription:     sarifText{Text: short},
			FullDescription:      sarifText{Text: full},
			Help:                 help,
			DefaultConfiguration: sarifConfiguration{Level: sarifLevel(worst[id])},
			Properties: sarifRuleProps{
				Tags:             tags,
				SecuritySeverity: securitySeverity(worst[id]),
				Precision:        sarifPrecision,
			},
		})
		index[id] = i
	}
	return descrs, index
}

func sarifResultOf(f finding.Finding, ruleIndex int) sarifResult {
	msg := cmp.Or(f.Message, f.Rule)
	if f.Match != "" {
		msg += ": " + f.Match
	}
	r := sarifResult{
		RuleID:        f.Rule,
		RuleIndex:     ruleIndex,
		Level:         sarifLevel(f.Severity),
		Message:       sarifText{Text: msg},
		BaselineState: "new",
	}
	if f.PreExisting {
		r.BaselineState = "unchanged"
	}
	if loc, ok := sarifLocationOf(f.Location); ok {
		r.Locations = []sarifLocation{loc}
	}
	for i, o := range f.Occurrences {
		loc, ok := sarifLocationOf(o)
		if !ok {
			continue
		}
		id := i + 1
		loc.ID = &id
		text := "the same value"
		if o.Commit != "" {
			text += " in commit " + shortCommit(o.Commit)
		}
		loc.Message = &sarifText{Text: text}
		r.RelatedLocations = append(r.RelatedLocations, loc)
	}
	if f.Fingerprint != "" {
		r.PartialFingerprints = map[string]string{sarifFingerprintKey: f.Fingerprint}
	}
	props := sarifResultProps{
		Commit:      f.Location.Commit,
		Author:      f.Location.Author,
		Date:        f.Location.Date,
		Source:      f.Source,
		PreExisting: f.PreExisting,
	}
	if props != (sarifResultProps{}) {
		r.Properties = &props
	}
	return r
}

// sarifLocationOf places a finding in the repository, or at its URL for
// live findings. It reports false when there is nowhere to point.
func sarifLocationOf(loc finding.Location) (sarifLocation, bool) {
	var art sarifArtifactLocation
	switch {
	case loc.Path != "":
		art = sarifArtifactLocation{URI: pathURI(loc.Path), URIBaseID: sarifSrcRoot}
	case loc.URL != "":
		art = sarifArtifactLocation{URI: loc.URL}
	default:
		return sarifLocation{}, false
	}
	return sarifLocation{PhysicalLocation: sarifPhysicalLocation{
		ArtifactLocation: art,
		Region:           sarifRegionOf(loc),
	}}, true
}

// sarifRegionOf maps our 1-based lines to a SARIF region. A whole-file
// finding (line 0) points at the first line, because code scanning needs
// a line to show an alert on.
func sarifRegionOf(loc finding.Location) *sarifRegion {
	if loc.Line <= 0 {
		return &sarifRegion{StartLine: 1}
	}
	r := &sarifRegion{StartLine: loc.Line, EndLine: max(loc.EndLine, loc.Line)}
	if loc.Column > 0 {
		r.StartColumn = loc.Column
	}
	// An end column before the start on the same line would be an empty
	// or inverted region; leave it out rather than mislead.
	if loc.EndColumn > 0 && (r.EndLine > r.StartLine || loc.EndColumn >= r.StartColumn) {
		r.EndColumn = loc.EndColumn
	}
	return r
}

// pathURI turns a slash-separated path into a relative URI reference,
// escaping spaces and the like.
func pathURI(p string) string {
	return (&url.URL{Path: strings.TrimPrefix(p, "./")}).String()
}

// sarifInvocationOf reports warnings and errors as tool notifications; it
// returns false when there is nothing to say.
func sarifInvocationOf(res Result) (sarifInvocation, bool) {
	if len(res.Warnings) == 0 && len(res.Errors) == 0 {
		return sarifInvocation{}, false
	}
	inv := sarifInvocation{ExecutionSuccessful: len(res.Errors) == 0}
	for _, m := range res.Warnings {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
			sarifNotification{Level: "warning", Message: sarifText{Text: m}})
	}
	for _, m := range res.Errors {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
			sarifNotification{Level: "error", Message: sarifText{Text: m}})
	}
	return inv, true
}

// sarifLevel maps a severity to the three SARIF levels code scanning shows.
func sarifLevel(s finding.Severity) string {
	switch {
	case s >= finding.SeverityHigh:
		return "error"
	case s == finding.SeverityMedium:
		return "warning"
	default:
		return "note"
	}
}

// securitySeverity is the CVSS-like score code scanning buckets into its
// critical, high, medium and low alert severities.
func securitySeverity(s finding.Severity) string {
	switch {
	case s >= finding.SeverityCritical:
		return "9.5"
	case s == finding.SeverityHigh:
		return "8.0"
	case s == finding.SeverityMedium:
		return "5.5"
	case s == finding.SeverityLow:
		return "3.0"
	default:
		return "1.0"
	}
}

// camelCase turns a rule ID such as "secrets/aws-access-token" into a
// SARIF rule name such as "SecretsAwsAccessToken".
func camelCase(id string) string {
	var b strings.Builder
	upper := true
	for _, r := range id {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			upper = true
			continue
		}
		if upper {
			r = unicode.ToUpper(r)
			upper = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
