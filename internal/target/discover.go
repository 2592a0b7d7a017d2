package target

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"io"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// Discovery limits: a site is sampled, not crawled.
const (
	maxBundles      = 12
	maxSitemapURLs  = 50
	maxCommonProbes = 24
	maxRoutes       = 400
)

// CommonPaths are API routes many apps have, tried when there is no spec.
var CommonPaths = []string{
	"/api", "/api/v1", "/api/me", "/api/user", "/api/users", "/api/account",
	"/api/health", "/health", "/healthz", "/status",
	"/api/login", "/api/auth/login", "/login",
	"/api/password/reset", "/api/auth/forgot-password",
	"/api/webhooks", "/webhooks", "/graphql",
}

// Page is what discovery learnt from an HTML page.
type Page struct {
	// Scripts are the URLs of script elements.
	Scripts []string
	// Links are same-document references (a, link, form).
	Links []string
	// Inline is the text of inline scripts.
	Inline []byte
}

// ParseHTML reads the references of an HTML page. It never fails:
// broken markup yields what could be read.
func ParseHTML(body []byte) Page {
	var p Page
	z := html.NewTokenizer(bytes.NewReader(body))
	inScript := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return p
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			attrs := map[string]string{}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				attrs[string(k)] = string(v)
			}
			switch tag {
			case "script":
				if src := attrs["src"]; src != "" {
					p.Scripts = append(p.Scripts, src)
				} else if tt == html.StartTagToken {
					inScript = true
				}
			case "a", "link":
				if h := attrs["href"]; h != "" {
					if tag == "link" && (strings.Contains(attrs["rel"], "modulepreload") || strings.HasSuffix(strings.SplitN(h, "?", 2)[0], ".js")) {
						p.Scripts = append(p.Scripts, h)
						continue
					}
					p.Links = append(p.Links, h)
				}
			case "form":
				if a := attrs["action"]; a != "" {
					p.Links = append(p.Links, a)
				}
			}
		case html.TextToken:
			if inScript && len(p.Inline) < 1<<20 {
				p.Inline = append(p.Inline, z.Text()...)
				p.Inline = append(p.Inline, '\n')
			}
		case html.EndTagToken:
			inScript = false
		}
	}
}

// apiLiteral finds string literals in JavaScript that look like API
// paths: "/api/…", "/v1/…", "/graphql", template literals included.
var apiLiteral = regexp.MustCompile("[\"'`](/(?:api|rest|graphql|v[0-9]+)(?:/[A-Za-z0-9_.~${}:-]*)*)[\"'`?]")

var (
	templateExpr = regexp.MustCompile(`\$\{[^}]*\}`)
	versioned    = regexp.MustCompile(`^/v[0-9]+(/|$)`)
)

// BundlePaths lists the API-looking paths in a JavaScript bundle, with
// template expressions (`/api/users/${id}`) turned into parameters.
func BundlePaths(js []byte) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range apiLiteral.FindAllSubmatch(js, -1) {
		p := string(m[1])
		n := 0
		p = templateExpr.ReplaceAllStringFunc(p, func(string) string {
			n++
			if n == 1 {
				return "{id}"
			}
			return "{id" + strconv.Itoa(n) + "}"
		})
		if strings.ContainsAny(p, "$`") {
			continue
		}
		p = strings.TrimRight(p, "/:")
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// ParseRobots returns the literal paths of Allow and Disallow lines
// (wildcard patterns are skipped) and the Sitemap URLs.
func ParseRobots(body []byte) (paths, sitemaps []string) {
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	seen := map[string]bool{}
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "allow", "disallow":
			if !strings.HasPrefix(v, "/") || strings.ContainsAny(v, "*$") || v == "/" || seen[v] {
				continue
			}
			seen[v] = true
			paths = append(paths, v)
		case "sitemap":
			if v != "" {
				sitemaps = append(sitemaps, v)
			}
		}
	}
	return paths, sitemaps
}

// ParseSitemap returns the <loc> URLs of a sitemap or sitemap index.
func ParseSitemap(body []byte) []string {
	d := xml.NewDecoder(io.LimitReader(bytes.NewReader(body), 8<<20))
	d.Strict = false
	var out []string
	inLoc := false
	for len(out) < 10*maxSitemapURLs {
		tok, err := d.Token()
		if err != nil {
			return out
		}
		switch t := tok.(type) {
		case xml.StartElement:
			inLoc = t.Name.Local == "loc"
		case xml.EndElement:
			inLoc = false
		case xml.CharData:
			if inLoc {
				if s := strings.TrimSpace(string(t)); s != "" {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// sameSitePath returns ref's path when it resolves to base's host, and
// false for other hosts, fragments and non-HTTP schemes.
func sameSitePath(base *url.URL, ref string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return "", false
	}
	u = base.ResolveReference(u)
	if (u.Scheme != "http" && u.Scheme != "https") || !strings.EqualFold(u.Hostname(), base.Hostname()) {
		return "", false
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	// Routes are relative to the base path.
	bp := strings.TrimSuffix(base.EscapedPath(), "/")
	if bp != "" {
		if !strings.HasPrefix(p, bp+"/") && p != bp {
			return "", false
		}
		p = strings.TrimPrefix(p, bp)
		if p == "" {
			p = "/"
		}
	}
	return path.Clean(p), true
}

// looksAPI reports whether a discovered path is an API route worth
// probing, rather than a page or an asset.
func looksAPI(p string) bool {
	if ext := path.Ext(p); ext != "" && ext != ".json" {
		return false
	}
	lp := strings.ToLower(p)
	return strings.HasPrefix(lp, "/api") || strings.HasPrefix(lp, "/rest") || strings.HasPrefix(lp, "/graphql") ||
		versioned.MatchString(lp) || Classify(p) != KindOther
}
