// Package emailauth reads a sending domain's SPF, DMARC and DKIM records
// and judges them: SPF parsed and its DNS lookups counted recursively,
// DMARC's policy, DKIM keys measured. It asks DNS through a Resolver, so
// tests point it at a local server.
package emailauth

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// SPF is a parsed SPF record.
type SPF struct {
	Terms []Term
}

// Term is one directive ("-all", "include:_spf.example.com") or modifier
// ("redirect=example.com").
type Term struct {
	// Qualifier is '+', '-', '~' or '?' for directives, 0 for modifiers.
	Qualifier byte
	// Name is the mechanism (all, include, a, mx, ptr, ip4, ip6, exists)
	// or the modifier's name (redirect, exp, or another), lower-case.
	Name string
	// Modifier is true for name=value terms.
	Modifier bool
	// Domain is the domain-spec of include, a, mx, ptr, exists, redirect
	// and exp; empty when a, mx or ptr use the current domain.
	Domain string
	// Network is ip4 and ip6's address or prefix.
	Network netip.Prefix
}

// DNS-querying mechanisms and modifiers: each costs one of the ten
// lookups RFC 7208 allows.
var lookupTerms = map[string]bool{"include": true, "a": true, "mx": true, "ptr": true, "exists": true, "redirect": true}

// Lookup reports whether the term costs a DNS lookup.
func (t Term) Lookup() bool { return lookupTerms[t.Name] }

// String renders the term as it would appear in a record.
func (t Term) String() string {
	if t.Modifier {
		return t.Name + "=" + t.Domain
	}
	q := ""
	if t.Qualifier != '+' && t.Qualifier != 0 {
		q = string(t.Qualifier)
	}
	switch t.Name {
	case "ip4", "ip6":
		return q + t.Name + ":" + t.Network.String()
	}
	if t.Domain != "" {
		return q + t.Name + ":" + t.Domain
	}
	return q + t.Name
}

// IsSPF reports whether a TXT record claims to be SPF: "v=spf1" alone
// or followed by a space (RFC 7208, 4.5).
func IsSPF(txt string) bool {
	t := strings.TrimSpace(txt)
	if len(t) < 6 || !strings.EqualFold(t[:6], "v=spf1") {
		return false
	}
	return len(t) == 6 || t[6] == ' '
}

