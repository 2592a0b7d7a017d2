package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/launchgate/launchgate/internal/finding"
)

// BaselineVersion is the only baseline format version there is.
const BaselineVersion = 1

// dateLayout is the form of BaselineEntry.Expires.
const dateLayout = "2006-01-02"

// Baseline is a recorded set of accepted findings, identified by their
// fingerprints so the record survives edits, rebases and squashes.
type Baseline struct {
	// Path is the file the baseline came from; "" if built in memory.
	Path string
	// Entries are the accepted findings, one per fingerprint.
	Entries []BaselineEntry

	// byFingerprint indexes Entries when the baseline was loaded; Match
	// falls back to a scan for baselines built by hand.
	byFingerprint map[string]int
}

// BaselineEntry is one accepted finding.
type BaselineEntry struct {
	// Fingerprint is the finding's fingerprint; it alone decides a match.
	Fingerprint string `json:"fingerprint"`
	// Rule and Path say what the finding was, for the people reading the
	// file.
	Rule string `json:"rule"`
	Path string `json:"path"`
	// Reason says why the finding is accepted.
	Reason string `json:"reason"`
	// Expires is an optional YYYY-MM-DD date; the entry stops suppressing
	// its finding once that day (UTC) is over.
	Expires string `json:"expires,omitempty"`
}

// ExpiresAt returns the first instant the entry no longer applies, and
// false if it never expires or its date is unreadable.
func (e *BaselineEntry) ExpiresAt() (time.Time, bool) {
	if e == nil || e.Expires == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(dateLayout, e.Expires)
	if err != nil {
		return time.Time{}, false
	}
	return t.AddDate(0, 0, 1), true
}

// LoadBaseline reads and checks a baseline file. Errors name the file and
// the line, and for a bad entry its index in "entries". A missing file is
// an error wrapping fs.ErrNotExist.
func LoadBaseline(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read baseline %q: %w", path, err)
	}
	return ParseBaseline(path, data)
}

// ParseBaseline reads a baseline from data; name is used in error
// messages.
func ParseBaseline(name string, data []byte) (*Baseline, error) {
	p := &baselineParser{name: name, data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	b, err := p.parse()
	if err != nil {
		return nil, err
	}
	b.Path = name
	return b, nil
}

type baselineParser struct {
	name string
	data []byte
	dec  *json.Decoder
}

func (p *baselineParser) errAt(off int64, format string, args ...any) error {
	return &Error{File: p.name, Line: lineAt(p.data, off), Msg: fmt.Sprintf(format, args...)}
}

// jsonErr turns a decoding error into one that names the line.
func (p *baselineParser) jsonErr(err error) error {
	var se *json.SyntaxError
	off := p.dec.InputOffset()
	if errors.As(err, &se) {
		off = se.Offset
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return p.errAt(int64(len(p.data)), "unexpected end of file")
	}
	return p.errAt(off, "%s", strings.TrimPrefix(err.Error(), "json: "))
}

func (p *baselineParser) delim(want json.Delim) error {
	off := p.dec.InputOffset()
	tok, err := p.dec.Token()
	if err != nil {
		return p.jsonErr(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return p.errAt(off, "want %q, got %s", want.String(), describeToken(tok))
	}
	return nil
}

func (p *baselineParser) parse() (*Baseline, error) {
	if len(bytes.TrimSpace(p.data)) == 0 {
		return nil, &Error{File: p.name, Msg: `empty baseline (want {"version": 1, "entries": [...]})`}
	}
	if err := p.delim('{'); err != nil {
		return nil, err
	}
	b := &Baseline{}
	seen := map[string]bool{}
	versionSeen := false
	var raws []json.RawMessage
	var offs []int64
	for p.dec.More() {
		keyOff := p.dec.InputOffset()
		tok, err := p.dec.Token()
		if err != nil {
			return nil, p.jsonErr(err)
		}
		key, _ := tok.(string)
		if seen[key] {
			return nil, p.errAt(keyOff, "key %q given twice", key)
		}
		seen[key] = true
		switch key {
		case "version":
			var v json.RawMessage
			if err := p.dec.Decode(&v); err != nil {
				return nil, p.jsonErr(err)
			}
			if string(v) != "1" {
				return nil, p.errAt(keyOff, "unsupported version %s (want %d)", abbrev(string(v)), BaselineVersion)
			}
			versionSeen = true
		case "entries":
			raws, offs, err = p.entries()
			if err != nil {
				return nil, err
			}
		default:
			return nil, p.errAt(keyOff, "unknown key %q (want version and entries)", key)
		}
	}
	if err := p.delim('}'); err != nil {
		return nil, err
	}
	trailing := p.dec.InputOffset()
	if _, err := p.dec.Token(); !errors.Is(err, io.EOF) {
		return nil, p.errAt(trailing, "unexpected content after the baseline object")
	}
	if !versionSeen {
		return nil, &Error{File: p.name, Line: 1, Msg: fmt.Sprintf(`missing "version" (want %d)`, BaselineVersion)}
	}

	b.Entries = make([]BaselineEntry, 0, len(raws))
	b.byFingerprint = make(map[string]int, len(raws))
	for i, raw := range raws {
		e, err := p.entry(i, raw, offs[i])
		if err != nil {
			return nil, err
		}
		if j, dup := b.byFingerprint[e.Fingerprint]; dup {
			return nil, p.errAt(offs[i], "entries[%d]: fingerprint %q already in entries[%d]", i, e.Fingerprint, j)
		}
		b.byFingerprint[e.Fingerprint] = i
		b.Entries = append(b.Entries, e)
	}
	return b, nil
}

// entries reads the entries array, keeping each element raw with its
// offset so later errors can name its line.
func (p *baselineParser) entries() ([]json.RawMessage, []int64, error) {
	off := p.dec.InputOffset()
	tok, err := p.dec.Token()
	if err != nil {
		return nil, nil, p.jsonErr(err)
	}
	if tok == nil {
		return nil, nil, nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, nil, p.errAt(off, "entries: want a list, got %s", describeToken(tok))
	}
	var raws []json.RawMessage
	var offs []int64
	for p.dec.More() {
		off := p.dec.InputOffset()
		var raw json.RawMessage
		if err := p.dec.Decode(&raw); err != nil {
			return nil, nil, p.jsonErr(err)
		}
		raws = append(raws, raw)
		offs = append(offs, off)
	}
	if err := p.delim(']'); err != nil {
		return nil, nil, err
	}
	return raws, offs, nil
}

func (p *baselineParser) entry(i int, raw json.RawMessage, off int64) (BaselineEntry, error) {
	var e BaselineEntry
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			if te.Field == "" {
				return e, p.errAt(off, "entries[%d]: want an object, got %s", i, te.Value)
			}
			return e, p.errAt(p.fieldOffset(off, raw, te.Field), "entries[%d].%s: want a string, got %s", i, te.Field, te.Value)
		}
		msg := strings.TrimPrefix(err.Error(), "json: ")
		if field, ok := strings.CutPrefix(msg, "unknown field "); ok {
			if name, err := strconv.Unquote(field); err == nil {
				off = p.fieldOffset(off, raw, name)
			}
		}
		return e, p.errAt(off, "entries[%d]: %s", i, msg)
	}
	if strings.TrimSpace(e.Fingerprint) == "" {
		return e, p.errAt(off, "entries[%d]: missing fingerprint", i)
	}
	if e.Expires != "" {
		if _, err := time.Parse(dateLayout, e.Expires); err != nil {
			return e, p.errAt(p.fieldOffset(off, raw, "expires"), "entries[%d].expires: bad date %q (want YYYY-MM-DD)", i, e.Expires)
		}
	}
	return e, nil
}

