package livetest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// CA is a throwaway certificate authority for TLS tests.
type CA struct {
	Cert *x509.Certificate
	key  *ecdsa.PrivateKey
	// Pool trusts only this CA.
	Pool *x509.CertPool
}

// NewCA makes a CA valid from an hour ago for ten years.
func NewCA() (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "launchgate test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(10 * 365 * 24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &CA{Cert: cert, key: key, Pool: pool}, nil
}

// PEM is the CA certificate in PEM form, for --ca-file.
func (ca *CA) PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw})
}

// Leaf issues a server certificate for 127.0.0.1 and localhost valid
// between the two times. With selfSigned the certificate signs itself
// instead of being issued by the CA.
func (ca *CA) Leaf(notBefore, notAfter time.Time, selfSigned bool) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
	}
	parent, signer := ca.Cert, any(ca.key)
	if selfSigned {
		parent, signer = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// TLSServer starts h over TLS with cert on loopback. minVersion, when
// non-zero, lowers the versions the server accepts (to test that old ones
// are found).
func TLSServer(h http.Handler, cert tls.Certificate, minVersion uint16) *httptest.Server {
	s := httptest.NewUnstartedServer(h)
	// Handshakes the probes fail on purpose are not worth a log line.
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	if minVersion != 0 {
		s.TLS.MinVersion = minVersion
	}
	s.StartTLS()
	return s
}

// Redirector answers every request with a permanent redirect to target.
func Redirector(target string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.TrimSuffix(target, "/")+r.URL.RequestURI(), http.StatusMovedPermanently)
	})
}

// Latency is a handler whose answers take a chosen time: request i (in
// arrival order) sleeps Delays[i % len(Delays)]. It records how long each
// handler ran, so a test can compare the client's view with the server's.
type Latency struct {
	Delays []time.Duration
	mu     sync.Mutex
	n      int
	served []time.Duration
}

// ServeHTTP sleeps the next delay, then answers.
func (l *Latency) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	start := time.Now()
	l.mu.Lock()
	d := time.Duration(0)
	if len(l.Delays) > 0 {
		d = l.Delays[l.n%len(l.Delays)]
	}
	l.n++
	l.mu.Unlock()
	if d > 0 {
		t := time.NewTimer(d)
		<-t.C
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, `{"ok":true}`)
	l.mu.Lock()
	l.served = append(l.served, time.Since(start))
	l.mu.Unlock()
}

// Served returns how long each handler call took, sorted.
func (l *Latency) Served() []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := append([]time.Duration(nil), l.served...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// DNS is a loopback DNS server answering from a fixed table.
type DNS struct {
	// Addr is host:port of the UDP listener.
	Addr   string
	server *dns.Server
	mu     sync.Mutex
	// records maps "name TYPE" (name lower-case, with the final dot) to
	// answers: TXT strings, A addresses or MX hosts.
	records map[string][]string
	queries int
}

// NewDNS starts a server answering records: keys "name TYPE" such as
// "example.test TXT", values the answers. Names not in the table answer
// NXDOMAIN; names with other types answer NODATA.
func NewDNS(records map[string][]string) (*DNS, error) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	d := &DNS{Addr: pc.LocalAddr().String(), records: map[string][]string{}}
	for k, v := range records {
		name, typ, _ := strings.Cut(k, " ")
		d.records[dns.Fqdn(strings.ToLower(name))+" "+strings.ToUpper(typ)] = v
	}
	started := make(chan struct{})
	d.server = &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(d.serve), NotifyStartedFunc: func() { close(started) }}
	go func() { _ = d.server.ActivateAndServe() }()
	<-started
	return d, nil
}

// Close stops the server.
func (d *DNS) Close() { _ = d.server.Shutdown() }

// Queries is how many questions the server answered.
func (d *DNS) Queries() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.queries
}

func (d *DNS) serve(w dns.ResponseWriter, req *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(req)
	d.mu.Lock()
	d.queries++
	d.mu.Unlock()
	if len(req.Question) != 1 {
		m.Rcode = dns.RcodeFormatError
		_ = w.WriteMsg(m)
		return
	}
	q := req.Question[0]
	name := strings.ToLower(q.Name)
	known := false
	for k := range d.records {
		if strings.HasPrefix(k, name+" ") {
			known = true
			break
		}
	}
	if !known {
		m.Rcode = dns.RcodeNameError
		_ = w.WriteMsg(m)
		return
	}
	hdr := dns.RR_Header{Name: q.Name, Rrtype: q.Qtype, Class: dns.ClassINET, Ttl: 60}
	for _, v := range d.records[name+" "+dns.TypeToString[q.Qtype]] {
		switch q.Qtype {
		case dns.TypeTXT:
			m.Answer = append(m.Answer, &dns.TXT{Hdr: hdr, Txt: splitTXT(v)})
		case dns.TypeA:
			m.Answer = append(m.Answer, &dns.A{Hdr: hdr, A: net.ParseIP(v).To4()})
		case dns.TypeAAAA:
			m.Answer = append(m.Answer, &dns.AAAA{Hdr: hdr, AAAA: net.ParseIP(v)})
		case dns.TypeMX:
			m.Answer = append(m.Answer, &dns.MX{Hdr: hdr, Preference: 10, Mx: dns.Fqdn(v)})
		}
	}
	_ = w.WriteMsg(m)
}

// splitTXT cuts a long record into the 255-byte strings DNS carries, as
// real zones hold long DKIM keys.
func splitTXT(s string) []string {
	var out []string
	for len(s) > 255 {
		out = append(out, s[:255])
		s = s[255:]
	}
	return append(out, s)
}