// ParseSPF parses a record, failing on anything RFC 7208 makes a
// permanent error: an unknown mechanism, a missing domain, a bad
// network, a repeated redirect or exp.
func ParseSPF(record string) (*SPF, error) {
	if !IsSPF(record) {
		return nil, errors.New(`not an SPF record (want "v=spf1 …")`)
	}
	s := &SPF{}
	seenMod := map[string]bool{}
	for _, tok := range strings.Fields(record)[1:] {
		t, err := parseTerm(tok)
		if err != nil {
			return nil, fmt.Errorf("term %q: %w", clip(tok), err)
		}
		if t.Modifier && (t.Name == "redirect" || t.Name == "exp") {
			if seenMod[t.Name] {
				return nil, fmt.Errorf("%s= appears twice", t.Name)
			}
			seenMod[t.Name] = true
		}
		s.Terms = append(s.Terms, t)
	}
	return s, nil
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

func parseTerm(tok string) (Term, error) {
	// A modifier is name=value where name starts with a letter and holds
	// no ':' or '/' before the '='.
	if i := strings.IndexByte(tok, '='); i > 0 && !strings.ContainsAny(tok[:i], ":/") {
		name := strings.ToLower(tok[:i])
		if !validModifierName(name) {
			return Term{}, errors.New("bad modifier name")
		}
		val := tok[i+1:]
		if err := checkMacroString(val); err != nil {
			return Term{}, err
		}
		if (name == "redirect" || name == "exp") && val == "" {
			return Term{}, errors.New("needs a domain")
		}
		return Term{Name: name, Modifier: true, Domain: val}, nil
	}
	t := Term{Qualifier: '+'}
	if strings.IndexByte("+-~?", tok[0]) >= 0 {
		t.Qualifier = tok[0]
		tok = tok[1:]
	}
	name, arg, hasArg := tok, "", false
	if i := strings.IndexAny(tok, ":/"); i >= 0 {
		name, arg = tok[:i], tok[i:]
		hasArg = true
	}
	t.Name = strings.ToLower(name)
	switch t.Name {
	case "all":
		if hasArg {
			return Term{}, errors.New("all takes no argument")
		}
	case "include", "exists":
		d, ok := strings.CutPrefix(arg, ":")
		if !ok || d == "" {
			return Term{}, errors.New("needs a domain")
		}
		if err := checkDomainSpec(d); err != nil {
			return Term{}, err
		}
		t.Domain = d
	case "a", "mx":
		d := arg
		cidr := ""
		if i := strings.IndexByte(d, '/'); i >= 0 {
			d, cidr = d[:i], d[i:]
		}
		if strings.HasPrefix(d, ":") {
			d = d[1:]
			if d == "" {
				return Term{}, errors.New("empty domain after ':'")
			}
			if err := checkDomainSpec(d); err != nil {
				return Term{}, err
			}
		} else if d != "" {
			return Term{}, errors.New("unexpected text")
		}
		if cidr != "" {
			if err := checkDualCIDR(cidr); err != nil {
				return Term{}, err
			}
		}
		t.Domain = d
	case "ptr":
		if hasArg {
			d, ok := strings.CutPrefix(arg, ":")
			if !ok || d == "" {
				return Term{}, errors.New("bad ptr argument")
			}
			if err := checkDomainSpec(d); err != nil {
				return Term{}, err
			}
			t.Domain = d
		}
	case "ip4", "ip6":
		v, ok := strings.CutPrefix(arg, ":")
		if !ok || v == "" {
			return Term{}, errors.New("needs an address")
		}
		p, err := parseNetwork(v, t.Name == "ip4")
		if err != nil {
			return Term{}, err
		}
		t.Network = p
	default:
		return Term{}, fmt.Errorf("unknown mechanism %q", clip(name))
	}
	return t, nil
}

func validModifierName(n string) bool {
	if n == "" || n[0] < 'a' || n[0] > 'z' {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// checkDomainSpec accepts a domain with optional macros; it needs at
// least one character besides dots and must not end in a dot-less macro
// mistake such as "%x".
func checkDomainSpec(d string) error {
	if err := checkMacroString(d); err != nil {
		return err
	}
	if strings.Trim(d, ".") == "" {
		return errors.New("empty domain")
	}
	return nil
}

// checkMacroString checks RFC 7208 macro syntax: %{letter digits r
// delimiters}, %%, %_ and %-.
func checkMacroString(s string) error {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c > 0x7e {
			return errors.New("bad character")
		}
		if c != '%' {
			continue
		}
		if i+1 >= len(s) {
			return errors.New("dangling %")
		}
		switch s[i+1] {
		case '%', '_', '-':
			i++
			continue
		case '{':
		default:
			return errors.New("bad macro")
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return errors.New("unclosed macro")
		}
		body := s[i+2 : i+end]
		if body == "" || !strings.ContainsRune("slodiphcrtvSLODIPHCRTV", rune(body[0])) {
			return errors.New("bad macro letter")
		}
		rest := body[1:]
		for len(rest) > 0 && rest[0] >= '0' && rest[0] <= '9' {
			rest = rest[1:]
		}
		rest = strings.TrimPrefix(strings.TrimPrefix(rest, "r"), "R")
		for _, r := range rest {
			if !strings.ContainsRune(".-+,/_=", r) {
				return errors.New("bad macro delimiter")
			}
		}
		i += end
	}
	return nil
}

// checkDualCIDR accepts "/n", "//m" and "/n//m".
func checkDualCIDR(s string) error {
	v4, v6, _ := strings.Cut(s, "//")
	if v4 != "" {
		n, ok := strings.CutPrefix(v4, "/")
		if !ok {
			return errors.New("bad prefix length")
		}
		if err := prefixLen(n, 32); err != nil {
			return err
		}
	}
	if strings.Contains(s, "//") {
		if err := prefixLen(v6, 128); err != nil {
			return err
		}
	}
	return nil
}

func prefixLen(s string, max int) error {
	if s == "" || len(s) > 3 || (len(s) > 1 && s[0] == '0') {
		return errors.New("bad prefix length")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > max {
		return errors.New("bad prefix length")
	}
	return nil
}

func parseNetwork(v string, v4 bool) (netip.Prefix, error) {
	addr, bits, hasBits := strings.Cut(v, "/")
	a, err := netip.ParseAddr(addr)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, errors.New("bad address")
	}
	if v4 != a.Is4() {
		return netip.Prefix{}, errors.New("wrong address family")
	}
	n := a.BitLen()
	if hasBits {
		if err := prefixLen(bits, a.BitLen()); err != nil {
			return netip.Prefix{}, err
		}
		n, _ = strconv.Atoi(bits)
	}
	return netip.PrefixFrom(a, n), nil
}

// All returns the record's "all" directive, if it has one.
func (s *SPF) All() (Term, bool) {
	for _, t := range s.Terms {
		if !t.Modifier && t.Name == "all" {
			return t, true
		}
	}
	return Term{}, false
}

// Redirect returns the redirect= domain, if any. It is ignored when the
// record has an "all".
func (s *SPF) Redirect() string {
	for _, t := range s.Terms {
		if t.Modifier && t.Name == "redirect" {
			return t.Domain
		}
	}
	return ""
}
