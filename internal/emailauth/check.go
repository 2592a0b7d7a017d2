package emailauth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"
)

// Resolver answers DNS questions. An empty answer with a nil error means
// the name has no such records (NXDOMAIN or NODATA): a void lookup.
type Resolver interface {
	Lookup(ctx context.Context, name string, qtype uint16) ([]string, error)
}

// maxQueries bounds every DNS query one check makes, whatever the
// records say: an include loop or a huge tree cannot run away.
const maxQueries = 60

// ErrTooManyQueries is returned once a DNSResolver has made maxQueries.
var ErrTooManyQueries = errors.New("DNS query limit reached")

// DNSResolver asks one DNS server directly, over UDP with a TCP retry
// for truncated answers.
type DNSResolver struct {
	// Server is host:port.
	Server  string
	Timeout time.Duration
	queries atomic.Int64
}

// NewDNSResolver returns a resolver for server (host or host:port); an
// empty server means the first nameserver of /etc/resolv.conf.
func NewDNSResolver(server string) (*DNSResolver, error) {
	if server == "" {
		cfg, err := dns.ClientConfigFromFile("/etc/resolv.conf")
		if err != nil || len(cfg.Servers) == 0 {
			return nil, errors.New("no DNS server: give one with --dns-server HOST:PORT")
		}
		server = net.JoinHostPort(cfg.Servers[0], cfg.Port)
	} else if _, _, err := net.SplitHostPort(server); err != nil {
		server = net.JoinHostPort(strings.Trim(server, "[]"), "53")
	}
	return &DNSResolver{Server: server, Timeout: 5 * time.Second}, nil
}

// Queries is how many questions were sent.
func (r *DNSResolver) Queries() int64 { return r.queries.Load() }

// Lookup implements Resolver.
func (r *DNSResolver) Lookup(ctx context.Context, name string, qtype uint16) ([]string, error) {
	if r.queries.Add(1) > maxQueries {
		return nil, ErrTooManyQueries
	}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.RecursionDesired = true
	c := &dns.Client{Net: "udp", Timeout: r.Timeout}
	in, _, err := c.ExchangeContext(ctx, m, r.Server)
	if err == nil && in.Truncated {
		c.Net = "tcp"
		in, _, err = c.ExchangeContext(ctx, m, r.Server)
	}
	if err != nil {
		return nil, fmt.Errorf("query %s %s: %w", dns.TypeToString[qtype], name, err)
	}
	switch in.Rcode {
	case dns.RcodeSuccess:
	case dns.RcodeNameError:
		return nil, nil
	default:
		return nil, fmt.Errorf("query %s %s: %s", dns.TypeToString[qtype], name, dns.RcodeToString[in.Rcode])
	}
	var out []string
	for _, rr := range in.Answer {
		switch v := rr.(type) {
		case *dns.TXT:
			if qtype == dns.TypeTXT {
				out = append(out, strings.Join(v.Txt, ""))
			}
		case *dns.A:
			if qtype == dns.TypeA {
				out = append(out, v.A.String())
			}
		case *dns.AAAA:
			if qtype == dns.TypeAAAA {
				out = append(out, v.AAAA.String())
			}
		case *dns.MX:
			if qtype == dns.TypeMX {
				out = append(out, v.Mx)
			}
		}
	}
	return out, nil
}

// SPFReport is what checking a domain's SPF found.
type SPFReport struct {
	Domain string
	// Records are the SPF records at the domain (want exactly one).
	Records []string
	// Parsed is the record, when there is one and it parses.
	Parsed *SPF
	// ParseErr is why the record (or an included one) is invalid.
	ParseErr error
	// Lookups counts DNS-querying terms across includes and redirects;
	// Void counts lookups that found nothing.
	Lookups, Void int
	// Problems are include or redirect targets without a usable record.
	Problems []string
}

// CheckSPF reads domain's SPF record and walks its includes and redirect,
// counting lookups as a receiver would.
func CheckSPF(ctx context.Context, r Resolver, domain string) (*SPFReport, error) {
	rep := &SPFReport{Domain: domain}
	recs, err := spfRecords(ctx, r, domain)
	if err != nil {
		return nil, err
	}
	rep.Records = recs
	if len(recs) != 1 {
		return rep, nil
	}
	rep.Parsed, rep.ParseErr = ParseSPF(recs[0])
	if rep.ParseErr != nil {
		return rep, nil
	}
	w := &spfWalk{r: r, rep: rep, seen: map[string]bool{strings.ToLower(domain): true}}
	if err := w.walk(ctx, rep.Parsed, domain, 0); err != nil && !errors.Is(err, errStop) {
		return nil, err
	}
	return rep, nil
}

