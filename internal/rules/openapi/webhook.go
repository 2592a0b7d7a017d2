package openapi

import (
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/spec"
)

var webhookRules = []*rule.Rule{unsignedInboundWebhook, webhookNoReplay, webhookWithoutSignature}

var unsignedInboundWebhook = &rule.Rule{
	ID:       "webhooks/unsigned-inbound-webhook",
	Check:    "webhooks",
	Severity: finding.SeverityHigh,
	Title:    "Webhook receiver accepts events without a signature or authentication",
	Doc: "A route that receives webhook events (payments, repository pushes, chat " +
		"events) acts on what it is told: a paid order, a refund, a deployment. " +
		"Without a signature header it checks, or any security requirement, anyone " +
		"who finds the URL can forge those events. A receiver is a POST whose last " +
		"path segment names a webhook, hook, callback, notify or IPN endpoint " +
		"(/webhooks/stripe, /payments/ipn, /hooks/{provider}), or whose operationId " +
		"says it handles or receives one. OAuth and SSO callbacks, and routes that " +
		"manage webhook subscriptions (a body with a target url or config, or PUT, " +
		"PATCH and DELETE on the same path) are not receivers. Verified means a header " +
		"or query parameter named like a signature, HMAC, token or secret " +
		"(Stripe-Signature, X-Hub-Signature-256, svix-signature, X-Gitlab-Token), a " +
		"path parameter holding a token or secret, or a security requirement.",
	Fix: "Verify the sender's signature (HMAC of the raw body with the shared secret, " +
		"compared in constant time) before processing, and document it: add the " +
		"signature header (for example `X-Hub-Signature-256` or `Stripe-Signature`) as " +
		"a required header parameter, or a security requirement.",
	Needs: rule.OpenAPI,
	Run:   runUnsignedInboundWebhook,
}

var webhookNoReplay = &rule.Rule{
	ID:       "webhooks/openapi-no-replay-protection",
	Check:    "webhooks",
	Severity: finding.SeverityLow,
	Title:    "Signed webhook receiver has no timestamp or delivery ID",
	Doc: "A signature proves who sent an event, not when: a captured request stays " +
		"valid forever and can be replayed (a second refund, a repeated deployment). " +
		"Reported for webhook receivers that document a signature header but no " +
		"header carrying a timestamp, nonce or delivery ID (svix-timestamp, " +
		"webhook-timestamp, X-Slack-Request-Timestamp, X-GitHub-Delivery…) to reject " +
		"old or repeated deliveries. Stripe-Signature carries its own timestamp and is " +
		"not reported; receivers verified by a static token are not judged.",
	Fix: "Document and check the sender's timestamp header (reject deliveries older " +
		"than a few minutes) or record delivery IDs and refuse ones already seen; " +
		"add the header as a parameter of the operation.",
	Needs: rule.OpenAPI,
	Run:   runWebhookNoReplay,
}

var webhookWithoutSignature = &rule.Rule{
	ID:       "webhooks/webhook-without-signature",
	Check:    "webhooks",
	Severity: finding.SeverityLow,
	Title:    "Outgoing webhook or callback documents no signature",
	Doc: "The `webhooks` and `callbacks` of a document are requests the API sends to " +
		"its users' servers. If the spec documents no signature header (or security " +
		"requirement) on them, integrators have nothing to verify and will accept " +
		"forged events sent to their endpoint. Reported once per webhook or callback " +
		"operation without a header or query parameter named like a signature, HMAC, " +
		"token or secret and without a security requirement of its own.",
	Fix: "Sign every delivery (HMAC-SHA256 of the body and a timestamp with a " +
		"per-subscriber secret) and document it: add the signature and timestamp " +
		"headers as parameters of each webhook and callback operation.",
	Needs: rule.OpenAPI,
	Run:   runWebhookWithoutSignature,
}

