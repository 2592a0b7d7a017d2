package code

import (
	"regexp"
	"strings"

	src "github.com/launchgate/launchgate/internal/code"
	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

var webhookStripe = &rule.Rule{
	ID:       "webhooks/unverified-stripe-webhook",
	Check:    "webhooks",
	Severity: finding.SeverityCritical,
	Title:    "Stripe webhook handled without verifying its signature",
	Doc: "A Stripe webhook route acts on the event without calling `stripe.webhooks.constructEvent` " +
		"(`stripe.Webhook.construct_event`, `webhook.ConstructEvent`). Anyone who finds the URL can post " +
		"a forged `checkout.session.completed` and get goods, credits or upgrades for free.",
	Fix: "Verify first: `const event = stripe.webhooks.constructEvent(rawBody, req.headers['stripe-signature'], endpointSecret)`, " +
		"with the raw request body (`express.raw({ type: 'application/json' })`, `await req.text()`).",
	Needs: rule.Code,
	Run:   func(p *rule.Pass) error { return runUnverified(p, true) },
}

var webhookUnverified = &rule.Rule{
	ID:       "webhooks/unverified-webhook",
	Check:    "webhooks",
	Severity: finding.SeverityHigh,
	Title:    "Webhook handled without verifying its signature",
	Doc: "A webhook route (GitHub, Svix/Clerk, Shopify, Slack, Twilio, PayPal or your own) acts on the " +
		"payload without checking the sender's signature: no SDK verification call and no HMAC " +
		"compared in constant time. Anyone can post forged events to it.",
	Fix: "Verify the signature over the raw body before anything else, with the provider's SDK " +
		"(`new Webhook(secret).verify`, `webhooks.verify`, `validateRequest`) or an HMAC compared with " +
		"`crypto.timingSafeEqual` / `hmac.compare_digest` / `hmac.Equal`.",
	Needs: rule.Code,
	Run:   func(p *rule.Pass) error { return runUnverified(p, false) },
}

var webhookParsedFirst = &rule.Rule{
	ID:       "webhooks/json-parsed-before-verify",
	Check:    "webhooks",
	Severity: finding.SeverityHigh,
	Title:    "Webhook signature checked over re-serialised JSON",
	Doc: "The signature is computed over the body after it was parsed as JSON (`express.json()` ran " +
		"first, or the code passes `JSON.stringify(body)` / `json.dumps(...)` / `request.get_json()`). " +
		"Re-serialised JSON differs from the signed bytes, so verification fails on real events — " +
		"and the usual \"fix\" is to turn it off.",
	Fix:   "Verify over the raw bytes: mount `express.raw({ type: 'application/json' })` on the webhook route (before any `express.json()`), use `await req.text()`, `request.get_data()`, `io.ReadAll(r.Body)`.",
	Needs: rule.Code,
	Run:   runParsedFirst,
}

var webhookUnsafeCompare = &rule.Rule{
	ID:       "webhooks/signature-compared-unsafely",
	Check:    "webhooks",
	Severity: finding.SeverityMedium,
	Title:    "Webhook HMAC compared with ==",
	Doc: "The handler computes an HMAC of the payload but never compares it in constant time. An " +
		"ordinary string comparison returns as soon as a byte differs, which leaks the expected " +
		"signature byte by byte to an attacker who can time the responses.",
	Fix:   "Compare with `crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b))`, `hmac.compare_digest(a, b)` or `hmac.Equal(a, b)`.",
	Needs: rule.Code,
	Run:   runUnsafeCompare,
}

var webhookReplay = &rule.Rule{
	ID:       "webhooks/no-replay-protection",
	Check:    "webhooks",
	Severity: finding.SeverityLow,
	Title:    "Webhook verification ignores the timestamp",
	Doc: "A hand-written HMAC check accepts any correctly signed payload forever: nothing reads the " +
		"signed timestamp or records event IDs, so a captured request can be replayed. Provider SDKs " +
		"(Stripe's constructEvent, Svix) enforce a tolerance; hand-written checks must do it themselves.",
	Fix:   "Include the provider's timestamp header in the signed content, reject events older than a few minutes, and store processed event IDs.",
	Needs: rule.Code,
	Run:   runReplay,
}

var (
	webhookPath    = regexp.MustCompile(`(?i)web-?hooks?|/hooks?(/|$)|/(stripe|github|paypal|shopify|twilio|slack|clerk|svix|lemonsqueezy|paddle)(/|$)|/slack/(events|commands|interactions)`)
	signatureHdr   = regexp.MustCompile(`(?i)(stripe-signature|x-hub-signature|svix-signature|webhook-signature|x-shopify-hmac|x-slack-signature|x-twilio-signature|paypal-transmission-sig|x-signature)`)
	verifyCall     = regexp.MustCompile(`(?i)(constructEvent|construct_event|timingSafeEqual|compare_digest|hmac\.Equal$|ConstantTimeCompare|ValidatePayload|validateRequest|validate_request|is_valid_request|verifyRequestSignature|verify\w*(signature|webhook|request|event|payload|hmac|slack|stripe|github|shopify|twilio|clerk|svix)|valid\w*signature|check\w*signature|(^|\.)verify$|(^|\.)Verify$|verifyAndReceive|webhooks\.validate|createNodeMiddleware|twilio\.webhook)`)
	constantTime   = regexp.MustCompile(`(?i)(timingSafeEqual|compare_digest|hmac\.Equal$|ConstantTimeCompare|subtle\.verify)`)
	hmacCall       = regexp.MustCompile(`(?i)(createHmac|^hmac\.new$|crypto/hmac\.New$|^hmac\.New$)`)
	replayHint     = regexp.MustCompile(`(?i)(timestamp|tolerance|replay|nonce|delivery|event_?id|webhook-id|svix-id|max_?age|expire)`)
	bodyRef        = regexp.MustCompile(`^((req|request|ctx\.request|ctx\.req|c\.req|event)\.(body|rawBody|json|text|formData|arrayBuffer|parseBody|payload)|request\.(get_json|form|data|values|get_data|files|stream)|r\.(Body|Form|PostForm|MultipartForm|FormValue|PostFormValue)|c\.(Request\.Body|ShouldBind\w*|Bind\w*|BodyParser|FormValue|PostForm|FormFile))`)
	stripeEvidence = regexp.MustCompile(`(?i)stripe`)
)

// webhookRoute is a route that receives webhooks, with its provider.
type webhookRoute struct {
	r        *src.Route
	provider string
	calls    []*src.Call
	names    []string // callee and target names in the handler and middleware
}

func webhookRoutes(proj *src.Project) []*webhookRoute {
	return proj.Memo("webhook routes", func() any { return findWebhookRoutes(proj) }).([]*webhookRoute)
}

func findWebhookRoutes(proj *src.Project) []*webhookRoute {
	out := []*webhookRoute{}
	for _, r := range proj.Routes {
		if r.Handler == nil || (r.Method == "GET" || r.Method == "HEAD" || r.Method == "OPTIONS") {
			continue
		}
		calls := callsIn(proj, r.Handler)
		var strs []string
		mentionsSignature := false
		for _, c := range calls {
			for _, a := range c.Args {
				if a != nil && a.Kind == src.String {
					strs = append(strs, a.Str)
					mentionsSignature = mentionsSignature || strings.Contains(strings.ToLower(a.Str), "sig") || strings.Contains(strings.ToLower(a.Str), "hmac")
				}
			}
		}
		for _, ref := range refsIn(r.Handler) {
			strs = append(strs, ref.Text)
			mentionsSignature = mentionsSignature || strings.Contains(strings.ToLower(ref.Text), "sig") || strings.Contains(strings.ToLower(ref.Text), "hmac")
		}
		isHook := webhookPath.MatchString(r.Path) || webhookPath.MatchString("/"+r.File.Path) || (mentionsSignature && anyMatch(signatureHdr, strs))
		if !isHook {
			continue
		}
		wr := &webhookRoute{r: r, calls: calls}
		for _, c := range calls {
			wr.names = append(wr.names, c.Callee, c.Target)
		}
		for _, m := range r.Middleware {
			wr.names = append(wr.names, names(proj, m)...)
			wr.names = append(wr.names, calleeNames(middlewareFuncCalls(proj, m))...)
		}
		hay := r.Path + " " + r.File.Path + " " + strings.Join(strs, " ") + " " + strings.Join(wr.names, " ")
		switch {
		case stripeEvidence.MatchString(hay):
			wr.provider = "Stripe"
		default:
			for _, pv := range []string{"GitHub", "Clerk", "Svix", "Shopify", "Slack", "Twilio", "PayPal", "Paddle", "LemonSqueezy"} {
				if strings.Contains(strings.ToLower(hay), strings.ToLower(pv)) {
					wr.provider = pv
					break
				}
			}
		}
		out = append(out, wr)
	}
	return out
}

func calleeNames(cs []*src.Call) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Callee, c.Target)
	}
	return out
}

