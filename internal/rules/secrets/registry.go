package secrets

import (
	"regexp"
	"strings"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

// NpmrcAuth finds registry credentials in .npmrc files.
var NpmrcAuth = &rule.Rule{
	ID:       "secrets/npmrc-auth",
	Check:    "secrets",
	Severity: finding.SeverityHigh,
	Title:    "npm registry credential in .npmrc",
	Doc: "An .npmrc sets _authToken, _auth or _password to a literal value. That credential " +
		"publishes packages as you or reads your private packages; a leaked publish token is how " +
		"malicious versions of popular packages get released. npm reads ${VAR} references from " +
		"the environment, so the file never needs the value itself.",
	Fix: "Revoke the token in the registry's settings and create a new one. In .npmrc write " +
		"`//registry.example/:_authToken=${NPM_TOKEN}` and set NPM_TOKEN in CI secrets or your " +
		"shell, or keep credentials in ~/.npmrc outside the repository.",
	Needs: rule.Files,
	Run: func(p *rule.Pass) error {
		if b := base(p.File.Path); b != ".npmrc" && b != "npmrc" {
			return nil
		}
		eachLine(p.File.Content, func(n int, text string) {
			m := npmrcLine.FindStringSubmatchIndex(text)
			if m == nil {
				return
			}
			key := strings.ToLower(text[m[2]:m[3]])
			if !strings.HasSuffix(key, "_authtoken") && !strings.HasSuffix(key, "_auth") &&
				!strings.HasSuffix(key, "_password") {
				return
			}
			v, off := cleanValue(text[m[4]:], "#;")
			if IsPlaceholder(v) {
				return
			}
			name := text[m[2]:m[3]]
			name = name[strings.LastIndexAny(name, ":/")+1:]
			reportValue(p, n, m[4]+off, v, "npm registry credential "+name+" in .npmrc")
		})
		return nil
	},
}

var npmrcLine = regexp.MustCompile(`^\s*([^=\s#;]+)\s*=(.*)$`)

// YarnrcAuth finds registry tokens in Yarn Berry's .yarnrc.yml.
var YarnrcAuth = &rule.Rule{
	ID:       "secrets/yarnrc-auth",
	Check:    "secrets",
	Severity: finding.SeverityHigh,
	Title:    "npm registry token in .yarnrc.yml",
	Doc: "A .yarnrc.yml sets npmAuthToken or npmAuthIdent to a literal value. The token " +
		"publishes or reads packages as you. Yarn expands ${VAR} in this file, so the value can " +
		"stay in the environment.",
	Fix: "Revoke the token in the registry and create a new one; write " +
		"`npmAuthToken: \"${NPM_TOKEN}\"` and provide NPM_TOKEN from CI secrets.",
	Needs: rule.Files,
	Run: func(p *rule.Pass) error {
		if base(p.File.Path) != ".yarnrc.yml" && base(p.File.Path) != ".yarnrc.yaml" {
			return nil
		}
		eachLine(p.File.Content, func(n int, text string) {
			m := yarnrcLine.FindStringSubmatchIndex(text)
			if m == nil {
				return
			}
			v, off := cleanValue(text[m[4]:], "#")
			if IsPlaceholder(v) {
				return
			}
			reportValue(p, n, m[4]+off, v, text[m[2]:m[3]]+" in .yarnrc.yml")
		})
		return nil
	},
}

var yarnrcLine = regexp.MustCompile(`^\s*["']?(npmAuthToken|npmAuthIdent)["']?\s*:(.*)$`)

// PypircPassword finds upload credentials in .pypirc.
var PypircPassword = &rule.Rule{
	ID:       "secrets/pypirc-password",
	Check:    "secrets",
	Severity: finding.SeverityHigh,
	Title:    "Package index password in .pypirc",
	Doc: "A .pypirc holds a password (for PyPI this is an API token) for uploading packages. " +
		"Whoever has it can publish new versions of your packages.",
	Fix: "Revoke the token on the package index and create a new, project-scoped one. Keep " +
		".pypirc in your home directory, or upload from CI with trusted publishing or the " +
		"TWINE_PASSWORD environment variable.",
	Needs: rule.Files,
	Run: func(p *rule.Pass) error {
		if base(p.File.Path) != ".pypirc" {
			return nil
		}
		eachLine(p.File.Content, func(n int, text string) {
			m := pypircLine.FindStringSubmatchIndex(text)
			if m == nil {
				return
			}
			// configparser keeps inline comments as part of the value.
			v, off := cleanValue(text[m[2]:], "")
			if IsPlaceholder(v) {
				return
			}
			reportValue(p, n, m[2]+off, v, "Package index password in .pypirc")
		})
		return nil
	},
}

var pypircLine = regexp.MustCompile(`(?i)^\s*password\s*[=:](.*)$`)

// DockerConfigAuth finds registry logins in Docker client configuration.
var DockerConfigAuth = &rule.Rule{
	ID:       "secrets/docker-config-auth",
	Check:    "secrets",
	Severity: finding.SeverityHigh,
	Title:    "Container registry login in Docker config",
	Doc: "A Docker client config (.docker/config.json or .dockercfg) has an auths entry with an " +
		"auth value: that is base64 of user:password (or a token) for a container registry. It " +
		"lets anyone pull your private images, which often contain more secrets, and push " +
		"images your deployments will run.",
	Fix: "Change the password or revoke the token at the registry. Log in at build time with " +
		"`docker login --password-stdin` from a CI secret, or use a credential helper " +
		"(credsStore), and keep .docker/ out of the repository.",
	Needs: rule.Files,
	Run: func(p *rule.Pass) error {
		b := base(p.File.Path)
		if b != ".dockercfg" && (b != "config.json" || !inDir(p.File.Path, ".docker")) {
			return nil
		}
		eachLine(p.File.Content, func(n int, text string) {
			for _, m := range dockerAuth.FindAllStringSubmatchIndex(text, -1) {
				v := text[m[4]:m[5]]
				if IsPlaceholder(v) {
					continue
				}
				reportValue(p, n, m[4], v, "Registry "+text[m[2]:m[3]]+" in Docker config")
			}
		})
		return nil
	},
}

var dockerAuth = regexp.MustCompile(`"(auth|identitytoken|registrytoken|password)"\s*:\s*"([^"\\]*)"`)
