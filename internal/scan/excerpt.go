package scan

import (
	"bytes"
	"cmp"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/source"
)

const (
	// excerptRadius is how many lines before and after a finding its
	// excerpt shows.
	excerptRadius = 2
	// excerptMaxLines caps an excerpt, for findings that span many lines
	// (a whole OpenAPI operation, say).
	excerptMaxLines = 12
	// excerptLineMax caps one line in bytes, as Context is capped: a
	// minified bundle is one line of megabytes.
	excerptLineMax = 240
)

// excerpt cuts the lines around a finding on lines line..end out of
// content, numbered as in content. It returns nil for a whole-file finding
// (line 0) and for a line the content does not have.
func excerpt(content []byte, line, end int) []finding.Line {
	if line <= 0 {
		return nil
	}
	end = max(end, line)
	from := max(1, line-excerptRadius)
	to := min(end+excerptRadius, from+excerptMaxLines-1)
	var out []finding.Line
	for n := 1; n <= to && len(content) > 0; n++ {
		cur := content
		if i := bytes.IndexByte(content, '\n'); i >= 0 {
			cur, content = content[:i], content[i+1:]
		} else {
			content = nil
		}
		if n >= from {
			out = append(out, finding.Line{Number: n, Text: string(bytes.TrimRight(cur, "\r"))})
		}
	}
	if !slices.ContainsFunc(out, func(l finding.Line) bool { return l.Number == line }) {
		return nil
	}
	return out
}

// placeExcerpt renumbers an excerpt from the unit's lines to the file's,
// keeping only the lines that sit next to the finding's line in the file
// too: a commit's added lines need not be neighbours in the file. It
// returns a new slice, because a cached excerpt is shared by every unit
// with the same content.
func placeExcerpt(u *source.Unit, ex []finding.Line, line int) []finding.Line {
	if len(ex) == 0 {
		return nil
	}
	at := u.FileLine(line)
	out := make([]finding.Line, 0, len(ex))
	for _, l := range ex {
		n := u.FileLine(l.Number)
		if n-at != l.Number-line {
			continue
		}
		out = append(out, finding.Line{Number: n, Text: l.Text})
	}
	return out
}

// redactAllLimit is how many secrets of one unit are masked in every
// excerpt line; above it (a dump of thousands of keys) each line is masked
// only with the secrets of the findings on it, so the cost stays linear.
const redactAllLimit = 64

// redactExcerpts hides secrets in the excerpts of one unit's findings.
// Every secret any rule matched in the unit is masked in every excerpt,
// including secrets of findings that are suppressed later: a neighbouring
// line must not show a key that was baselined or allowed. A secret that
// spans lines (a private key block) is masked line by line. Tokens that
// look like keys but that no rule matched are masked as well, since an
// excerpt shows lines no rule vouched for.
func redactExcerpts(fs []finding.Finding) {
	var all []string
	byLine := map[int][]string{}
	for _, f := range fs {
		if f.Secret == "" || strings.HasPrefix(f.Secret, "sha256:") {
			continue
		}
		pieces := secretPieces(f.Secret)
		all = append(all, pieces...)
		if f.Location.Line > 0 {
			last := min(max(f.Location.EndLine, f.Location.Line), f.Location.Line+1000)
			for n := f.Location.Line; n <= last; n++ {
				byLine[n] = append(byLine[n], pieces...)
			}
		}
	}
	all = longestFirst(all)
	for i := range fs {
		if len(fs[i].Excerpt) == 0 {
			continue
		}
		ex := make([]finding.Line, len(fs[i].Excerpt))
		for j, l := range fs[i].Excerpt {
			set := all
			if len(all) > redactAllLimit {
				set = longestFirst(byLine[l.Number])
			}
			text := l.Text
			for _, s := range set {
				text = finding.RedactIn(text, s)
			}
			ex[j] = finding.Line{Number: l.Number, Text: clip(maskTokens(text), excerptLineMax)}
		}
		fs[i].Excerpt = ex
	}
}

// secretPieces is what to mask for one secret: the secret itself and, for
// one that spans lines, each of its lines but the armour of a PEM block,
// which says what the key is without giving any of it away.
func secretPieces(secret string) []string {
	out := []string{secret}
	if !strings.Contains(secret, "\n") {
		return out
	}
	for _, line := range strings.Split(secret, "\n") {
		line = strings.TrimSpace(line)
		if len(line) >= 8 && !strings.HasPrefix(line, "-----") {
			out = append(out, line)
		}
	}
	return out
}

// longestFirst sorts secrets longest first and drops repeats: masking one
// that contains a shorter one must not be spoiled by the shorter one's
// stars.
func longestFirst(ss []string) []string {
	ss = slices.Clone(ss)
	slices.SortFunc(ss, func(a, b string) int {
		if c := cmp.Compare(len(b), len(a)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return slices.Compact(ss)
}

// clipExcerpt caps the lines of an excerpt shown unredacted
// (--show-secrets).
func clipExcerpt(ex []finding.Line) []finding.Line {
	out := make([]finding.Line, len(ex))
	for i, l := range ex {
		out[i] = finding.Line{Number: l.Number, Text: clip(l.Text, excerptLineMax)}
	}
	return out
}

// clip cuts s to at most n bytes without splitting a character, marking
// the cut with an ellipsis.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// tokenRun finds words long enough to be keys: base64 and URL-safe
// alphabets, without dots so that host and file names stay whole.
var tokenRun = regexp.MustCompile(`[A-Za-z0-9+/_=-]{20,}`)

// maskTokens redacts runs that look like keys: long, mixing letters and
// digits, and close to random. Identifiers, paths and prose are left alone.
func maskTokens(s string) string {
	return tokenRun.ReplaceAllStringFunc(s, func(w string) string {
		if !looksRandom(w) {
			return w
		}
		return finding.Redact(w)
	})
}

// looksRandom reports whether w has letters, at least two digits and a
// Shannon entropy of at least 3.5 bits a character, which hex and base64
// keys reach and words, paths and names such as handleRequestV2 do not.
func looksRandom(w string) bool {
	letters, digits := false, 0
	counts := map[rune]int{}
	for _, r := range w {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			letters = true
		}
		counts[r]++
	}
	if !letters || digits < 2 {
		return false
	}
	n := float64(utf8.RuneCountInString(w))
	h := 0.0
	for _, c := range counts {
		p := float64(c) / n
		h -= p * math.Log2(p)
	}
	return h >= 3.5
}
