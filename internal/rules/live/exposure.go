package live

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"regexp"
	"strings"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/target"
)

// Exposure rules. They feed the secrets check: what a deployment serves
// to anyone is as exposed as what a repository holds. Bodies fetched here
// also go through the secret rules.
var (
	DotenvServed = &rule.Rule{
		ID: "exposure/dotenv-file-served", Check: "secrets", Severity: finding.SeverityCritical, Needs: network,
		Title: "A .env file is served to anyone",
		Doc:   "The web server hands out the application's .env file, which usually holds database passwords, API keys and signing secrets for production.",
		Fix:   "Rotate every secret in the file, then serve only the build output directory (never the project root) and block dotfiles at the server or CDN.",
	}
	GitServed = &rule.Rule{
		ID: "exposure/git-metadata-served", Check: "secrets", Severity: finding.SeverityHigh, Needs: network,
		Title: "The .git directory is served",
		Doc:   "With .git/config and .git/HEAD reachable, tools can download the whole repository, history included: source code, and every secret ever committed.",
		Fix:   "Deploy build artefacts rather than a checkout, or deny /.git at the server; rotate secrets that were ever committed.",
	}
	BackupServed = &rule.Rule{
		ID: "exposure/backup-file-served", Check: "secrets", Severity: finding.SeverityCritical, Needs: network,
		Title: "A backup or database dump is served",
		Doc:   "An archive or SQL dump left in the web root hands out the source or the data itself, including password hashes and personal data.",
		Fix:   "Remove the file, keep backups outside the web root in private storage, and treat the data in it as leaked.",
	}
	ConfigServed = &rule.Rule{
		ID: "exposure/config-file-served", Check: "secrets", Severity: finding.SeverityHigh, Needs: network,
		Title: "A configuration or credential file is served",
		Doc:   "Server, package-manager or cloud configuration files in the web root often hold credentials and always describe the infrastructure.",
		Fix:   "Remove the file from the deployed directory and block the path; rotate any credential it held.",
	}
	DebugEndpoint = &rule.Rule{
		ID: "exposure/debug-endpoint-served", Check: "secrets", Severity: finding.SeverityHigh, Needs: network,
		Title: "A debug or status endpoint is public",
		Doc:   "Endpoints such as phpinfo, server-status, Spring actuator env or Go's pprof reveal environment variables, internal addresses and sometimes let callers run code or dump memory.",
		Fix:   "Disable the endpoint in production, or bind it to an internal port behind authentication.",
	}
	DirectoryListing = &rule.Rule{
		ID: "exposure/directory-listing", Check: "secrets", Severity: finding.SeverityMedium, Needs: network,
		Title: "A directory listing is served",
		Doc:   "An auto-generated index shows every file in the directory, including ones nobody linked to: old builds, uploads, backups.",
		Fix:   "Turn off directory indexes (autoindex off, Options -Indexes) and serve only named files.",
	}
	SourceMapServed = &rule.Rule{
		ID: "exposure/source-map-served", Check: "secrets", Severity: finding.SeverityMedium, Needs: network,
		Title: "JavaScript source maps are public",
		Doc:   "A source map rebuilds the original front-end source, comments and all; it makes finding client-side flaws and hard-coded keys easy, and it is often where such keys are found.",
		Fix:   "Do not deploy .map files (or upload them to the error tracker only), and drop the sourceMappingURL comment from production bundles.",
	}
	StackTrace = &rule.Rule{
		ID: "exposure/stack-trace-in-error", Check: "secrets", Severity: finding.SeverityMedium, Needs: network,
		Title: "Malformed input gets a stack trace back",
		Doc:   "An error page with a stack trace shows file paths, framework versions and code structure, and often the query or value that failed: a map for the next attack.",
		Fix:   "Catch errors at the edge of the app and answer with a generic message and a request ID; log the details server-side.",
	}
	DebugConsole = &rule.Rule{
		ID: "exposure/debug-console", Check: "secrets", Severity: finding.SeverityCritical, Needs: network,
		Title: "A framework debug page or console is enabled",
		Doc:   "Framework debug pages (Werkzeug's console, Django's DEBUG pages, Laravel's Ignition, Rails' exception pages) show settings and secrets, and some execute code typed into them.",
		Fix:   "Turn debug mode off in production (DEBUG=False, APP_DEBUG=false, FLASK_DEBUG unset) and redeploy.",
	}
)