// usesBody reports whether a handler reads the request body.
func usesBody(fn *src.Func) (*src.Ref, bool) {
	for _, r := range refsIn(fn) {
		if bodyRef.MatchString(r.Text) {
			return r, true
		}
	}
	return nil, false
}

func runUnverified(p *rule.Pass, stripe bool) error {
	for _, wr := range webhookRoutes(p.Project) {
		if (wr.provider == "Stripe") != stripe {
			continue
		}
		// A hand-made HMAC check is a verification, if perhaps a weak one:
		// the unsafe-compare and replay rules judge it.
		if anyMatch(verifyCall, wr.names) || anyMatch(hmacCall, wr.names) {
			continue
		}
		if _, ok := usesBody(wr.r.Handler); !ok {
			continue
		}
		what := "webhook"
		if wr.provider != "" {
			what = wr.provider + " webhook"
		}
		at(p, wr.r.File, wr.r.Pos, wr.r.Method+" "+wr.r.Path,
			what+" "+wr.r.Method+" "+wr.r.Path+" acts on the payload without verifying its signature")
	}
	return nil
}

var jsonParse = regexp.MustCompile(`^(JSON\.stringify|json\.dumps|json\.Marshal|request\.get_json|request\.json|req\.json|request\.json\(\))$`)

func runParsedFirst(p *rule.Pass) error {
	proj := p.Project
	for _, wr := range webhookRoutes(proj) {
		jsonMW, rawMW := false, false
		for _, m := range wr.r.Middleware {
			for _, n := range names(proj, m) {
				switch {
				case strings.HasSuffix(n, ".json") || n == "json" || strings.HasSuffix(n, "bodyParser.json") || n == "body-parser.json":
					jsonMW = true
				case strings.HasSuffix(n, ".raw") || n == "raw" || strings.HasSuffix(n, ".text"):
					rawMW = true
				}
			}
		}
		for _, c := range wr.calls {
			isVerify := verifyCall.MatchString(c.Callee) || verifyCall.MatchString(c.Target)
			isHMACUpdate := c.Name() == "update" && c.Recv != nil && c.Recv.Kind == src.CallValue && hmacCall.MatchString(c.Recv.Call.Target)
			if (!isVerify && !isHMACUpdate && !hmacCall.MatchString(c.Target)) || constantTime.MatchString(c.Target) {
				continue
			}
			for _, a := range c.Args {
				r := proj.Resolve(a)
				if r == nil {
					continue
				}
				bad := ""
				switch {
				case r.Kind == src.CallValue && jsonParse.MatchString(r.Call.Callee):
					bad = r.Call.Callee + "(…)"
				case r.Kind == src.CallValue && r.Call.Name() == "encode" && r.Call.Recv != nil && r.Call.Recv.Kind == src.CallValue && jsonParse.MatchString(r.Call.Recv.Call.Callee):
					bad = r.Call.Recv.Call.Callee + "(…)"
				case r.Kind == src.Member && (r.Str == "req.body" || r.Str == "request.body") && jsonMW && !rawMW:
					bad = r.Str + " after a JSON body parser"
				}
				if bad != "" {
					at(p, c.File, c.Pos, c.Text, "webhook signature checked over "+bad+", not the raw body")
					break
				}
			}
		}
	}
	return nil
}

