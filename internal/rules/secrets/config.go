package secrets

import (
	"regexp"
	"strings"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

// ConfigSecret finds passwords and keys assigned in configuration files.
//
// It is tuned to stay quiet rather than to catch everything: the key must
// name a secret (password, secret, token, api_key, private_key, …; not
// PASSWORD_MIN_LENGTH or TOKEN_URL), and the value must look real (see
// isRealValue). Template and example files are skipped, as are files other
// rules own (.env, kubeconfigs, deploy configs) and translation folders.
var ConfigSecret = &rule.Rule{
	ID:       "secrets/config-secret",
	Check:    "secrets",
	Severity: finding.SeverityMedium,
	Title:    "Secret hard-coded in configuration",
	Doc: "A configuration file assigns a literal value to a password, secret, token or API key " +
		"setting: .properties, .ini, .cfg, .conf, .cnf, .toml, YAML (Spring, Rails " +
		"database.yml, docker-compose), XML (Spring, Hibernate, Tomcat context.xml, web.config " +
		"connection strings), JSON (appsettings.json), wp-config.php, Django settings and " +
		"knexfile or config/*.js. Configuration is shared between environments, copied into " +
		"images and read by every developer, so the value leaks far beyond the server that " +
		"needs it.",
	Fix: "Rotate the value, then read it from the environment or a secret store: ${DB_PASSWORD} " +
		"in Spring, <%= ENV[...] %> in Rails, os.environ in Django, getenv() in PHP, " +
		"process.env in Node, user secrets or Key Vault references in .NET. Keep only " +
		"placeholders in committed config.",
	Needs: rule.Files,
	Run:   runConfigSecret,
}

// pair is one key and value read from a line; off is the value's byte
// offset in the line.
type pair struct {
	key, value string
	off        int
}

func runConfigSecret(p *rule.Pass) error {
	extract := configExtractor(p.File)
	if extract == nil {
		return nil
	}
	var prev []pair
	eachLine(p.File.Content, func(n int, text string) {
		if isCommentLine(text) {
			prev = nil
			return
		}
		pairs := extract(text)
		// Kubernetes and compose env lists split the name and the value
		// over two lines: `- name: DB_PASSWORD` then `value: s3cr3t`.
		for i, pr := range pairs {
			if pr.key == "value" && len(prev) == 1 && prev[0].key == "name" {
				pairs[i].key = prev[0].value
			}
		}
		prev = pairs
		seen := map[int]bool{}
		for _, pr := range pairs {
			checkPair(p, n, pr, seen)
		}
	})
	return nil
}

// checkPair reports a secret key with a real value, or a password inside a
// connection string value.
func checkPair(p *rule.Pass, n int, pr pair, seen map[int]bool) {
	if !connStringMarker.MatchString(pr.value) {
		if isSecretKey(pr.key) && isRealValue(pr.value) && !seen[pr.off] {
			seen[pr.off] = true
			reportValue(p, n, pr.off, pr.value, "Secret "+quote(pr.key)+" hard-coded in configuration")
		}
		return
	}
	for _, m := range connStringPassword.FindAllStringSubmatchIndex(pr.value, -1) {
		v := strings.TrimSpace(pr.value[m[2]:m[3]])
		off := pr.off + m[2] + strings.Index(pr.value[m[2]:m[3]], v)
		if v == "" || !isRealValue(v) || seen[off] {
			continue
		}
		seen[off] = true
		reportValue(p, n, off, v, "Password in connection string "+quote(pr.key))
	}
}

var (
	connStringMarker   = regexp.MustCompile(`(?i)(?:^|;)\s*(?:server|data source|host|address|addr|user id|uid|initial catalog|database)\s*=[^;]*;`)
	connStringPassword = regexp.MustCompile(`(?i)(?:^|;)\s*(?:password|pwd)\s*=([^;]*)`)
)

func isCommentLine(text string) bool {
	t := strings.TrimSpace(text)
	for _, c := range []string{"#", ";", "//", "!", "<!--", "/*", "*"} {
		if strings.HasPrefix(t, c) {
			return true
		}
	}
	return false
}

// translationDirs hold UI strings, where "password" is a label.
var translationDirs = []string{"locales", "locale", "i18n", "l10n", "lang", "translations", "messages"}

// configExtractor picks the line parser for a file, or nil when the rule
// does not read it.
func configExtractor(f *rule.File) func(string) []pair {
	b, e := base(f.Path), ext(f.Path)
	if isTemplateName(b) || ownedElsewhere(f) || isBinary(f.Content) {
		return nil
	}
	for _, d := range translationDirs {
		if inDir(f.Path, d) {
			return nil
		}
	}
	switch {
	case e == ".properties":
		return func(s string) []pair { return kvPairs(s, "") }
	case e == ".ini" || e == ".cfg" || e == ".conf" || e == ".cnf" || e == ".toml":
		return func(s string) []pair { return kvPairs(s, "#;") }
	case e == ".yml" || e == ".yaml":
		return yamlPairs
	case e == ".xml" || e == ".config" && strings.HasPrefix(strings.TrimSpace(string(f.Content)), "<"):
		return xmlPairs
	case e == ".json" && b != "package-lock.json" && b != "package.json":
		return jsonPairs
	case b == "wp-config.php":
		return phpDefinePairs
	case e == ".py" && (b == "settings.py" || b == "local_settings.py" || parentDir(f.Path) == "settings"):
		return pythonPairs
	case b == "knexfile.js" || b == "knexfile.ts" ||
		parentDir(f.Path) == "config" && (e == ".js" || e == ".ts" || e == ".cjs" || e == ".mjs"):
		return jsPairs
	}
	return nil
}

// ownedElsewhere reports files a more specific rule reads, so one secret
// is one finding.
func ownedElsewhere(f *rule.File) bool {
	b := base(f.Path)
	switch {
	case isDotenv(f.Path), isFTPClientConfig(f.Path), isKubeconfig(f):
		return true
	case b == ".npmrc", b == ".yarnrc.yml", b == ".pypirc", b == "application_default_credentials.json":
		return true
	case b == "config.json" && inDir(f.Path, ".docker"), inDir(f.Path, ".aws"), inDir(f.Path, ".azure"),
		inDir(f.Path, "gcloud"):
		return true
	case ext(f.Path) == ".json" && serviceAccountType.Match(f.Content):
		return true
	}
	return false
}

var kvLine = regexp.MustCompile(`^\s*["']?([A-Za-z0-9_][A-Za-z0-9_.\-]*)["']?\s*[=:](.*)$`)

// kvPairs reads `key = value` and `key: value` lines (properties, INI,
// TOML); comments lists the characters that start an inline comment.
func kvPairs(s, comments string) []pair {
	m := kvLine.FindStringSubmatchIndex(s)
	if m == nil {
		return nil
	}
	rest := s[m[4]:]
	if t := strings.TrimLeft(rest, " \t"); t != "" && (t[0] == '[' || t[0] == '{') {
		return nil
	}
	v, off := cleanValue(rest, comments)
	return []pair{{key: s[m[2]:m[3]], value: v, off: m[4] + off}}
}

var (
	yamlLine    = regexp.MustCompile(`^\s*(?:-\s+)?["']?([A-Za-z0-9_][A-Za-z0-9_.\-/]*)["']?\s*:(\s.*)?$`)
	yamlEnvItem = regexp.MustCompile(`^\s*-\s+["']?([A-Za-z_][A-Za-z0-9_]*)=(.*)$`)
)

// yamlPairs reads `key: value` mappings and `- KEY=value` list items.
func yamlPairs(s string) []pair {
	if m := yamlEnvItem.FindStringSubmatchIndex(s); m != nil {
		rest := strings.TrimSuffix(strings.TrimRight(s[m[4]:], " \t"), `"`)
		v, off := cleanValue(rest, "#")
		return []pair{{key: s[m[2]:m[3]], value: v, off: m[4] + off}}
	}
	m := yamlLine.FindStringSubmatchIndex(s)
	if m == nil || m[4] < 0 {
		return nil
	}
	rest := s[m[4]:]
	if t := strings.TrimLeft(rest, " \t"); t != "" && strings.IndexByte("|>&*!{[", t[0]) >= 0 {
		return nil
	}
	v, off := cleanValue(rest, "#")
	return []pair{{key: s[m[2]:m[3]], value: v, off: m[4] + off}}
}

var jsonMember = regexp.MustCompile(`"((?:[^"\\]|\\.)+)"\s*:\s*"((?:[^"\\]|\\.)*)"`)

func jsonPairs(s string) []pair {
	var out []pair
	for _, m := range jsonMember.FindAllStringSubmatchIndex(s, -1) {
		out = append(out, pair{key: s[m[2]:m[3]], value: s[m[4]:m[5]], off: m[4]})
	}
	return out
}

var (
	xmlElement  = regexp.MustCompile(`<([A-Za-z_][\w.:\-]*)(\s[^<>]*)?>([^<]*)</([A-Za-z_][\w.:\-]*)\s*>`)
	xmlAttr     = regexp.MustCompile(`([A-Za-z_][\w.:\-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')`)
	xmlNameAttr = regexp.MustCompile(`\b(?:name|key)\s*=\s*(?:"([^"]*)"|'([^']*)')`)
)

// xmlPairs reads elements (<password>x</password>, <property
// name="password">x</property>), attributes (password="x") and key/value
// attribute pairs (<add key="ApiKey" value="x"/>).
func xmlPairs(s string) []pair {
	var out []pair
	for _, m := range xmlElement.FindAllStringSubmatchIndex(s, -1) {
		open, closing := s[m[2]:m[3]], s[m[8]:m[9]]
		if open != closing {
			continue
		}
		key := localName(open)
		if m[4] >= 0 {
			if nm := xmlNameAttr.FindStringSubmatch(s[m[4]:m[5]]); nm != nil {
				key = nm[1] + nm[2]
			}
		}
		text := s[m[6]:m[7]]
		v := strings.TrimSpace(text)
		out = append(out, pair{key: key, value: v, off: m[6] + strings.Index(text, v)})
	}
	tags := xmlTag.FindAllStringIndex(s, -1)
	if tags == nil {
		// The attributes of a tag that spans several lines end at its ">".
		end := strings.IndexByte(s, '>')
		if end < 0 {
			end = len(s)
		}
		tags = [][]int{{0, end}}
	}
	for _, tag := range tags {
		t := s[tag[0]:tag[1]]
		nm := xmlNameAttr.FindStringSubmatch(t)
		var named string
		if nm != nil {
			named = nm[1] + nm[2]
		}
		for _, a := range xmlAttr.FindAllStringSubmatchIndex(t, -1) {
			name := localName(t[a[2]:a[3]])
			vs, ve := a[4], a[5]
			if vs < 0 {
				vs, ve = a[6], a[7]
			}
			switch strings.ToLower(name) {
			case "name", "key":
				continue
			case "value":
				if named == "" {
					continue
				}
				name = named
			}
			out = append(out, pair{key: name, value: t[vs:ve], off: tag[0] + vs})
		}
	}
	return out
}

// xmlTag matches a start tag, or the first line of one that goes on.
var xmlTag = regexp.MustCompile(`<[A-Za-z_][^<>]*>?`)

func localName(n string) string {
	if i := strings.LastIndexByte(n, ':'); i >= 0 {
		return n[i+1:]
	}
	return n
}

var phpDefine = regexp.MustCompile(`define\(\s*['"]([A-Za-z0-9_]+)['"]\s*,\s*(?:'([^']*)'|"([^"]*)")\s*\)`)

// phpDefinePairs reads wp-config.php's define('DB_PASSWORD', '...').
func phpDefinePairs(s string) []pair {
	return quotedPairs(phpDefine, s)
}

var (
	pyAssign  = regexp.MustCompile(`^\s*([A-Z][A-Z0-9_]*)\s*=\s*[bru]?(?:'([^']*)'|"([^"]*)")`)
	pyDictKey = regexp.MustCompile(`['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*:\s*[bru]?(?:'([^']*)'|"([^"]*)")`)
)

// pythonPairs reads Django settings: SECRET_KEY = '...' and dict entries
// such as 'PASSWORD': '...'.
func pythonPairs(s string) []pair {
	return append(quotedPairs(pyAssign, s), quotedPairs(pyDictKey, s)...)
}

var jsProp = regexp.MustCompile(`["']?([A-Za-z_$][\w$]*)["']?\s*:\s*(?:'([^']*)'|"([^"]*)"|` + "`([^`]*)`" + `)`)

// jsPairs reads object properties with string literal values.
func jsPairs(s string) []pair {
	return quotedPairs(jsProp, s)
}

// quotedPairs turns matches of re, whose first group is the key and whose
// other groups are alternative quoted values, into pairs.
func quotedPairs(re *regexp.Regexp, s string) []pair {
	var out []pair
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		for g := 2; 2*g+1 < len(m); g++ {
			if m[2*g] >= 0 {
				out = append(out, pair{key: s[m[2]:m[3]], value: s[m[2*g]:m[2*g+1]], off: m[2*g]})
				break
			}
		}
	}
	return out
}
