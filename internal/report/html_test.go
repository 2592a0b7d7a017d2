package report

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/scorecard"
)

// xssPayloads are what a hostile repository could put in a file name, a
// commit author, a matched line or a live URL. Each one sets window.__xss
// if it ever runs.
var xssPayloads = []string{
	`<script>window.__xss=1</script>`,
	`"><img src=x onerror="window.__xss=1">`,
	`'><svg onload=window.__xss=1>`,
	`</pre></code></style><script>window.__xss=1</script>`,
	`{{.CSS}}`,
}

// hostileResult is a result whose every field a scanned repository can
// influence carries markup.
func hostileResult() Result {
	p := strings.Join(xssPayloads, " ")
	f := newFinding(finding.Finding{
		Rule: "secrets/x" + xssPayloads[1], Check: "secrets", Severity: finding.SeverityHigh,
		Message: "leak " + p, Fix: "fix `" + xssPayloads[0] + "` now", Source: finding.SourceHistory,
		Location: finding.Location{
			Path: "dir/" + xssPayloads[1] + ".env", Line: 2, Column: 1,
			Commit: "abc" + xssPayloads[2], Author: xssPayloads[0], Email: xssPayloads[1], Date: xssPayloads[3],
		},
		Match: xssPayloads[3],
		Excerpt: []finding.Line{
			{Number: 1, Text: xssPayloads[0]},
			{Number: 2, Text: "KEY=" + xssPayloads[1] + "\x1b[2J\x00"},
			{Number: 3, Text: xssPayloads[3]},
		},
		Occurrences: []finding.Location{{Path: xssPayloads[2], Line: 1}},
	})
	live := newFinding(finding.Finding{
		Rule: "cors/reflected-origin", Check: "cors" + xssPayloads[2], Severity: finding.SeverityMedium,
		Message: "origin reflected", Source: finding.SourceLive,
		Location: finding.Location{URL: "javascript:window.__xss=1"},
	})
	findings := []finding.Finding{f, live}
	sc := scorecard.Build(findings, nil)
	sc[0].Reason = "reason " + p
	return Result{
		Tool:      Tool{Name: "launchgate" + xssPayloads[0], Version: xssPayloads[1]},
		Target:    xssPayloads[3],
		Findings:  findings,
		Scorecard: sc,
		FailOn:    finding.SeverityHigh,
		Failed:    true,
		Warnings:  []string{"warn " + p},
		Errors:    []string{"error `" + xssPayloads[2] + "`"},
	}
}

// parseHTML parses a page and fails the test when it cannot.
func parseHTML(t *testing.T, page string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("parse html: %v", err)
	}
	return doc
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// TestHTMLEscapes renders markup from every field a repository controls:
// none of it may become an element or an attribute, and all of it must be
// shown as text.
func TestHTMLEscapes(t *testing.T) {
	page := render(t, "html", hostileResult())
	doc := parseHTML(t, page)
	var text strings.Builder
	walk(doc, func(n *html.Node) {
		switch n.Type {
		case html.ElementNode:
			switch n.Data {
			case "script", "img", "svg", "iframe", "object", "embed":
				t.Errorf("page has a <%s> element", n.Data)
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") {
					t.Errorf("<%s> has an event handler attribute %s=%q", n.Data, a.Key, a.Val)
				}
				if (a.Key == "href" || a.Key == "src") && strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
					t.Errorf("<%s> has a javascript: URL in %s", n.Data, a.Key)
				}
			}
		case html.TextNode:
			if n.Parent != nil && n.Parent.Data != "style" {
				text.WriteString(n.Data)
			}
		}
	})
	for _, p := range xssPayloads {
		if !strings.Contains(text.String(), p) {
			t.Errorf("payload %q is not shown as text", p)
		}
	}
	if strings.ContainsRune(page, 0) || strings.Contains(page, "\x1b") {
		t.Error("control characters reach the page")
	}
	if !strings.Contains(text.String(), `\x1b[2J`) {
		t.Error("an escape sequence in a code line is not shown as an escape")
	}
}