var (
	// receiverWords name a receiving endpoint when they end a path.
	receiverWords = lexicon("webhook", "webhooks", "hook", "hooks", "callback", "callbacks", "notify", "ipn")
	// authFlowWords mark sign-in callbacks, which are not webhooks.
	authFlowWords = lexicon("oauth", "oauth2", "auth", "sso", "saml", "oidc", "openid", "login", "signin", "authorize", "authorization")
	// hookVerbs in an operationId say it receives: handleStripeWebhook.
	hookVerbs = lexicon("receive", "receiver", "handle", "handler", "process", "ingest", "incoming", "inbound", "consume", "listen", "listener")
	// targetProps in a request body configure a subscription: the body
	// of a route that manages webhooks rather than receives them.
	targetProps     = lexicon("url", "uri", "endpoint", "endpointurl", "targeturl", "callbackurl", "webhookurl", "notificationurl", "hookurl", "deliveryurl", "config", "target", "destination")
	signatureWords  = lexicon("signature", "signatures", "sig", "hmac")
	secretWords     = lexicon("token", "secret", "authorization", "apikey")
	replayWords     = lexicon("timestamp", "time", "ts", "date", "nonce", "delivery", "idempotency")
	stripeSignature = "stripe-signature"
)

func runUnsignedInboundWebhook(p *rule.Pass) error {
	doc := p.Spec
	for _, op := range doc.Operations() {
		if !inboundWebhook(op) {
			continue
		}
		v := verificationOf(op.Parameters())
		if v.signature != "" || v.secret != "" || secured(doc, op) {
			continue
		}
		report(p, op, doc.OpLoc(op), fmt.Sprintf("%s looks like a webhook receiver but documents no signature header and no security requirement", op))
	}
	return nil
}

func runWebhookNoReplay(p *rule.Pass) error {
	doc := p.Spec
	for _, op := range doc.Operations() {
		if !inboundWebhook(op) {
			continue
		}
		v := verificationOf(op.Parameters())
		if v.signature == "" || v.replay || strings.EqualFold(v.signature, stripeSignature) {
			continue
		}
		report(p, op, doc.OpLoc(op), fmt.Sprintf("%s checks %s but documents no timestamp or delivery ID header, so a captured event can be replayed", op, v.signature))
	}
	return nil
}

func runWebhookWithoutSignature(p *rule.Pass) error {
	doc := p.Spec
	for _, op := range doc.Operations() {
		if op.Kind == spec.PathOp {
			continue
		}
		v := verificationOf(op.Parameters())
		if v.signature != "" || v.secret != "" || ownSecurity(op) {
			continue
		}
		report(p, op, doc.OpLoc(op), fmt.Sprintf("%s documents no signature header: receivers cannot tell it came from this API", op))
	}
	return nil
}

// inboundWebhook reports whether a path operation looks like an endpoint
// that receives webhook events.
func inboundWebhook(op *spec.Operation) bool {
	if op.Kind != spec.PathOp || op.Method != "POST" {
		return false
	}
	return hookRoute(op) && !managesHooks(op)
}

// hookRoute reports whether a path or operationId names a receiver.
func hookRoute(op *spec.Operation) bool {
	var segs []string
	for s := range strings.SplitSeq(op.Path, "/") {
		if s != "" {
			segs = append(segs, s)
		}
	}
	last := -1
	for i, s := range segs {
		if !strings.HasPrefix(s, "{") && !strings.HasPrefix(s, ":") {
			last = i
		}
	}
	if last >= 0 {
		lastWords := nameWords(segs[last])
		hit := firstWordIn(lastWords, receiverWords)
		// /webhooks/stripe: the provider's name ends the path.
		if hit == "" && last == len(segs)-1 && last > 0 && firstWordIn(lastWords, actionWords) == "" {
			prev := segs[last-1]
			if !strings.HasPrefix(prev, "{") && !strings.HasPrefix(prev, ":") {
				hit = firstWordIn(nameWords(prev), receiverWords)
			}
		}
		if hit != "" {
			if (hit == "callback" || hit == "callbacks") && firstWordIn(pathWords(segs), authFlowWords) != "" {
				return false
			}
			return true
		}
	}
	id := nameWords(op.Op.OperationID)
	return firstWordIn(id, receiverWords) != "" && firstWordIn(id, hookVerbs) != "" &&
		firstWordIn(id, authFlowWords) == "" // handleOAuthCallback signs a user in
}

