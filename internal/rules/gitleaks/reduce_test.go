package gitleaks

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReduceSameFindings checks that scanning only the lines the reducer
// keeps finds exactly what scanning whole fragments finds, on large
// fragments mixing ordinary code with secrets in many shapes.
func TestReduceSameFindings(t *testing.T) {
	full, _ := New(Default())
	if err := full.Prepare(nil); err != nil {
		t.Fatal(err)
	}
	// The reference is gitleaks as it is meant to be used: every rule in
	// one detector over whole fragments.
	cfg, err := full.comp.config(func(RuleSpec) bool { return true }, true)
	if err != nil {
		t.Fatal(err)
	}
	full.groups = []*group{{plain: newDetector(cfg, 0), decoding: newDetector(cfg, DecodeDepth), always: true}}
	reduced, _ := New(Default())
	if err := reduced.Prepare(nil); err != nil {
		t.Fatal(err)
	}
	if len(reduced.groups) != 4 || reduced.reducer == nil {
		t.Fatalf("default rules: %d groups, reducer %v; want 4 groups and a reducer", len(reduced.groups), reduced.reducer != nil)
	}
	filler := []string{
		"function handler(req, res) {", "  const items = await db.query('select * from items');",
		"  return res.json(items.map(i => ({ id: i.id, name: i.name })));", "}",
		"// compute totals for the invoice page", "const total = lines.reduce((a, l) => a + l.amount, 0);",
		"export default router;", "", "import express from 'express';", "    if (!user) { throw new Error('missing user'); }",
	}
	secretsLines := []string{
		"const awsKey = '" + awsKey + "';",
		"GITHUB_TOKEN=" + ghToken,
		"stripe_key:",
		"  '" + stripeKey + "'",
		"api_key = \"x8Kq2LmZ7pW4rT9vN3bY6cJ1\"",
		"password:\n  \"Zq9!xW2#mK7pL4vR\"",
		"blob: " + b64("aws_secret "+awsKey),
		"api_key = \"${API_KEY_VALUE}\"",
		"client_secret: \"{{ vault_client_secret }}\"",
		"token = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
		"auth_token=0123456789abcdefEXAMPLEabcdef0123",
		"-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAz3Kx9mQ2pL7vR4tW8yB1nC6jH5fD0sG3aK2eU9iO7lP4qZ1x\nc2V0dGluZ3MgYXJlIGZha2UgaW4gdGhpcyB0ZXN0IGZpeHR1cmUgZm9yIHJlZHVj\n-----END " + "RSA PRIVATE KEY-----",
	}
	// A secret repeated at the end of a large file is found both times.
	tail := strings.Repeat(filler[1]+"\n", 40) + "a = \"" + awsKey + "\"  # one\nb = 1\nc = \"" + awsKey + "\"  # two\n"
	if got := hits(run(t, reduced, "src/app.py", tail, true)); len(got) != 2 {
		t.Fatalf("secret repeated on the last line: %v", got)
	}
	rng := rand.New(rand.NewSource(7))
	for trial := range 30 {
		var b strings.Builder
		for range 200 + rng.Intn(200) {
			if rng.Intn(25) == 0 {
				b.WriteString(secretsLines[rng.Intn(len(secretsLines))])
			} else {
				b.WriteString(filler[rng.Intn(len(filler))])
			}
			b.WriteByte('\n')
		}
		content := b.String()
		for _, path := range []string{"src/app.js", "vendor/modules.txt", "assets/logo.svg"} {
			want := hits(run(t, full, path, content, true))
			got := hits(run(t, reduced, path, content, true))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("trial %d %s (-full +reduced)\n%s", trial, path, diff)
			}
		}
		want := hits(run(t, full, "src/app.js", content, true))
		if trial == 0 && len(want) == 0 {
			t.Fatal("fixture produced no findings")
		}
	}
}

func TestLineAt(t *testing.T) {
	s := "ab\ncd\n\nef"
	starts := lineStarts(s)
	if diff := cmp.Diff([]int{0, 3, 6, 7}, starts); diff != "" {
		t.Fatal(diff)
	}
	for off, want := range map[int]int{0: 0, 2: 0, 3: 1, 5: 1, 6: 2, 7: 3, 9: 3} {
		if got := lineAt(starts, off); got != want {
			t.Errorf("lineAt(%d) = %d, want %d", off, got, want)
		}
	}
	for i, want := range []string{"ab", "cd", "", "ef"} {
		if got := lineText(s, starts, i); got != want {
			t.Errorf("lineText(%d) = %q, want %q", i, got, want)
		}
	}
	_ = fmt.Sprint
}

// TestReduceSharedKeyword checks that a keyword two groups share reaches
// both: the Kubernetes rule and the generic rule both key on "secret", and
// the keyword trie keeps one pattern per string.
func TestReduceSharedKeyword(t *testing.T) {
	reduced, _ := New(Default())
	if err := reduced.Prepare(nil); err != nil {
		t.Fatal(err)
	}
	full, _ := New(Default())
	if err := full.Prepare(nil); err != nil {
		t.Fatal(err)
	}
	full.reducer = nil
	yaml := strings.Repeat("# a comment line that makes the file large enough to reduce\n", 6) +
		"apiVersion: v1\nkind: Secret\ndata:\n  password: " + b64("Zq9xW2mK7pL4vRt8") + "\n"
	want := hits(run(t, full, "k8s/secret.yaml", yaml, true))
	got := hits(run(t, reduced, "k8s/secret.yaml", yaml, true))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-full +reduced)\n%s", diff)
	}
	found := false
	for _, h := range got {
		found = found || h.Rule == "secrets/kubernetes-secret-yaml"
	}
	if !found {
		t.Errorf("the Kubernetes rule found nothing: %v", got)
	}
}