func spfRecords(ctx context.Context, r Resolver, domain string) ([]string, error) {
	txts, err := r.Lookup(ctx, domain, dns.TypeTXT)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, t := range txts {
		if IsSPF(t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// errStop ends a walk that already broke the limit: counting further
// would only spend queries.
var errStop = errors.New("stop")

type spfWalk struct {
	r    Resolver
	rep  *SPFReport
	seen map[string]bool
}

func (w *spfWalk) walk(ctx context.Context, s *SPF, domain string, depth int) error {
	if depth > 10 {
		w.rep.Problems = append(w.rep.Problems, "includes nest deeper than 10")
		return errStop
	}
	_, hasAll := s.All()
	for _, t := range s.Terms {
		if !t.Lookup() || (t.Name == "redirect" && hasAll) {
			continue
		}
		w.rep.Lookups++
		if w.rep.Lookups > 10 {
			return errStop
		}
		target := t.Domain
		if target == "" {
			target = domain
		}
		if strings.Contains(target, "%") {
			// Macros expand per message; the lookup counts, its
			// target cannot be followed.
			continue
		}
		switch t.Name {
		case "include", "redirect":
			key := strings.ToLower(strings.TrimSuffix(target, "."))
			if w.seen[key] {
				w.rep.Problems = append(w.rep.Problems, fmt.Sprintf("%s:%s loops back", t.Name, target))
				continue
			}
			w.seen[key] = true
			recs, err := spfRecords(ctx, w.r, target)
			if err != nil {
				return err
			}
			switch len(recs) {
			case 0:
				w.rep.Void++
				w.rep.Problems = append(w.rep.Problems, fmt.Sprintf("%s:%s has no SPF record", t.Name, target))
				continue
			case 1:
			default:
				w.rep.Problems = append(w.rep.Problems, fmt.Sprintf("%s:%s has %d SPF records", t.Name, target, len(recs)))
				continue
			}
			inner, err := ParseSPF(recs[0])
			if err != nil {
				w.rep.Problems = append(w.rep.Problems, fmt.Sprintf("%s:%s: %v", t.Name, target, err))
				continue
			}
			if err := w.walk(ctx, inner, target, depth+1); err != nil {
				return err
			}
		case "a", "exists":
			n, err := w.count(ctx, target, dns.TypeA)
			if err != nil {
				return err
			}
			if n == 0 && t.Name == "a" {
				if n, err = w.count(ctx, target, dns.TypeAAAA); err != nil {
					return err
				}
			}
			if n == 0 {
				w.rep.Void++
			}
		case "mx":
			n, err := w.count(ctx, target, dns.TypeMX)
			if err != nil {
				return err
			}
			if n == 0 {
				w.rep.Void++
			}
		}
	}
	return nil
}

func (w *spfWalk) count(ctx context.Context, name string, qtype uint16) (int, error) {
	ans, err := w.r.Lookup(ctx, name, qtype)
	return len(ans), err
}

// DMARCReport is what checking a domain's DMARC found.
type DMARCReport struct {
	Name     string // _dmarc.domain
	Records  []string
	Parsed   *DMARC
	ParseErr error
}

// CheckDMARC reads _dmarc.domain.
func CheckDMARC(ctx context.Context, r Resolver, domain string) (*DMARCReport, error) {
	rep := &DMARCReport{Name: "_dmarc." + strings.TrimSuffix(domain, ".")}
	txts, err := r.Lookup(ctx, rep.Name, dns.TypeTXT)
	if err != nil {
		return nil, err
	}
	for _, t := range txts {
		if IsDMARC(t) {
			rep.Records = append(rep.Records, t)
		}
	}
	if len(rep.Records) == 1 {
		rep.Parsed, rep.ParseErr = ParseDMARC(rep.Records[0])
	}
	return rep, nil
}

// CommonSelectors are DKIM selectors mail providers use by default.
var CommonSelectors = []string{
	"default", "google", "selector1", "selector2", "k1", "k2", "k3", "s1", "s2",
	"dkim", "mail", "smtp", "mandrill", "mxvault", "everlytickey1", "zoho", "sig1", "protonmail",
}

// DKIMKey is one selector's key.
type DKIMKey struct {
	Selector string
	Name     string // selector._domainkey.domain
	Parsed   *DKIM
	ParseErr error
}

// CheckDKIM looks up the given selectors, then the common ones, and
// returns the keys found.
func CheckDKIM(ctx context.Context, r Resolver, domain string, selectors []string) ([]DKIMKey, error) {
	seen := map[string]bool{}
	var out []DKIMKey
	for _, sel := range append(append([]string(nil), selectors...), CommonSelectors...) {
		sel = strings.ToLower(strings.TrimSpace(sel))
		if sel == "" || seen[sel] {
			continue
		}
		seen[sel] = true
		name := sel + "._domainkey." + strings.TrimSuffix(domain, ".")
		txts, err := r.Lookup(ctx, name, dns.TypeTXT)
		if err != nil {
			return out, err
		}
		for _, t := range txts {
			k := DKIMKey{Selector: sel, Name: name}
			k.Parsed, k.ParseErr = ParseDKIM(t)
			// A TXT record at the name that is plainly not DKIM (a
			// wildcard's SPF, say) is not a key.
			if k.ParseErr != nil && !strings.Contains(t, "p=") {
				continue
			}
			out = append(out, k)
		}
	}
	return out, nil
}
