package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// lang is the kind of file the generator writes; it decides how lines look.
type lang int

const (
	langGo lang = iota
	langJS
	langTS
	langPython
	langYAML
	langJSON
	langEnv
	langMarkdown
	langPEM
	langBinary
	langData
)

// The vocabulary avoids the words the generic secret rule keys on (key,
// token, secret, auth, access, password, credential, api), so ordinary
// lines never look like credentials and the planted list stays the truth.
var (
	nouns = []string{
		"user", "order", "invoice", "cart", "session", "payment", "product", "report",
		"cache", "queue", "event", "client", "request", "response", "item", "price",
		"total", "profile", "team", "project", "task", "shipment", "coupon", "review",
		"catalog", "address", "refund", "webhook", "tenant", "upload", "metric", "audit",
	}
	verbs = []string{
		"load", "save", "render", "validate", "build", "fetch", "update", "delete",
		"create", "list", "sync", "parse", "format", "apply", "merge", "compute",
	}
	fields = []string{
		"id", "name", "status", "count", "limit", "offset", "region", "timeout",
		"retries", "level", "enabled", "owner", "currency", "amount", "email", "locale",
	}
	values = []string{
		"true", "false", "30", "100", "eu-west-1", "debug", "info", "EUR", "en-GB",
		"8080", "5", "orders", "primary", "replica", "1.5", "250",
	}
	goPkgs = []string{"billing", "orders", "users", "catalog", "shipping", "notify", "storage", "search"}
	envs   = []string{"development", "staging", "production", "test"}
)