// Exposure fetches the files that should never be public, the bundles'
// source maps, and error pages provoked with malformed input.
var Exposure = probe("exposure", runExposure,
	DotenvServed, GitServed, BackupServed, ConfigServed, DebugEndpoint, DirectoryListing,
	SourceMapServed, StackTrace, DebugConsole)

// exposed is one path to try and how to recognise the real thing.
type exposed struct {
	path  string
	rule  *rule.Rule
	looks func([]byte) bool
}

var (
	dotenvLine = regexp.MustCompile(`(?m)^\s*(export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=`)
	sqlDump    = regexp.MustCompile(`(?i)(CREATE TABLE|INSERT INTO|-- MySQL dump|PostgreSQL database dump)`)
	// htpasswdLine is user:hash with a crypt-style hash.
	htpasswdLine = regexp.MustCompile(`(?m)^[^:\s]+:\$`)
)

func notHTML(b []byte) bool {
	t := bytes.ToLower(bytes.TrimSpace(b))
	return len(t) > 0 && !bytes.HasPrefix(t, []byte("<!doctype")) && !bytes.HasPrefix(t, []byte("<html")) && !bytes.Contains(t[:min(len(t), 512)], []byte("<body"))
}

func contains(subs ...string) func([]byte) bool {
	return func(b []byte) bool {
		for _, s := range subs {
			if bytes.Contains(b, []byte(s)) {
				return true
			}
		}
		return false
	}
}

func jsonObject(b []byte) bool {
	var m map[string]any
	return json.Unmarshal(b, &m) == nil && len(m) > 0
}

var exposedFiles = []exposed{
	{"/.env", DotenvServed, func(b []byte) bool { return notHTML(b) && dotenvLine.Match(b) }},
	{"/.env.production", DotenvServed, func(b []byte) bool { return notHTML(b) && dotenvLine.Match(b) }},
	{"/.env.local", DotenvServed, func(b []byte) bool { return notHTML(b) && dotenvLine.Match(b) }},
	{"/.git/config", GitServed, contains("[core]")},
	{"/.git/HEAD", GitServed, func(b []byte) bool { return bytes.HasPrefix(b, []byte("ref: refs/")) }},
	{"/backup.zip", BackupServed, func(b []byte) bool { return bytes.HasPrefix(b, []byte("PK\x03\x04")) }},
	{"/backup.tar.gz", BackupServed, func(b []byte) bool { return bytes.HasPrefix(b, []byte{0x1f, 0x8b}) }},
	{"/backup.sql", BackupServed, func(b []byte) bool { return notHTML(b) && sqlDump.Match(b) }},
	{"/dump.sql", BackupServed, func(b []byte) bool { return notHTML(b) && sqlDump.Match(b) }},
	{"/db.sql", BackupServed, func(b []byte) bool { return notHTML(b) && sqlDump.Match(b) }},
	{"/config.json", ConfigServed, jsonObject},
	{"/appsettings.json", ConfigServed, jsonObject},
	{"/.aws/credentials", ConfigServed, contains("aws_access_key_id", "[default]")},
	{"/.npmrc", ConfigServed, func(b []byte) bool { return notHTML(b) && bytes.Contains(b, []byte("=")) }},
	{"/.docker/config.json", ConfigServed, contains(`"auths"`)},
	{"/docker-compose.yml", ConfigServed, func(b []byte) bool { return notHTML(b) && bytes.Contains(b, []byte("services:")) }},
	{"/wp-config.php.bak", ConfigServed, contains("DB_PASSWORD")},
	{"/.htpasswd", ConfigServed, func(b []byte) bool { return notHTML(b) && htpasswdLine.Match(b) }},
	{"/server-status", DebugEndpoint, contains("Apache Server Status")},
	{"/phpinfo.php", DebugEndpoint, contains("phpinfo()", "PHP Version")},
	{"/actuator/env", DebugEndpoint, contains("propertySources", "activeProfiles")},
	{"/debug/pprof/", DebugEndpoint, contains("Types of profiles available")},
	{"/_profiler/", DebugEndpoint, contains("Symfony Profiler")},
}

