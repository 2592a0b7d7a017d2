package code

import (
	"bytes"
	"path"
	"strings"
)

// Lang is the kind of a source or configuration file.
type Lang uint8

// Kinds of files the analysis reads.
const (
	Unknown Lang = iota
	JavaScript
	TypeScript
	TSX
	Python
	Go
	VercelJSON  // vercel.json
	NetlifyTOML // netlify.toml
	HeadersFile // _headers (Netlify, Cloudflare Pages)
	Nginx       // nginx configuration
)

var langNames = [...]string{"unknown", "JavaScript", "TypeScript", "TSX", "Python", "Go", "vercel.json", "netlify.toml", "_headers", "nginx"}

func (l Lang) String() string {
	if int(l) < len(langNames) {
		return langNames[l]
	}
	return "unknown"
}

// NeedsTreeSitter reports whether files of this kind are parsed with
// tree-sitter (and so need a cgo build).
func (l Lang) NeedsTreeSitter() bool {
	return l == JavaScript || l == TypeScript || l == TSX || l == Python
}

// Detect returns the kind of file a slash path names, from its name alone;
// nginx configuration is confirmed by content (see Sniff).
func Detect(p string) Lang {
	base := path.Base(p)
	switch base {
	case "vercel.json":
		return VercelJSON
	case "netlify.toml":
		return NetlifyTOML
	case "_headers":
		return HeadersFile
	case "nginx.conf":
		return Nginx
	}
	switch ext := path.Ext(base); ext {
	case ".js", ".jsx", ".mjs", ".cjs":
		return JavaScript
	case ".ts", ".mts", ".cts":
		if strings.HasSuffix(base, ".d.ts") || strings.HasSuffix(base, ".d.mts") || strings.HasSuffix(base, ".d.cts") {
			return Unknown
		}
		return TypeScript
	case ".tsx":
		return TSX
	case ".py":
		return Python
	case ".go":
		return Go
	case ".conf":
		return Nginx
	}
	return Unknown
}

// skipDirs are directories whose files are not the project's own code
// (dependencies, generated output) or are tests and fixtures, where
// deliberately bad code would be noise.
var skipDirs = map[string]bool{
	"node_modules": true, "bower_components": true, "jspm_packages": true, "vendor": true,
	"third_party": true, "site-packages": true, ".venv": true, "venv": true, "__pycache__": true,
	".git": true, ".next": true, ".nuxt": true, ".output": true, ".svelte-kit": true, ".vercel": true,
	".netlify": true, ".turbo": true, ".cache": true, "dist": true, "coverage": true,
	"__tests__": true, "__mocks__": true, "__fixtures__": true, "testdata": true, "test": true,
	"tests": true, "fixtures": true, "e2e": true, "cypress": true, "spec": true,
}

// Candidate reports whether the file at slash path p is one the code
// analysis reads: source in a supported language or a configuration file
// it understands, outside dependencies, generated output and tests.
func Candidate(p string) bool {
	l := Detect(p)
	if l == Unknown {
		return false
	}
	dirs := strings.Split(p, "/")
	for _, d := range dirs[:len(dirs)-1] {
		if skipDirs[d] {
			return false
		}
	}
	base := dirs[len(dirs)-1]
	lower := strings.ToLower(base)
	switch {
	case strings.Contains(lower, ".test.") || strings.Contains(lower, ".spec.") ||
		strings.Contains(lower, ".stories.") || strings.Contains(lower, ".min."):
		return false
	case l == Go && strings.HasSuffix(lower, "_test.go"):
		return false
	case l == Python && (strings.HasPrefix(lower, "test_") || strings.HasSuffix(lower, "_test.py") || lower == "conftest.py"):
		return false
	}
	return true
}

// Sniff reports whether the file at slash path p with this content is
// worth parsing: minified or bundled JavaScript (a very long line) is not
// the project's own source, a .conf file is only read when it is nginx
// configuration, and a React component file (.jsx, .tsx) only when it
// mentions something a rule reads — components are often half of a
// front-end code base and parsing them is most of the cost.
func Sniff(p string, content []byte) bool {
	switch Detect(p) {
	case Nginx:
		return bytes.Contains(content, []byte("add_header")) || bytes.Contains(content, []byte("server {")) ||
			bytes.Contains(content, []byte("location "))
	case JavaScript, TypeScript, TSX:
		if minified(content) {
			return false
		}
		if ext := path.Ext(p); (ext == ".tsx" || ext == ".jsx") && !serverPath(p) {
			for _, k := range componentKeywords {
				if bytes.Contains(content, k) {
					return true
				}
			}
			return false
		}
	}
	return true
}

// componentKeywords are the words without which a component file gives
// no rule anything: token storage, headers, cookies, server frameworks,
// error trackers, uploads, exports of request handlers.
var componentKeywords = [][]byte{
	[]byte("Storage"), []byte("Access-Control-"), []byte("ookie"), []byte("express"), []byte("fastify"),
	[]byte("hono"), []byte("koa"), []byte("require("), []byte("entry"), []byte("dd-trace"), []byte("telemetry"),
	[]byte("multer"), []byte("formidable"), []byte("busboy"), []byte("ebhook"), []byte("export async function"),
	[]byte("export default async"), []byte("rollbar"), []byte("ugsnag"), []byte("oneybadger"), []byte("newrelic"),
	[]byte("createServer"), []byte("cors"),
}

// serverPath reports whether a file is a Next.js route handler, API
// route or middleware, whatever its extension.
func serverPath(p string) bool {
	return nextAppRoute.MatchString(p) || nextPagesAPI.MatchString(p) || nextMiddlware.MatchString(p) ||
		strings.HasPrefix(path.Base(p), "next.config.")
}

// minified reports whether content looks like bundler output: a line over
// 1000 bytes among few lines, or the bundlers' own markers.
func minified(content []byte) bool {
	head := content
	if len(head) > 4096 {
		head = head[:4096]
	}
	if bytes.Contains(head, []byte("__webpack_require__")) || bytes.Contains(head, []byte("//# sourceMappingURL=data:")) {
		return true
	}
	lines := bytes.Count(content, []byte{'\n'}) + 1
	if len(content)/lines > 300 {
		return true
	}
	for len(content) > 0 {
		i := bytes.IndexByte(content, '\n')
		if i < 0 {
			i = len(content)
		}
		if i > 5000 {
			return true
		}
		if i == len(content) {
			break
		}
		content = content[i+1:]
	}
	return false
}
