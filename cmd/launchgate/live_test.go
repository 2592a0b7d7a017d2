package main

import (
	"bufio"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/launchgate/launchgate/internal/target/livetest"
)

// cmdLiveServer implements "liveserver NAME KIND": it starts a loopback
// test deployment for the rest of the script. KIND is vulnerable,
// hardened (both plain HTTP) or hardened-tls (HTTPS with a certificate
// from a fresh CA, written to NAME-ca.pem). It sets $NAME_URL and
// $NAME_TOKEN_A/$NAME_TOKEN_B, and writes the two users' credentials to
// NAME-a.txt and NAME-b.txt (for --auth-a @NAME-a.txt), so no script
// holds a token.
func cmdLiveServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! liveserver")
	}
	if len(args) != 2 {
		ts.Fatalf("usage: liveserver NAME vulnerable|hardened|hardened-tls")
	}
	name, kind := args[0], args[1]
	var app *livetest.App
	var srv *httptest.Server
	switch kind {
	case "vulnerable", "hardened":
		app = livetest.NewApp(kind == "vulnerable")
		srv = httptest.NewServer(app)
	case "hardened-tls":
		app = livetest.NewApp(false)
		ca, err := livetest.NewCA()
		ts.Check(err)
		cert, err := ca.Leaf(time.Now().Add(-time.Hour), time.Now().Add(90*24*time.Hour), false)
		ts.Check(err)
		srv = livetest.TLSServer(app, cert, 0)
		ts.Check(os.WriteFile(ts.MkAbs(name+"-ca.pem"), ca.PEM(), 0o644))
	default:
		ts.Fatalf("liveserver: unknown kind %q", kind)
	}
	ts.Defer(srv.Close)
	up := strings.ToUpper(name)
	ts.Setenv(up+"_URL", srv.URL)
	ts.Setenv(up+"_TOKEN_A", app.TokenA)
	ts.Setenv(up+"_TOKEN_B", app.TokenB)
	ts.Check(os.WriteFile(ts.MkAbs(name+"-a.txt"), []byte(app.AuthA()+"\n"), 0o600))
	ts.Check(os.WriteFile(ts.MkAbs(name+"-b.txt"), []byte(app.AuthB()+"\n"), 0o600))
}

// cmdDNSServer implements "dnsserver NAME ZONEFILE": it serves the
// records of ZONEFILE ("name TYPE value" lines; TXT values run to the end
// of the line) on a loopback port and sets $NAME_ADDR to host:port.
func cmdDNSServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! dnsserver")
	}
	if len(args) != 2 {
		ts.Fatalf("usage: dnsserver NAME ZONEFILE")
	}
	records := map[string][]string{}
	sc := bufio.NewScanner(strings.NewReader(ts.ReadFile(args[1])))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, " ", 3)
		if len(f) != 3 {
			ts.Fatalf("dnsserver: %s: want \"name TYPE value\", got %q", filepath.Base(args[1]), line)
		}
		k := f[0] + " " + f[1]
		records[k] = append(records[k], f[2])
	}
	d, err := livetest.NewDNS(records)
	ts.Check(err)
	ts.Defer(d.Close)
	ts.Setenv(strings.ToUpper(args[0])+"_ADDR", d.Addr)
}
