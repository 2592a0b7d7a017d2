package secrets

import (
	"regexp"
	"strings"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

// FTPClientConfig finds saved passwords in FTP/SFTP client and deploy
// plugin configuration.
var FTPClientConfig = &rule.Rule{
	ID:       "secrets/ftp-client-config",
	Check:    "secrets",
	Severity: finding.SeverityHigh,
	Title:    "Saved FTP/SFTP password committed",
	Doc: "An FTP or SFTP client's site file with a saved password is in the repository: " +
		"FileZilla's sitemanager.xml, recentservers.xml or filezilla.xml, WinSCP.ini, or an " +
		"editor deploy config (sftp-config.json, .vscode/sftp.json, .ftpconfig, " +
		".remote-sync.json). These clients store passwords in plain text or base64, and the host " +
		"they log in to is usually the production web server.",
	Fix: "Change the server password, delete the file and add it to .gitignore. Use SSH keys " +
		"kept outside the repository (or a deploy pipeline) instead of saved passwords.",
	Needs: rule.Files,
	Run:   runFTPClientConfig,
}

var (
	fileZillaPass = regexp.MustCompile(`<(Pass|ProxyPass|Password)\b[^>]*>([^<]+)</`)
	winSCPPass    = regexp.MustCompile(`(?i)^\s*((?:proxy|tunnel)?password)\s*=(.*)$`)
	jsonPass      = regexp.MustCompile(`"(password|pass|passphrase)"\s*:\s*"((?:[^"\\]|\\.)*)"`)
)

var fileZillaNames = set("sitemanager.xml", "recentservers.xml", "filezilla.xml")

var deployConfigNames = set("sftp-config.json", ".ftpconfig", ".remote-sync.json", "ftp-config.json")

// isFTPClientConfig reports whether the rule reads p; other rules leave
// these files to it.
func isFTPClientConfig(p string) bool {
	b := base(p)
	return fileZillaNames[b] || b == "winscp.ini" || deployConfigNames[b] ||
		b == "sftp.json" && parentDir(p) == ".vscode"
}

func runFTPClientConfig(p *rule.Pass) error {
	b := base(p.File.Path)
	if !isFTPClientConfig(p.File.Path) {
		return nil
	}
	eachLine(p.File.Content, func(n int, text string) {
		trimmed := strings.TrimSpace(text)
		if strings.HasPrefix(trimmed, "//") || strings.HasPrefix(trimmed, ";") {
			// sftp-config.json ships with its password line commented out.
			return
		}
		switch {
		case fileZillaNames[b]:
			for _, m := range fileZillaPass.FindAllStringSubmatchIndex(text, -1) {
				if v := text[m[4]:m[5]]; !IsPlaceholder(v) {
					reportValue(p, n, m[4], v, "Saved FileZilla password committed")
				}
			}
		case b == "winscp.ini":
			if m := winSCPPass.FindStringSubmatchIndex(text); m != nil {
				v, off := cleanValue(text[m[4]:], "")
				if !IsPlaceholder(v) {
					reportValue(p, n, m[4]+off, v, "Saved WinSCP password committed")
				}
			}
		default:
			for _, m := range jsonPass.FindAllStringSubmatchIndex(text, -1) {
				if v := text[m[4]:m[5]]; !IsPlaceholder(v) {
					reportValue(p, n, m[4], v, "Saved password in "+quote(b))
				}
			}
		}
	})
	return nil
}
