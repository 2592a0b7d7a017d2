package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/launchgate/launchgate/internal/finding"
)

// keys maps each top-level key of .launchgate.yml to its decoder. A new
// setting is one entry here plus a field in Config.
var keys = map[string]func(d *decoder, c *Config, v *yaml.Node) error{
	"fail-on":         (*decoder).failOn,
	"baseline":        (*decoder).baseline,
	"max-file-size":   (*decoder).maxFileSize,
	"gitleaks-config": (*decoder).gitleaksConfig,
	"ignore":          (*decoder).ignore,
	"disable":         (*decoder).disable,
	"severity":        (*decoder).severity,
	"openapi":         (*decoder).openapi,
	"routes":          (*decoder).routes,
}

var ignoreKeys = []string{"paths", "rules", "reason"}

// Parse reads settings from data; name is the file they came from and is
// used in error messages. An empty document yields Default settings.
func Parse(name string, data []byte) (*Config, error) {
	c := Default()
	c.Path = name
	d := &decoder{file: name}

	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return c, nil
		}
		return nil, d.yamlError(err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return nil, d.errorf(&extra, "more than one YAML document; settings go in one")
	case !errors.Is(err, io.EOF):
		return nil, d.yamlError(err)
	}

	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return c, nil
		}
		root = root.Content[0]
	}
	root = resolve(root)
	if isNull(root) {
		return c, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, d.errorf(root, "want a mapping of settings, got %s", kindName(root))
	}
	err := d.mapping(root, "", sortedKeys(), func(key string, k, v *yaml.Node) error {
		return keys[key](d, c, v)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// decoder turns YAML nodes into settings, attaching file and line to every
// error.
type decoder struct {
	file string
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &Error{File: d.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlError moves the line number yaml.v3 puts in its messages to where
// Error puts it.
func (d *decoder) yamlError(err error) error {
	var te *yaml.TypeError
	msgs := []string{err.Error()}
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msgs = te.Errors
	}
	msg := strings.TrimPrefix(msgs[0], "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		if n, convErr := strconv.Atoi(m[1]); convErr == nil {
			line, msg = n, m[2]
		}
	}
	// yaml.v3 numbers parser errors (unlike scanner errors) from zero and
	// drops the number on the first line.
	if isYAMLParserProblem(msg) {
		line++
	}
	return &Error{File: d.file, Line: line, Msg: msg}
}

func isYAMLParserProblem(msg string) bool {
	for _, p := range []string{"did not find expected ", "found undefined tag handle", "found duplicate %", "found incompatible YAML document"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// mapping walks the pairs of a mapping node, rejecting duplicate keys and
// keys not in known. where prefixes messages ("ignore[2].").
func (d *decoder) mapping(n *yaml.Node, where string, known []string, each func(key string, k, v *yaml.Node) error) error {
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return d.errorf(k, "%skeys must be strings, got %s", where, kindName(k))
		}
		key := k.Value
		if !contains(known, key) {
			msg := fmt.Sprintf("%sunknown key %q", where, key)
			if s := suggest(key, known); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return &Error{File: d.file, Line: k.Line, Msg: msg}
		}
		if seen[key] {
			return d.errorf(k, "%s%s: key given twice", where, key)
		}
		seen[key] = true
		if err := each(key, k, v); err != nil {
			return err
		}
	}
	return nil
}

// str reads a scalar as text; null reads as "".
func (d *decoder) str(n *yaml.Node, what string) (string, error) {
	n = resolve(n)
	if isNull(n) {
		return "", nil
	}
	if n.Kind != yaml.ScalarNode {
		return "", d.errorf(n, "%s: want a string, got %s", what, kindName(n))
	}
	return n.Value, nil
}

// list reads a sequence of non-empty strings; a single scalar counts as a
// list of one, null as an empty list. check vets each item.
func (d *decoder) list(n *yaml.Node, what string, check func(item *yaml.Node, where, s string) error) ([]string, error) {
	n = resolve(n)
	if isNull(n) {
		return nil, nil
	}
	if n.Kind == yaml.MappingNode {
		return nil, d.errorf(n, "%s: want a list of strings, got a mapping", what)
	}
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	out := make([]string, 0, len(items))
	for i, item := range items {
		where := what
		if n.Kind == yaml.SequenceNode {
			where = fmt.Sprintf("%s[%d]", what, i)
		}
		item = resolve(item)
		s, err := d.str(item, where)
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(s) == "" {
			return nil, d.errorf(item, "%s: empty", where)
		}
		if err := check(item, where, s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (d *decoder) failOn(c *Config, v *yaml.Node) error {
	s, err := d.str(v, "fail-on")
	if err != nil {
		return err
	}
	l := strings.ToLower(strings.TrimSpace(s))
	switch l {
	case "", "critical", "high", "medium", "low", "none":
		c.FailOn = l
		return nil
	}
	return d.errorf(resolve(v), "fail-on: unknown severity %q (want critical, high, medium, low or none)", s)
}

func (d *decoder) baseline(c *Config, v *yaml.Node) error {
	s, err := d.str(v, "baseline")
	c.Baseline = strings.TrimSpace(s)
	return err
}

func (d *decoder) gitleaksConfig(c *Config, v *yaml.Node) error {
	s, err := d.str(v, "gitleaks-config")
	c.Gitleaks = strings.TrimSpace(s)
	return err
}

func (d *decoder) maxFileSize(c *Config, v *yaml.Node) error {
	s, err := d.str(v, "max-file-size")
	if err != nil || s == "" {
		return err
	}
	n, err := ParseSize(s)
	if err != nil {
		return d.errorf(resolve(v), "max-file-size: %v", err)
	}
	c.MaxFileSize = n
	return nil
}

func (d *decoder) disable(c *Config, v *yaml.Node) error {
	l, err := d.list(v, "disable", d.rulePattern)
	c.Disable = append(c.Disable, l...)
	return err
}

func (d *decoder) severity(c *Config, v *yaml.Node) error {
	v = resolve(v)
	if isNull(v) {
		return nil
	}
	if v.Kind != yaml.MappingNode {
		return d.errorf(v, "severity: want a mapping of rule to severity, got %s", kindName(v))
	}
	if c.Severity == nil {
		c.Severity = make(map[string]finding.Severity)
	}
	seen := make(map[string]bool)
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := resolve(v.Content[i]), resolve(v.Content[i+1])
		pattern, err := d.str(k, "severity")
		if err != nil {
			return err
		}
		where := fmt.Sprintf("severity[%q]", pattern)
		if strings.TrimSpace(pattern) == "" {
			return d.errorf(k, "severity: empty rule pattern")
		}
		if err := d.rulePattern(k, where, pattern); err != nil {
			return err
		}
		if seen[pattern] {
			return d.errorf(k, "%s: given twice", where)
		}
		seen[pattern] = true
		name, err := d.str(val, where)
		if err != nil {
			return err
		}
		sev, err := finding.ParseSeverity(name)
		if err != nil || sev == finding.SeverityNone {
			return d.errorf(val, "%s: unknown severity %q (want critical, high, medium, low or info)", where, name)
		}
		c.Severity[pattern] = sev
	}
	return nil
}

func (d *decoder) ignore(c *Config, v *yaml.Node) error {
	v = resolve(v)
	if isNull(v) {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		return d.errorf(v, "ignore: want a list of {paths, rules, reason} entries, got %s", kindName(v))
	}
	for i, e := range v.Content {
		e = resolve(e)
		where := fmt.Sprintf("ignore[%d]", i)
		if e.Kind != yaml.MappingNode {
			return d.errorf(e, "%s: want a mapping with paths, rules and reason, got %s", where, kindName(e))
		}
		ig := Ignore{Line: e.Line}
		err := d.mapping(e, where+": ", ignoreKeys, func(key string, _, val *yaml.Node) error {
			var err error
			switch key {
			case "paths":
				ig.Paths, err = d.list(val, where+".paths", d.pathPattern)
			case "rules":
				ig.Rules, err = d.list(val, where+".rules", d.rulePattern)
			case "reason":
				ig.Reason, err = d.str(val, where+".reason")
				ig.Reason = strings.TrimSpace(ig.Reason)
			}
			return err
		})
		if err != nil {
			return err
		}
		if len(ig.Paths) == 0 && len(ig.Rules) == 0 {
			return d.errorf(e, "%s: needs paths, rules or both", where)
		}
		c.Ignore = append(c.Ignore, ig)
	}
	return nil
}

func (d *decoder) openapi(c *Config, v *yaml.Node) error {
	v = resolve(v)
	if isNull(v) {
		return nil
	}
	if v.Kind != yaml.MappingNode {
		return d.errorf(v, "openapi: want a mapping with specs and remote-refs, got %s", kindName(v))
	}
	return d.mapping(v, "openapi: ", []string{"specs", "remote-refs"}, func(key string, _, val *yaml.Node) error {
		var err error
		switch key {
		case "specs":
			c.OpenAPI.Specs, err = d.list(val, "openapi.specs", func(item *yaml.Node, where, s string) error {
				if path.IsAbs(s) || strings.HasPrefix(path.Clean(s), "../") || path.Clean(s) == ".." {
					return d.errorf(item, "%s: %q must be a path inside the repository", where, s)
				}
				return nil
			})
		case "remote-refs":
			val = resolve(val)
			if val.Kind != yaml.ScalarNode || (val.Value != "true" && val.Value != "false") {
				return d.errorf(val, "openapi.remote-refs: want true or false")
			}
			c.OpenAPI.RemoteRefs = val.Value == "true"
		}
		return err
	})
}

func (d *decoder) routes(c *Config, v *yaml.Node) error {
	v = resolve(v)
	if isNull(v) {
		return nil
	}
	if v.Kind != yaml.MappingNode {
		return d.errorf(v, "routes: want a mapping with public and sensitive, got %s", kindName(v))
	}
	return d.mapping(v, "routes: ", []string{"public", "sensitive"}, func(key string, _, val *yaml.Node) error {
		l, err := d.list(val, "routes."+key, d.routeRegexp)
		if key == "public" {
			c.Routes.Public = append(c.Routes.Public, l...)
		} else {
			c.Routes.Sensitive = append(c.Routes.Sensitive, l...)
		}
		return err
	})
}

// routeRegexp vets a route pattern: a regular expression matched, case
// insensitively, against paths such as /api/v1/login.
func (d *decoder) routeRegexp(n *yaml.Node, where, s string) error {
	if len(s) > maxPatternLen {
		return d.errorf(n, "%s: pattern %q is too long (at most %d characters)", where, abbrev(s), maxPatternLen)
	}
	if _, err := regexp.Compile(s); err != nil {
		return d.errorf(n, "%s: bad regular expression %q: %v", where, s, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	return nil
}

func (d *decoder) rulePattern(n *yaml.Node, where, s string) error {
	if tooComplex(s) {
		return d.errorf(n, "%s: pattern %q is too complex (at most %d characters and %d {…} groups)", where, abbrev(s), maxPatternLen, maxPatternGroups)
	}
	if !validGlob(s) {
		return d.errorf(n, "%s: bad rule pattern %q", where, s)
	}
	return nil
}

func (d *decoder) pathPattern(n *yaml.Node, where, s string) error {
	if tooComplex(s) {
		return d.errorf(n, "%s: pattern %q is too complex (at most %d characters and %d {…} groups)", where, abbrev(s), maxPatternLen, maxPatternGroups)
	}
	if !validGlob(s) || cleanPattern(s) == "" {
		return d.errorf(n, "%s: bad path glob %q", where, s)
	}
	return nil
}

var sizeUnits = map[string]int64{
	"": 1, "b": 1,
	"k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10,
	"m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
	"g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30,
}

// ParseSize reads a positive byte count: a whole number, optionally
// followed by a unit B, KB, MB or GB (or KiB, MiB, GiB, or K, M, G; any
// case). Units are powers of 1024, as file sizes are usually meant.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, fmt.Errorf("bad size %q (want a number of bytes, or a number with KB, MB or GB)", s)
	}
	mult, ok := sizeUnits[strings.ToLower(strings.TrimSpace(t[i:]))]
	if !ok {
		return 0, fmt.Errorf("bad size %q: unknown unit %q (want B, KB, MB or GB)", s, strings.TrimSpace(t[i:]))
	}
	n, err := strconv.ParseInt(t[:i], 10, 64)
	if err != nil || n > math.MaxInt64/mult {
		return 0, fmt.Errorf("size %q is too large", s)
	}
	if n == 0 {
		return 0, fmt.Errorf("size %q must be greater than zero", s)
	}
	return n * mult, nil
}

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < 16; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

func kindName(n *yaml.Node) string {
	switch {
	case n == nil:
		return "nothing"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	case n.Kind == yaml.AliasNode:
		return "an alias"
	}
	return "a document"
}

func sortedKeys() []string {
	out := make([]string, 0, len(keys))
	for k := range keys {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// suggest returns the known key closest to a misspelt one, if it is close
// enough to be a plausible typo ("ignor", "fail_on").
func suggest(key string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if dist := editDistance(strings.ToLower(key), k); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	return best
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return math.MaxInt32
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