func runUnsafeCompare(p *rule.Pass) error {
	for _, wr := range webhookRoutes(p.Project) {
		if anyMatch(constantTime, wr.names) {
			continue
		}
		for _, c := range wr.calls {
			if hmacCall.MatchString(c.Target) || hmacCall.MatchString(c.Callee) {
				at(p, c.File, c.Pos, c.Text, "webhook HMAC from "+c.Callee+" is never compared in constant time")
				break
			}
		}
	}
	return nil
}

func runReplay(p *rule.Pass) error {
	for _, wr := range webhookRoutes(p.Project) {
		if !anyMatch(constantTime, wr.names) {
			continue
		}
		var hm *src.Call
		for _, c := range wr.calls {
			if hmacCall.MatchString(c.Target) || hmacCall.MatchString(c.Callee) {
				hm = c
				break
			}
		}
		if hm == nil {
			continue
		}
		var hay []string
		for _, c := range wr.calls {
			hay = append(hay, c.Callee)
			for _, a := range c.Args {
				if a != nil {
					hay = append(hay, a.Str, a.Name)
				}
			}
		}
		for _, r := range refsIn(wr.r.Handler) {
			hay = append(hay, r.Text)
		}
		hay = append(hay, wr.r.Handler.Guards...)
		if anyMatch(replayHint, hay) {
			continue
		}
		at(p, hm.File, hm.Pos, hm.Text, "webhook HMAC check has no timestamp tolerance or replay store")
	}
	return nil
}