// listingDirs are directories often left with indexes on.
var listingDirs = []string{"/static/", "/assets/", "/uploads/", "/files/", "/backup/", "/public/"}

var (
	listingPattern = regexp.MustCompile(`(?i)(<title>\s*Index of /|<h1>\s*Index of /|Directory listing for /|\[To Parent Directory\])`)
	sourceMapURL   = regexp.MustCompile(`(?m)[#@]\s*sourceMappingURL=([^\s'"*]+)\s*$`)
	// Stack traces of common runtimes: Node, Python, Java, Go, .NET, PHP, Ruby.
	stackPattern = regexp.MustCompile(`(?m)(^\s+at [\w.$<>\[\] ]+ \(?[\w./\\:-]+:\d+(:\d+)?\)?$|Traceback \(most recent call last\)|^\s+at [\w.$]+\([\w]+\.java:\d+\)|^goroutine \d+ \[[a-z ]+\]:|System\.[A-Za-z]+Exception|Fatal error: .* on line \d+|Stack trace:\s*\n#0 |\.rb:\d+:in ` + "`" + `)`)
	debugPattern = regexp.MustCompile(`(?i)(Werkzeug Debugger|__debugger__|You're seeing this error because you have <code>DEBUG = True</code>|DEBUG = True in your Django settings|Whoops! There was an error|Ignition|Action Controller: Exception caught|Laravel\\Ignition)`)
)