// fieldOffset returns the offset of field's key within an entry that
// starts at or after off, so errors point at the field's own line; off
// itself when the key cannot be found (an escaped spelling, say).
func (p *baselineParser) fieldOffset(off int64, raw json.RawMessage, field string) int64 {
	start := off
	for start < int64(len(p.data)) && strings.IndexByte(" \t\r\n,", p.data[start]) >= 0 {
		start++
	}
	key, err := json.Marshal(field)
	if err != nil {
		return off
	}
	i := bytes.Index(raw, key)
	if i < 0 || !bytes.HasPrefix(p.data[start:], raw) {
		return off
	}
	return start + int64(i)
}

// Match returns the entry recording fingerprint, and whether it has
// expired at now. Expired entries no longer suppress their finding; the
// caller reports the finding and warns that the entry needs renewing.
func (b *Baseline) Match(fingerprint string, now time.Time) (e *BaselineEntry, expired bool) {
	if b == nil || fingerprint == "" {
		return nil, false
	}
	if i, ok := b.byFingerprint[fingerprint]; ok && i < len(b.Entries) && b.Entries[i].Fingerprint == fingerprint {
		e = &b.Entries[i]
	} else {
		for i := range b.Entries {
			if b.Entries[i].Fingerprint == fingerprint {
				e = &b.Entries[i]
				break
			}
		}
	}
	if e == nil {
		return nil, false
	}
	if at, ok := e.ExpiresAt(); ok && !now.Before(at) {
		return e, true
	}
	return e, false
}

type baselineFile struct {
	Version int             `json:"version"`
	Entries []BaselineEntry `json:"entries"`
}

// WriteBaseline writes findings as a baseline: one entry per fingerprint,
// sorted by path, rule and fingerprint, so the same findings always give
// the same bytes. New entries get reason; entries whose fingerprint is
// already in keep (which may be nil) keep their reason and expiry.
// Findings without a fingerprint are an error: they could never match.
func WriteBaseline(w io.Writer, findings []finding.Finding, reason string, keep *Baseline) error {
	entries := make([]BaselineEntry, 0, len(findings))
	seen := make(map[string]bool, len(findings))
	for i, f := range findings {
		if f.Fingerprint == "" {
			return fmt.Errorf("write baseline: finding %d (%s at %q) has no fingerprint", i, f.Rule, f.Location.Path)
		}
		if seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		e := BaselineEntry{Fingerprint: f.Fingerprint, Rule: f.Rule, Path: f.Location.Path, Reason: reason}
		if old, _ := keep.Match(f.Fingerprint, time.Time{}); old != nil {
			e.Reason, e.Expires = old.Reason, old.Expires
		}
		entries = append(entries, e)
	}
	sort.Slice(entries, func(i, j int) bool {
		a, b := entries[i], entries[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Fingerprint < b.Fingerprint
	})
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(baselineFile{Version: BaselineVersion, Entries: entries}); err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	return nil
}

// lineAt returns the 1-based line of the first significant byte at or
// after off, skipping the blanks and commas a decoder offset may point
// at.
func lineAt(data []byte, off int64) int {
	if off < 0 {
		off = 0
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	for off < int64(len(data)) && strings.IndexByte(" \t\r\n,:", data[off]) >= 0 {
		off++
	}
	return 1 + bytes.Count(data[:off], []byte{'\n'})
}

func describeToken(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		return fmt.Sprintf("%q", t.String())
	case string:
		return fmt.Sprintf("string %q", t)
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", tok)
}

// abbrev shortens a value quoted in a message.
func abbrev(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
