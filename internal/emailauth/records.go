package emailauth

import (
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Tags is a DMARC or DKIM tag list, keys lower-cased.
type Tags struct {
	Order  []string
	Values map[string]string
}

// parseTags reads "k=v; k=v" (RFC 6376, 3.2): empty parts are allowed,
// a part without '=' or a repeated tag is an error.
func parseTags(s string) (Tags, error) {
	t := Tags{Values: map[string]string{}}
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		if !ok || k == "" {
			return Tags{}, fmt.Errorf("tag %q has no '='", clip(part))
		}
		for _, r := range k {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
				return Tags{}, fmt.Errorf("bad tag name %q", clip(k))
			}
		}
		if _, dup := t.Values[k]; dup {
			return Tags{}, fmt.Errorf("tag %q appears twice", k)
		}
		t.Order = append(t.Order, k)
		t.Values[k] = strings.TrimSpace(v)
	}
	return t, nil
}

// DMARC is a parsed DMARC record.
type DMARC struct {
	Policy          string // none, quarantine, reject
	SubdomainPolicy string
	RUA             string
	Percent         string
	Tags            Tags
}

// IsDMARC reports whether a TXT record claims to be DMARC.
func IsDMARC(txt string) bool {
	t := strings.TrimSpace(txt)
	v, _, _ := strings.Cut(t, ";")
	k, val, ok := strings.Cut(v, "=")
	return ok && strings.EqualFold(strings.TrimSpace(k), "v") && strings.TrimSpace(val) == "DMARC1"
}

// ParseDMARC parses a DMARC record (RFC 7489, 6.3): v=DMARC1 first, a
// known p, known sp.
func ParseDMARC(record string) (*DMARC, error) {
	tags, err := parseTags(record)
	if err != nil {
		return nil, err
	}
	if len(tags.Order) == 0 || tags.Order[0] != "v" || tags.Values["v"] != "DMARC1" {
		return nil, errors.New(`must start with "v=DMARC1"`)
	}
	d := &DMARC{Tags: tags, Policy: strings.ToLower(tags.Values["p"]), SubdomainPolicy: strings.ToLower(tags.Values["sp"]),
		RUA: tags.Values["rua"], Percent: tags.Values["pct"]}
	if _, ok := tags.Values["p"]; !ok {
		return nil, errors.New("no p= policy")
	}
	if !knownPolicy(d.Policy) {
		return nil, fmt.Errorf("unknown policy p=%q", clip(d.Policy))
	}
	if _, ok := tags.Values["sp"]; ok && !knownPolicy(d.SubdomainPolicy) {
		return nil, fmt.Errorf("unknown subdomain policy sp=%q", clip(d.SubdomainPolicy))
	}
	if d.RUA != "" {
		for _, u := range strings.Split(d.RUA, ",") {
			if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(u)), "mailto:") {
				return nil, fmt.Errorf("rua %q is not a mailto: URI", clip(strings.TrimSpace(u)))
			}
		}
	}
	return d, nil
}

func knownPolicy(p string) bool { return p == "none" || p == "quarantine" || p == "reject" }

// DKIM is a parsed DKIM key record.
type DKIM struct {
	KeyType string // rsa (the default) or ed25519
	// Bits is the key size; 0 when the key is revoked (empty p=).
	Bits    int
	Revoked bool
	Tags    Tags
}

// ParseDKIM parses a DKIM key record (RFC 6376, 3.6.1) and measures its
// public key.
func ParseDKIM(record string) (*DKIM, error) {
	tags, err := parseTags(record)
	if err != nil {
		return nil, err
	}
	if v, ok := tags.Values["v"]; ok && (v != "DKIM1" || tags.Order[0] != "v") {
		return nil, errors.New(`v= must come first and be "DKIM1"`)
	}
	p, ok := tags.Values["p"]
	if !ok {
		return nil, errors.New("no p= public key")
	}
	d := &DKIM{Tags: tags, KeyType: strings.ToLower(tags.Values["k"])}
	if d.KeyType == "" {
		d.KeyType = "rsa"
	}
	p = strings.Join(strings.Fields(p), "")
	if p == "" {
		d.Revoked = true
		return d, nil
	}
	der, err := base64.StdEncoding.DecodeString(p)
	if err != nil {
		return nil, errors.New("p= is not base64")
	}
	switch d.KeyType {
	case "rsa":
		bits, err := rsaBits(der)
		if err != nil {
			return nil, err
		}
		d.Bits = bits
	case "ed25519":
		if len(der) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("ed25519 key of %d bytes, want %d", len(der), ed25519.PublicKeySize)
		}
		d.Bits = 256
	default:
		return nil, fmt.Errorf("unknown key type k=%q", clip(d.KeyType))
	}
	return d, nil
}

// rsaBits reads a SubjectPublicKeyInfo (what DKIM publishes) or, as some
// generators emit, a bare PKCS#1 key.
func rsaBits(der []byte) (int, error) {
	if pub, err := x509.ParsePKIXPublicKey(der); err == nil {
		k, ok := pub.(*rsa.PublicKey)
		if !ok {
			return 0, fmt.Errorf("k=rsa but the key is %T", pub)
		}
		return k.N.BitLen(), nil
	}
	if k, err := x509.ParsePKCS1PublicKey(der); err == nil {
		return k.N.BitLen(), nil
	}
	return 0, errors.New("p= is not an RSA public key")
}