func pathWords(segs []string) []string {
	var ws []string
	for _, s := range segs {
		ws = append(ws, nameWords(s)...)
	}
	return ws
}

// managesHooks reports a route that configures webhooks: it is updated or
// deleted in place, or its body names where events should go.
func managesHooks(op *spec.Operation) bool {
	if it := op.Item; it != nil && (it.Put != nil || it.Patch != nil || it.Delete != nil || listsItems(it.Get)) {
		return true
	}
	for _, b := range reqSchemas(op) {
		s := b.schema.Value
		props := map[string]*openapi3.SchemaRef{}
		for k, v := range s.Properties {
			props[k] = v
		}
		for _, m := range s.AllOf {
			if m != nil && m.Value != nil {
				for k, v := range m.Value.Properties {
					props[k] = v
				}
			}
		}
		for name := range props {
			if targetProps[strings.Join(nameWords(name), "")] {
				return true
			}
		}
	}
	return false
}

// listsItems reports a GET whose success response is an array: the path
// is a collection of hooks, not a receiver (whose GET, if any, answers a
// subscription challenge).
func listsItems(get *openapi3.Operation) bool {
	if get == nil || get.Responses == nil {
		return false
	}
	for code, r := range get.Responses.Map() {
		if !strings.HasPrefix(code, "2") || r == nil || r.Value == nil {
			continue
		}
		for _, m := range r.Value.Content {
			if m != nil && m.Schema != nil && m.Schema.Value != nil && m.Schema.Value.Type.Includes("array") {
				return true
			}
		}
	}
	return false
}

// verification is what an operation's parameters say about how a delivery
// is authenticated.
type verification struct {
	signature string // the name of a signature header, if any
	secret    string // a token or secret header, if any
	replay    bool   // a timestamp, nonce or delivery ID header
}

func verificationOf(ps openapi3.Parameters) verification {
	var v verification
	for _, pr := range ps {
		if pr == nil || pr.Value == nil {
			continue
		}
		in := pr.Value.In
		if in != "header" && in != "query" && in != "path" {
			continue
		}
		ws := nameWords(pr.Value.Name)
		if in == "path" {
			// A secret in the URL (/webhooks/{id}/{token}) is weak,
			// but it is a check; only a secret counts there.
			if firstWordIn(ws, secretWords) != "" && v.secret == "" {
				v.secret = pr.Value.Name
			}
			continue
		}
		switch {
		case firstWordIn(ws, signatureWords) != "":
			if v.signature == "" {
				v.signature = pr.Value.Name
			}
		case firstWordIn(ws, secretWords) != "" || hasWordPair(ws, "api", "key"):
			if v.secret == "" {
				v.secret = pr.Value.Name
			}
		case firstWordIn(ws, replayWords) != "" || (len(ws) > 1 && ws[len(ws)-1] == "id"):
			v.replay = true
		}
	}
	return v
}

// secured reports an effective security requirement that cannot be met
// anonymously (an empty requirement object allows anonymous calls).
func secured(doc *spec.Doc, op *spec.Operation) bool {
	reqs, declared := doc.Security(op)
	return declared && requiresSomething(reqs)
}

// ownSecurity reports a security requirement on the operation itself; a
// webhook the API sends is not covered by the API's own security.
func ownSecurity(op *spec.Operation) bool {
	return op.Op.Security != nil && requiresSomething(*op.Op.Security)
}

func requiresSomething(reqs openapi3.SecurityRequirements) bool {
	if len(reqs) == 0 {
		return false
	}
	for _, r := range reqs {
		if len(r) == 0 {
			return false
		}
	}
	return true
}