func title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func oneOf(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

// header returns the opening lines of a new file.
func header(r *rand.Rand, l lang, path string) []string {
	switch l {
	case langGo:
		pkg := "main"
		if parts := strings.Split(path, "/"); len(parts) >= 2 {
			pkg = parts[len(parts)-2]
		}
		return []string{"package " + pkg, "", "import (", "\t\"context\"", "\t\"fmt\"", ")", ""}
	case langJS:
		return []string{"'use strict';", "", fmt.Sprintf("const %s = require('./%s');", oneOf(r, nouns), oneOf(r, nouns)), ""}
	case langTS:
		n := oneOf(r, nouns)
		return []string{fmt.Sprintf("import { %s } from './%s';", title(n), n), ""}
	case langPython:
		return []string{"import json", "import os", ""}
	case langYAML:
		return []string{oneOf(r, nouns) + ":"}
	case langJSON:
		return []string{"{", fmt.Sprintf("  \"name\": \"%s-%s\",", oneOf(r, nouns), oneOf(r, verbs))}
	case langEnv:
		return []string{"# " + oneOf(r, envs) + " settings"}
	case langMarkdown:
		return []string{"# " + title(oneOf(r, nouns)) + " " + oneOf(r, verbs), ""}
	default:
		return nil
	}
}

// footer returns the closing lines of a new file.
func footer(l lang) []string {
	if l == langJSON {
		return []string{"  \"version\": 1", "}"}
	}
	return nil
}

// block returns a few lines that belong together: a function, a section.
func block(r *rand.Rand, l lang) []string {
	n, v, f := oneOf(r, nouns), oneOf(r, verbs), oneOf(r, fields)
	switch l {
	case langGo:
		return []string{
			fmt.Sprintf("func %s%s(ctx context.Context, %s int) (int, error) {", v, title(n), f),
			fmt.Sprintf("\tif %s < %d {", f, r.IntN(100)),
			fmt.Sprintf("\t\treturn 0, fmt.Errorf(\"%s %s: bad %s %%d\", %s)", v, n, f, f),
			"\t}",
			fmt.Sprintf("\treturn %s * %d, nil", f, r.IntN(50)+1),
			"}",
			"",
		}
	case langJS:
		return []string{
			fmt.Sprintf("function %s%s(%s, options) {", v, title(n), f),
			fmt.Sprintf("  const %s = %s.%s || %d;", n, f, oneOf(r, fields), r.IntN(1000)),
			fmt.Sprintf("  return { %s, %s: options.%s };", n, oneOf(r, fields), oneOf(r, fields)),
			"}",
			fmt.Sprintf("module.exports.%s%s = %s%s;", v, title(n), v, title(n)),
			"",
		}
	case langTS:
		return []string{
			fmt.Sprintf("export function %s%s(%s: number): %s {", v, title(n), f, title(n)),
			fmt.Sprintf("  const result = new %s(%s + %d);", title(n), f, r.IntN(1000)),
			fmt.Sprintf("  result.%s = '%s';", oneOf(r, fields), oneOf(r, values)),
			"  return result;",
			"}",
			"",
		}
	case langPython:
		return []string{
			fmt.Sprintf("def %s_%s(%s, options=None):", v, n, f),
			fmt.Sprintf("    %s = (options or {}).get(\"%s\", %d)", n, oneOf(r, fields), r.IntN(1000)),
			fmt.Sprintf("    return {\"%s\": %s, \"%s\": %s}", n, n, f, f),
			"",
		}
	case langYAML:
		return []string{
			fmt.Sprintf("  %s:", n),
			fmt.Sprintf("    %s: %s", f, oneOf(r, values)),
			fmt.Sprintf("    %s: %s", oneOf(r, fields), oneOf(r, values)),
		}
	case langJSON:
		return []string{fmt.Sprintf("  \"%s_%s\": \"%s\",", n, f, oneOf(r, values))}
	case langEnv:
		return []string{fmt.Sprintf("%s_%s=%s", strings.ToUpper(n), strings.ToUpper(f), oneOf(r, values))}
	case langMarkdown:
		return []string{
			fmt.Sprintf("The %s service can %s a %s by its %s.", n, v, oneOf(r, nouns), f),
			"",
		}
	default:
		return nil
	}
}

// statement returns a single line that fits inside a block of l.
func statement(r *rand.Rand, l lang) string {
	n, f := oneOf(r, nouns), oneOf(r, fields)
	switch l {
	case langGo:
		return fmt.Sprintf("\t%s := %s + %d // %s", n, f, r.IntN(100), oneOf(r, verbs))
	case langJS, langTS:
		return fmt.Sprintf("  const %s%s = %s.%s;", n, title(f), n, f)
	case langPython:
		return fmt.Sprintf("    %s = %s.get(\"%s\")", n, f, oneOf(r, fields))
	default:
		if b := block(r, l); len(b) > 0 {
			return b[0]
		}
		return ""
	}
}

// textFile builds a whole new file of l at path.
func textFile(r *rand.Rand, l lang, path string) []string {
	lines := header(r, l, path)
	for range 3 + r.IntN(12) {
		lines = append(lines, block(r, l)...)
	}
	return append(lines, footer(l)...)
}

// binaryFile returns bytes that git treats as binary: a PNG signature and
// noise with NUL bytes in it.
func binaryFile(r *rand.Rand) []byte {
	b := make([]byte, 2048+r.IntN(30000))
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	copy(b, "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	return b
}

// hugeFile returns an NDJSON event log of at least mb megabytes with one
// planted token in the middle.
func hugeFile(r *rand.Rand, mb int, token string) []byte {
	var b strings.Builder
	size := mb << 20
	b.Grow(size + 256)
	planted := false
	for i := 0; b.Len() < size; i++ {
		if !planted && b.Len() >= size/2 {
			fmt.Fprintf(&b, "{\"id\":%d,\"type\":\"debug\",\"note\":\"ci uses %s\"}\n", i, token)
			planted = true
			continue
		}
		fmt.Fprintf(&b, "{\"id\":%d,\"type\":\"%s.%sd\",\"%s\":\"%s\",\"amount\":%d,\"ts\":%d}\n",
			i, oneOf(r, nouns), oneOf(r, verbs), oneOf(r, fields), oneOf(r, values), r.IntN(100000), 1609459200+i*7)
	}
	return []byte(b.String())
}
