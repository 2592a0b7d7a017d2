package secrets

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

// PrivateKeyFile finds private key files: SSH identities, PEM and PKCS#8
// key files, PuTTY keys.
var PrivateKeyFile = &rule.Rule{
	ID:       "secrets/private-key-file",
	Check:    "secrets",
	Severity: finding.SeverityCritical,
	Title:    "Private key file committed",
	Doc: "A private key file (an SSH identity such as id_rsa or id_ed25519, a .pem/.key/.p8 file " +
		"holding a PRIVATE KEY block, or a PuTTY .ppk) is in the repository. Anyone who can read " +
		"the repository, its forks, clones and CI caches can use the key to log in to servers, " +
		"sign as you, or decrypt traffic; a passphrase only slows an offline attack down. The key " +
		"stays in git history after the file is deleted.",
	Fix: "Treat the key as compromised: generate a new key pair, install the new public key, " +
		"remove the old one from authorized_keys, certificates or the provider. Then delete the " +
		"file, add it to .gitignore, and load the key at runtime from a secret store or CI secret.",
	Needs: rule.Files,
	Run:   runPrivateKeyFile,
}

// keyFileNames are the default names ssh-keygen gives private keys.
var keyFileNames = set(
	"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk", "identity",
)

var keyFileExts = set(".pem", ".key", ".ppk", ".p8")

var (
	pemBegin = regexp.MustCompile(`-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----`)
	pemEnd   = regexp.MustCompile(`-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----`)
	ppkHead  = regexp.MustCompile(`^PuTTY-User-Key-File-\d+:`)
	ppkLines = regexp.MustCompile(`^Private-Lines:\s*(\d+)`)
)

func runPrivateKeyFile(p *rule.Pass) error {
	if !keyFileNames[base(p.File.Path)] && !keyFileExts[ext(p.File.Path)] {
		return nil
	}
	var lines []string
	eachLine(p.File.Content, func(_ int, text string) { lines = append(lines, text) })
	for i := 0; i < len(lines); i++ {
		if m := pemBegin.FindStringSubmatch(lines[i]); m != nil {
			i = reportPEM(p, lines, i, strings.TrimSpace(m[1]))
			continue
		}
		if ppkHead.MatchString(lines[i]) {
			i = reportPPK(p, lines, i)
		}
	}
	return nil
}

// reportPEM reports the key block starting at lines[begin] and returns
// the index of its last line. A block cut short (a diff that only adds
// part of it) ends at the end of the content.
func reportPEM(p *rule.Pass, lines []string, begin int, kind string) int {
	end := len(lines) - 1
	var body []string
	for j := begin + 1; j < len(lines); j++ {
		if pemEnd.MatchString(lines[j]) {
			end = j
			break
		}
		if t := strings.TrimSpace(lines[j]); t != "" && !strings.Contains(t, ":") {
			body = append(body, t)
		}
	}
	secret := strings.Join(body, "\n")
	if len(secret) < 16 {
		return end
	}
	msg := "Private key file committed"
	if kind != "" {
		msg = kind + " private key file committed"
	}
	p.Report(finding.Finding{
		Location: finding.Location{Line: begin + 1, Column: 1, EndLine: end + 1, EndColumn: len(lines[end]) + 1},
		Secret:   secret,
		Match:    secret,
		Message:  msg,
	})
	return end
}

// reportPPK reports the private lines of a PuTTY key whose header is at
// lines[head].
func reportPPK(p *rule.Pass, lines []string, head int) int {
	for j := head + 1; j < len(lines); j++ {
		m := ppkLines.FindStringSubmatch(lines[j])
		if m == nil {
			continue
		}
		n, err := strconv.Atoi(m[1])
		if err != nil || n <= 0 {
			return j
		}
		last := min(j+n, len(lines)-1)
		secret := strings.Join(lines[j+1:last+1], "\n")
		if secret == "" {
			return last
		}
		p.Report(finding.Finding{
			Location: finding.Location{Line: head + 1, Column: 1, EndLine: last + 1, EndColumn: len(lines[last]) + 1},
			Secret:   secret,
			Match:    secret,
			Message:  "PuTTY private key file committed",
		})
		return last
	}
	return len(lines) - 1
}

// KeystoreFile finds Java, PKCS#12 and Bouncy Castle keystores.
var KeystoreFile = &rule.Rule{
	ID:       "secrets/keystore-file",
	Check:    "secrets",
	Severity: finding.SeverityCritical,
	Title:    "Keystore file committed",
	Doc: "A keystore (.jks, .keystore, .jceks, .p12, .pfx, .bks) is in the repository. Keystores " +
		"hold private keys and certificates: TLS server keys, client certificates, app signing " +
		"keys. Their passwords are often weak, defaults, or committed next to them, so an attacker " +
		"with the file can usually open it offline. Android's debug.keystore is not reported: its " +
		"key and password are the same on every machine.",
	Fix: "Rotate what the keystore protects (reissue the certificate, or for an app signing key " +
		"follow the store's key upgrade process), delete the file, add it to .gitignore, and " +
		"provide the keystore to builds from CI secrets or a secret store.",
	Needs: rule.Files,
	Run: func(p *rule.Pass) error {
		if !p.File.Whole || len(p.File.Content) == 0 || !keystoreExts[ext(p.File.Path)] ||
			base(p.File.Path) == "debug.keystore" {
			return nil
		}
		reportFile(p, "Keystore file "+strconv.Quote(base(p.File.Path))+" committed")
		return nil
	},
}

var keystoreExts = set(".jks", ".keystore", ".jceks", ".p12", ".pfx", ".bks", ".pkcs12")