// TestHTMLStructure checks what validity and accessibility rest on: one
// h1, no skipped heading levels, unique ids, links that resolve within the
// page or to the rule docs, tables with header cells, a language, and
// nothing that could load from or talk to the network.
func TestHTMLStructure(t *testing.T) {
	tests := []struct {
		name string
		res  Result
	}{
		{name: "fixture", res: fixture()},
		{name: "empty", res: Result{}},
		{name: "clean scan", res: Result{Scorecard: scorecard.Build(nil, scorecard.Coverage{"secrets": {What: "3 files"}}), FailOn: finding.SeverityHigh}},
		{name: "hostile", res: hostileResult()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := render(t, "html", tt.res)
			if !strings.HasPrefix(page, "<!DOCTYPE html>\n<html lang=\"en\">") {
				t.Errorf("page does not start with a doctype and a language: %q", page[:min(len(page), 40)])
			}
			if !strings.HasSuffix(page, "</html>\n") {
				t.Errorf("page does not end with </html> and a newline: %q", page[max(0, len(page)-20):])
			}
			for _, problem := range structureProblems(parseHTML(t, page)) {
				t.Error(problem)
			}
		})
	}
}

// structureProblems lists what is wrong with a page's structure.
func structureProblems(doc *html.Node) []string {
	var problems []string
	ids := map[string]int{}
	var hrefs []string
	var headings []int
	tables, headerCells := 0, 0
	csp := false
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		if id, ok := attr(n, "id"); ok {
			ids[id]++
		}
		if href, ok := attr(n, "href"); ok {
			hrefs = append(hrefs, href)
		}
		for _, key := range []string{"src", "srcset", "poster", "data", "action", "background"} {
			if v, ok := attr(n, key); ok {
				problems = append(problems, fmt.Sprintf("<%s %s=%q> would load something", n.Data, key, v))
			}
		}
		switch n.Data {
		case "h1", "h2", "h3", "h4", "h5", "h6":
			headings = append(headings, int(n.Data[1]-'0'))
		case "table":
			tables++
		case "th":
			headerCells++
			if _, ok := attr(n, "scope"); !ok {
				problems = append(problems, "a <th> has no scope")
			}
		case "link", "script", "iframe", "base", "form":
			problems = append(problems, fmt.Sprintf("page has a <%s> element", n.Data))
		case "meta":
			if v, _ := attr(n, "http-equiv"); v == "Content-Security-Policy" {
				c, _ := attr(n, "content")
				csp = strings.Contains(c, "default-src 'none'")
			}
		case "style":
			if n.FirstChild != nil && strings.Contains(n.FirstChild.Data, "url(") {
				problems = append(problems, "the style sheet has a url()")
			}
		}
	})
	if !csp {
		problems = append(problems, "no Content-Security-Policy with default-src 'none'")
	}
	for id, n := range ids {
		if n > 1 {
			problems = append(problems, fmt.Sprintf("id %q is used %d times", id, n))
		}
	}
	for _, h := range hrefs {
		switch {
		case strings.HasPrefix(h, "#"):
			if ids[h[1:]] == 0 {
				problems = append(problems, fmt.Sprintf("link %q points at no element", h))
			}
		case strings.HasPrefix(h, RulesDoc+"#"):
		case strings.HasPrefix(h, "https://"), strings.HasPrefix(h, "http://"):
			// Live findings link to the URL they are about; following a
			// link is the reader's choice, not a fetch.
		default:
			problems = append(problems, fmt.Sprintf("unexpected link %q", h))
		}
	}
	if slices.Index(headings, 1) != 0 || slices.Index(headings[1:], 1) >= 0 {
		problems = append(problems, fmt.Sprintf("want exactly one h1, first: headings %v", headings))
	}
	for i := 1; i < len(headings); i++ {
		if headings[i] > headings[i-1]+1 {
			problems = append(problems, fmt.Sprintf("heading level jumps from h%d to h%d", headings[i-1], headings[i]))
		}
	}
	if tables > 0 && headerCells == 0 {
		problems = append(problems, "tables have no header cells")
	}
	return problems
}

