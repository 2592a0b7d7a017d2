package live

import (
	"fmt"
	"sync"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/target"
)

// maxAuthRoutes bounds how many protected operations the auth probe
// requests (twice each).
const maxAuthRoutes = 40

// Auth rules.
var (
	AnonymousAccess = &rule.Rule{
		ID: "auth/route-answers-without-credentials", Check: "auth", Severity: finding.SeverityHigh, Needs: network,
		Title: "A protected route returns data without credentials",
		Doc:   "The route is meant to be protected (the spec requires security for it, or its path names private data), yet a request without any credentials got a 2xx response with content: anyone on the internet can read it.",
		Fix:   "Put the route behind the same authentication middleware as the rest of the API, and make the default for new routes 'authenticated'.",
	}
	ForgedTokenAccepted = &rule.Rule{
		ID: "auth/forged-token-accepted", Check: "auth", Severity: finding.SeverityCritical, Needs: network,
		Title: "A protected route accepts an expired, wrongly signed token",
		Doc:   "A request carrying an expired JWT signed with a random key (or junk in place of the session cookie) got data back: the server decodes tokens without verifying their signature or expiry, so anyone can mint one for any user.",
		Fix:   "Verify every token's signature with the expected key and algorithm, and check exp, before trusting any claim in it; use the framework's verified-token middleware rather than decoding by hand.",
	}
)

// Auth requests every protected operation without credentials and with a
// forged token.
var Auth = probe("auth", runAuth, AnonymousAccess, ForgedTokenAccepted)

func runAuth(p *rule.Pass, s *target.Session) error {
	var targets []target.Route
	writes := 0
	for _, r := range s.Routes {
		if !r.Protected {
			continue
		}
		if !target.Safe(r.Method) {
			// Unauthenticated writes that succeed would change data;
			// they are never sent.
			writes++
			continue
		}
		if len(targets) < maxAuthRoutes {
			targets = append(targets, r)
		}
	}
	if len(targets) == 0 {
		if len(s.Routes) > 0 {
			s.Caveat("auth", "no readable route is marked as protected (give --openapi with security requirements)")
			s.Assess("auth", plural(len(s.Routes), "route")+" found")
		}
		return nil
	}
	type attempt struct {
		cred *target.Credential
		rule *rule.Rule
		how  string
	}
	attempts := []attempt{{nil, AnonymousAccess, "without credentials"}}
	if s.Client.Untrusted() {
		// A forged token is a credential too; none is sent over a
		// connection that does not verify.
		s.Caveat("auth", "forged tokens were not sent: the certificate does not verify")
	} else {
		attempts = append(attempts, attempt{s.Opts.A.Forged(), ForgedTokenAccepted, "with a forged token"})
	}
	var mu sync.Mutex
	stopped := false
	probed := 0
	each(targets, func(rt target.Route) {
		path := rt.Fill(nil, "1")
		for _, attempt := range attempts {
			resp, err := s.Do(target.Request{Method: rt.Method, URL: path, Cred: attempt.cred})
			if err != nil {
				mu.Lock()
				if stop(s, "auth", err) {
					stopped = true
				}
				mu.Unlock()
				return
			}
			if refused(resp) || !hasData(s, resp) {
				continue
			}
			// Passes report from one goroutine at a time.
			mu.Lock()
			hit(p, s, attempt.rule, rt.Method, rt.Path, "",
				fmt.Sprintf("%s %s answered %d with %s of data %s", rt.Method, path, resp.Status, byteCount(len(resp.Body)), attempt.how))
			mu.Unlock()
			if attempt.cred == nil {
				// The forged-token request would say nothing new.
				break
			}
		}
		mu.Lock()
		probed++
		mu.Unlock()
	})
	what := fmt.Sprintf("%s requested without credentials and with a forged token", plural(probed, "protected operation"))
	if writes > 0 {
		what += fmt.Sprintf(" (%s not sent)", plural(writes, "write operation"))
	}
	if stopped || probed > 0 {
		s.Assess("auth", what)
	}
	return nil
}

func byteCount(n int) string {
	if n == 1 {
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}

// parallelism is how many requests a probe has in flight at once: enough
// to finish in about a minute against a slow site, few enough not to
// look like an attack.
const parallelism = 4

// each runs fn over items, parallelism at a time.
func each[T any](items []T, fn func(T)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, parallelism)
	for _, it := range items {
		sem <- struct{}{}
		wg.Add(1)
		go func(it T) {
			defer wg.Done()
			defer func() { <-sem }()
			fn(it)
		}(it)
	}
	wg.Wait()
}