func runExposure(p *rule.Pass, s *target.Session) error {
	sent := 0
	stopped := false
	var jobs []exposed
	jobs = append(jobs, exposedFiles...)
	results := make([]*target.Response, len(jobs))
	idx := make([]int, len(jobs))
	for i := range idx {
		idx[i] = i
	}
	each(idx, func(i int) {
		r, err := s.Do(target.Request{URL: jobs[i].path})
		if err == nil {
			results[i] = r
		}
	})
	for i, e := range jobs {
		r := results[i]
		if r == nil {
			continue
		}
		sent++
		if r.Status != http.StatusOK || s.IsNotFound(r) || !e.looks(r.Body) {
			continue
		}
		s.Scan(r.URL.String(), r.Body)
		hit(p, s, e.rule, "GET", e.path, "", fmt.Sprintf("GET %s answered 200 with %s", e.path, byteCount(len(r.Body))))
	}

	// Directory listings, in the usual places and where the bundles live.
	dirs := append([]string(nil), listingDirs...)
	for _, b := range s.Bundles() {
		if d := path.Dir(b); d != "/" && d != "." {
			dirs = append(dirs, d+"/")
		}
	}
	seen := map[string]bool{}
	for _, d := range dirs {
		if seen[d] {
			continue
		}
		seen[d] = true
		r, err := s.Do(target.Request{URL: d})
		if err != nil {
			if stopped = stop(s, "secrets", err); stopped {
				break
			}
			continue
		}
		sent++
		if r.Status == http.StatusOK && listingPattern.Match(r.Body) {
			hit(p, s, DirectoryListing, "GET", d, "", fmt.Sprintf("GET %s answered with a directory listing", d))
		}
	}

	// Source maps of the bundles the entry page loads.
	maps := 0
	for _, b := range s.Bundles() {
		if stopped {
			break
		}
		body := s.Bundle(b)
		mapPath := b + ".map"
		if m := sourceMapURL.FindSubmatch(body); m != nil {
			ref := string(m[1])
			if strings.HasPrefix(ref, "data:") {
				continue
			}
			u, err := s.Client.Resolve(path.Join(path.Dir(b), ref))
			if strings.Contains(ref, "://") || strings.HasPrefix(ref, "/") {
				u, err = s.Client.Resolve(ref)
			}
			if err != nil || !s.Client.Allowed(u) {
				continue
			}
			mapPath = u.Path
		}
		r, err := s.Do(target.Request{URL: mapPath})
		if err != nil {
			stopped = stop(s, "secrets", err)
			continue
		}
		sent++
		maps++
		if r.Status != http.StatusOK || s.IsNotFound(r) {
			continue
		}
		var sm struct {
			Version        int      `json:"version"`
			Mappings       *string  `json:"mappings"`
			SourcesContent []string `json:"sourcesContent"`
		}
		if json.Unmarshal(r.Body, &sm) != nil || sm.Mappings == nil {
			continue
		}
		hit(p, s, SourceMapServed, "GET", mapPath, "", fmt.Sprintf("GET %s serves the source map of %s", mapPath, b))
		s.Scan(r.URL.String(), []byte(strings.Join(sm.SourcesContent, "\n")))
	}

	// Error pages: malformed IDs and query values.
	for _, pr := range provocations(s) {
		if stopped {
			break
		}
		r, err := s.Do(target.Request{URL: pr.path, Cred: credFor(s)})
		if err != nil {
			stopped = stop(s, "secrets", err)
			continue
		}
		sent++
		switch {
		case debugPattern.Match(r.Body):
			hit(p, s, DebugConsole, "GET", pr.route, "", fmt.Sprintf("GET %s with malformed input answered %d with a framework debug page", pr.route, r.Status))
		case stackPattern.Match(r.Body):
			hit(p, s, StackTrace, "GET", pr.route, "", fmt.Sprintf("GET %s with malformed input answered %d with a stack trace", pr.route, r.Status))
		}
	}
	if nf := s.NotFound; nf != nil && debugPattern.Match(nf.Body) {
		hit(p, s, DebugConsole, "GET", "/", "GET /{missing}", "the page for a missing path is a framework debug page")
	}
	if sent == 0 {
		return nil
	}
	s.Assess("secrets", fmt.Sprintf("%s for exposed files, listings, source maps (%d) and error pages; %s scanned for keys",
		plural(sent, "request"), maps, plural(len(s.Contents()), "served file")))
	return nil
}

// malformed is a path segment no route should accept.
const malformed = "launchgate'\"<probe>%00"

// provocation is a route and a request that breaks its input.
type provocation struct{ route, path string }

// provocations picks up to three routes and breaks their input: a
// malformed path parameter, or malformed query values.
func provocations(s *target.Session) []provocation {
	var out []provocation
	for _, r := range s.Routes {
		if len(out) >= 3 {
			break
		}
		if r.Method == http.MethodGet && r.Kind == target.KindOther && r.Templated() {
			out = append(out, provocation{r.Path, r.Fill(nil, malformed)})
		}
	}
	for _, r := range s.Routes {
		if len(out) >= 3 {
			break
		}
		if r.Method == http.MethodGet && !r.Templated() && r.Kind == target.KindOther {
			out = append(out, provocation{r.Path, r.Path + "?id=%27%22%3Cprobe%3E&page=-1&limit=99999999999999999999"})
		}
	}
	return out
}

// credFor is user A's credential when it may be sent.
func credFor(s *target.Session) *target.Credential {
	if s.Client.Untrusted() {
		return nil
	}
	return s.Opts.A
}