// TestHTMLStructureCatchesProblems makes sure the structure check can
// fail.
func TestHTMLStructureCatchesProblems(t *testing.T) {
	bad := `<!DOCTYPE html><html lang="en"><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body>
<h1>a</h1><h3 id="x">b</h3><p id="x"><a href="#nowhere">c</a></p><img src="https://example.test/t.gif">
<table><tr><td>d</td></tr></table><script>1</script></body></html>`
	got := structureProblems(parseHTML(t, bad))
	for _, want := range []string{"would load", "used 2 times", "points at no element", "jumps from h1 to h3", "no header cells", "<script>"} {
		if !slices.ContainsFunc(got, func(p string) bool { return strings.Contains(p, want) }) {
			t.Errorf("no problem mentions %q; got %q", want, got)
		}
	}
}

// TestHTMLContent checks what a reader relies on in the fixture's page:
// the verdict, all 13 tiles in scorecard order, every finding once in the
// overview and once in detail, the code with the finding's lines marked,
// fix hints and rule links, warnings, errors and stats.
func TestHTMLContent(t *testing.T) {
	res := fixture()
	doc := parseHTML(t, render(t, "html", res))

	var tiles, overview, articles, hits []string
	var verdict string
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		class, _ := attr(n, "class")
		switch {
		case n.Data == "li" && strings.HasPrefix(class, "tile "):
			tiles = append(tiles, class+" "+textOf(n))
		case n.Data == "h2" && hasID(n, "verdict-heading"):
			verdict = textOf(n)
		case n.Data == "tr" && n.Parent != nil && n.Parent.Data == "tbody" && n.Parent.Parent != nil && hasClass(n.Parent.Parent, "overview"):
			overview = append(overview, textOf(n))
		case n.Data == "article":
			articles = append(articles, textOf(n))
		case n.Data == "mark":
			hits = append(hits, textOf(n))
		}
	})

	if diff := cmp.Diff("FAIL 3 findings at or above high", verdict); diff != "" {
		t.Errorf("verdict (-want +got):\n%s", diff)
	}
	if len(tiles) != len(res.Scorecard) || len(tiles) != 13 {
		t.Fatalf("%d tiles, want 13", len(tiles))
	}
	for i, row := range res.Scorecard {
		class, _, label := statusLook(row.Status)
		if !strings.Contains(tiles[i], "tile-"+class) || !strings.Contains(tiles[i], label) || !strings.Contains(tiles[i], row.Title) {
			t.Errorf("tile %d = %q, want %s, %q and %q", i, tiles[i], class, label, row.Title)
		}
	}
	if len(overview) != len(res.Findings) || len(articles) != len(res.Findings) {
		t.Errorf("%d overview rows and %d articles, want %d of each", len(overview), len(articles), len(res.Findings))
	}
	// The fixture's secrets, joined from pieces: this file must hold none.
	aws := "AKIA" + "Z7Q4EXAMPLEKEY42"
	pat := "ghp_" + "R4nd0mL00k1ngT0k3nV4lu3F0rT3st1ng00"
	wantHits := []string{
		"42    delete:", "43      operationId: deleteUser", "44      parameters:",
		"45        - {name: id, in: path, required: true}", "46      responses:", "47        '204':",
		"48          description: gone",
		"3AWS_ACCESS_KEY_ID=" + finding.Redact(aws),
		"17\t\tAllowOriginFunc: func(string) bool { return true }, // </pre><script>alert(1)</script>",
		"12export GITHUB_TOKEN=" + finding.Redact(pat),
	}
	for i := range hits {
		hits[i] = strings.TrimSuffix(hits[i], "\n")
	}
	if diff := cmp.Diff(wantHits, hits); diff != "" {
		t.Errorf("highlighted lines (-want +got):\n%s", diff)
	}
	all := strings.Join(articles, "\n")
	for _, want := range []string{
		"How to fix: Rotate the key in IAM, then remove it from history.",
		"How to fix: Set SameSite=Lax or Strict.",
		"Why this matters",
		"9f1c2ab by Dana Dev <dana@example.com> on 2026-03-14T09:30:00Z",
		"deploy/old.env:7 in commit 2b3c4d5",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no finding shows %q", want)
		}
	}
	page := textOf(doc)
	for _, want := range []string{res.Warnings[0], res.Errors[0], "Files scanned412", "Duration2.35s", "Pre-existing findings"} {
		if !strings.Contains(page, want) {
			t.Errorf("page does not show %q", want)
		}
	}
}

func hasID(n *html.Node, id string) bool {
	v, ok := attr(n, "id")
	return ok && v == id
}

func hasClass(n *html.Node, class string) bool {
	v, _ := attr(n, "class")
	return slices.Contains(strings.Fields(v), class)
}

// textOf is the text of a node, as a reader sees it, without style
// sheets.
func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode && (c.Parent == nil || c.Parent.Data != "style") {
			b.WriteString(c.Data)
		}
	})
	return strings.TrimSpace(b.String())
}

func TestHeadingAnchor(t *testing.T) {
	tests := []struct{ id, want string }{
		{id: "secrets/aws-access-token", want: "secretsaws-access-token"},
		{id: "secrets/1password-secret-key", want: "secrets1password-secret-key"},
		{id: "code/Express_No Helmet", want: "codeexpress_no-helmet"},
	}
	for _, tt := range tests {
		if got := headingAnchor(tt.id); got != tt.want {
			t.Errorf("headingAnchor(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

func TestProse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want prose
	}{
		{name: "plain", in: "no findings", want: prose{{Text: "no findings"}}},
		{name: "code", in: "needs `launchgate live`", want: prose{{Text: "needs "}, {Text: "launchgate live", Code: true}}},
		{name: "odd backticks", in: "a ` b", want: prose{{Text: "a ` b"}}},
		{name: "empty", in: "", want: nil},
		{name: "control", in: "a\nb", want: prose{{Text: `a\nb`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, proseOf(tt.in)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzHTMLEscapes: whatever a repository puts in a message, a path, a
// URL or a line of code, the page gets no element or attribute beyond the
// template's own, and no link beyond the page, the rule docs and web
// addresses.
func FuzzHTMLEscapes(f *testing.F) {
	for _, p := range xssPayloads {
		f.Add(p, "a/"+p, p)
	}
	f.Add("\x00\x1b[31m", "\xff\xfe", "\t<b>")
	f.Add("`code`", "p", "javascript:alert(1)")
	tags := map[string]bool{}
	for _, t := range strings.Fields(`html head meta title style body a header p span h1 h2 h3 h4 code main section
		ul li ol div table caption thead tbody tr th td article dl dt dd figure figcaption pre mark strong details summary footer`) {
		tags[t] = true
	}
	attrs := map[string]bool{}
	for _, a := range strings.Fields(`lang charset name content http-equiv class href id aria-labelledby aria-hidden scope title rel`) {
		attrs[a] = true
	}
	f.Fuzz(func(t *testing.T, message, path, line string) {
		res := Result{Findings: []finding.Finding{{
			Rule: "secrets/x", Check: "secrets", Severity: finding.SeverityHigh, Message: message,
			Location: finding.Location{Path: path, Line: 1, URL: line},
			Match:    message, Fix: line,
			Excerpt: []finding.Line{{Number: 1, Text: line}},
		}}, Warnings: []string{message}}
		var buf strings.Builder
		if err := HTML(&buf, res); err != nil {
			t.Fatal(err)
		}
		doc, err := html.Parse(strings.NewReader(buf.String()))
		if err != nil {
			t.Fatal(err)
		}
		walk(doc, func(n *html.Node) {
			if n.Type != html.ElementNode {
				return
			}
			if !tags[n.Data] {
				t.Fatalf("input made a <%s> element", n.Data)
			}
			for _, a := range n.Attr {
				if !attrs[a.Key] {
					t.Fatalf("input made an attribute %s on <%s>", a.Key, n.Data)
				}
				if a.Key == "href" && !strings.HasPrefix(a.Val, "#") && !strings.HasPrefix(a.Val, RulesDoc+"#") &&
					!strings.HasPrefix(a.Val, "https://") && !strings.HasPrefix(a.Val, "http://") {
					t.Fatalf("input made a link to %q", a.Val)
				}
			}
		})
	})
}
