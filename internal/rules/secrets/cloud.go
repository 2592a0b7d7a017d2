package secrets

import (
	"regexp"
	"strings"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

// AWSCredentialsFile finds secret keys in AWS CLI credential files.
var AWSCredentialsFile = &rule.Rule{
	ID:       "secrets/aws-credentials-file",
	Check:    "secrets",
	Severity: finding.SeverityCritical,
	Title:    "AWS secret key in a CLI credentials file",
	Doc: "An AWS shared credentials file (.aws/credentials, or .aws/config with keys in it) " +
		"sets aws_secret_access_key or aws_session_token. With the key ID next to it, that is " +
		"full API access as that IAM user: attackers scan public commits for these within " +
		"minutes and start instances or read buckets.",
	Fix: "Deactivate and delete the access key in IAM now, review CloudTrail for its use, and " +
		"create a new key only if you need one. Prefer short-lived credentials (SSO, OIDC roles " +
		"for CI) and keep ~/.aws outside the repository.",
	Needs: rule.Files,
	Run: func(p *rule.Pass) error {
		b := base(p.File.Path)
		if b != "credentials" && (b != "config" || !inDir(p.File.Path, ".aws")) {
			return nil
		}
		eachLine(p.File.Content, func(n int, text string) {
			m := awsSecretLine.FindStringSubmatchIndex(text)
			if m == nil {
				return
			}
			v, off := cleanValue(text[m[4]:], "#;")
			if IsPlaceholder(v) {
				return
			}
			reportValue(p, n, m[4]+off, v, strings.ToLower(text[m[2]:m[3]])+" in AWS credentials file")
		})
		return nil
	},
}

var awsSecretLine = regexp.MustCompile(`(?i)^\s*(aws_secret_access_key|aws_session_token)\s*=(.*)$`)

// GcloudCredentials finds the Google Cloud CLI's own credential stores.
var GcloudCredentials = &rule.Rule{
	ID:       "secrets/gcloud-credentials",
	Check:    "secrets",
	Severity: finding.SeverityCritical,
	Title:    "Google Cloud CLI credentials committed",
	Doc: "Files from the gcloud configuration directory are in the repository: " +
		"application_default_credentials.json (a refresh token or key for your user or a " +
		"service account), credentials.db and access_tokens.db, or legacy_credentials/. They " +
		"grant the same access to Google Cloud as the person who ran `gcloud auth login`.",
	Fix: "Revoke the grants (`gcloud auth revoke`, or delete the service account key), delete " +
		"the files and keep the gcloud directory out of the repository; in CI use workload " +
		"identity federation instead of stored credentials.",
	Needs: rule.Files,
	Run:   runGcloud,
}

var adcSecret = regexp.MustCompile(`"(refresh_token|private_key)"\s*:\s*"((?:[^"\\]|\\.)*)"`)

func runGcloud(p *rule.Pass) error {
	b := base(p.File.Path)
	switch {
	case b == "application_default_credentials.json":
		// The content says what is in it: report the token itself.
		eachLine(p.File.Content, func(n int, text string) {
			for _, m := range adcSecret.FindAllStringSubmatchIndex(text, -1) {
				v := text[m[4]:m[5]]
				if !IsPlaceholder(v) {
					reportValue(p, n, m[4], v, text[m[2]:m[3]]+" in application default credentials")
				}
			}
		})
	case !p.File.Whole || len(p.File.Content) == 0:
	case (b == "credentials.db" || b == "access_tokens.db") && inDir(p.File.Path, "gcloud"):
		reportFile(p, "gcloud credential database committed")
	case inDir(p.File.Path, "legacy_credentials"):
		reportFile(p, "gcloud legacy credentials committed")
	}
	return nil
}

// ServiceAccountKey finds Google service account key files.
var ServiceAccountKey = &rule.Rule{
	ID:       "secrets/gcp-service-account-key",
	Check:    "secrets",
	Severity: finding.SeverityCritical,
	Title:    "Google service account key committed",
	Doc: "A JSON file has \"type\": \"service_account\" and a \"private_key\": it is a downloaded " +
		"service account key. It does not expire, and it acts with every role the service " +
		"account holds, from any machine.",
	Fix: "Delete the key in IAM (Service accounts → Keys) and check the audit logs for its use. " +
		"Use workload identity (or attached service accounts) instead of key files; if a key " +
		"file is unavoidable, mount it from a secret store at run time.",
	Needs: rule.Files,
	Run: func(p *rule.Pass) error {
		if ext(p.File.Path) != ".json" || !serviceAccountType.Match(p.File.Content) {
			return nil
		}
		eachLine(p.File.Content, func(n int, text string) {
			m := serviceAccountPrivateKey.FindStringSubmatchIndex(text)
			if m == nil {
				return
			}
			v := text[m[2]:m[3]]
			if !strings.Contains(v, "PRIVATE KEY") || IsPlaceholder(v) {
				return
			}
			reportValue(p, n, m[2], v, "Google service account private key committed")
		})
		return nil
	},
}

var (
	serviceAccountType       = regexp.MustCompile(`"type"\s*:\s*"service_account"`)
	serviceAccountPrivateKey = regexp.MustCompile(`"private_key"\s*:\s*"((?:[^"\\]|\\.)*)"`)
)

// AzureTokenCache finds the Azure CLI's token caches.
var AzureTokenCache = &rule.Rule{
	ID:       "secrets/azure-token-cache",
	Check:    "secrets",
	Severity: finding.SeverityCritical,
	Title:    "Azure CLI token cache committed",
	Doc: "A file from the Azure CLI's configuration directory is in the repository: " +
		"accessTokens.json, msal_token_cache.json/.bin or service_principal_entries.json. They " +
		"hold refresh tokens or service principal secrets that sign in to your tenant as the " +
		"user or principal that created them.",
	Fix: "Sign the user out everywhere (revoke sessions in Entra ID) or reset the service " +
		"principal's secret, delete the file and keep .azure/ out of the repository; in CI use " +
		"federated credentials (OIDC).",
	Needs: rule.Files,
	Run: func(p *rule.Pass) error {
		if !p.File.Whole || len(p.File.Content) == 0 {
			return nil
		}
		b := base(p.File.Path)
		if strings.HasPrefix(b, "msal_token_cache.") ||
			(b == "accesstokens.json" || b == "service_principal_entries.json") && inDir(p.File.Path, ".azure") {
			reportFile(p, "Azure CLI token cache "+quote(b)+" committed")
		}
		return nil
	},
}

// Kubeconfig finds cluster credentials in kubeconfig files.
var Kubeconfig = &rule.Rule{
	ID:       "secrets/kubeconfig-credential",
	Check:    "secrets",
	Severity: finding.SeverityCritical,
	Title:    "Cluster credential in kubeconfig",
	Doc: "A kubeconfig (.kube/config, a file named kubeconfig, or YAML with kind: Config and " +
		"users) has a user with a bearer token, a client key, or a password. Whoever has it can " +
		"talk to the cluster's API server with that user's rights, which for the admin config " +
		"a cluster hands out at creation is everything.",
	Fix: "Revoke the credential: delete the service account token secret, rotate the client " +
		"certificate authority or user certificate, or reset the password. Delete the file and " +
		"use your provider's exec credential plugin or OIDC so the config holds no secret.",
	Needs: rule.Files,
	Run: func(p *rule.Pass) error {
		if !isKubeconfig(p.File) {
			return nil
		}
		eachLine(p.File.Content, func(n int, text string) {
			m := kubeSecretLine.FindStringSubmatchIndex(text)
			if m == nil {
				return
			}
			v, off := cleanValue(text[m[4]:], "#")
			if IsPlaceholder(v) {
				return
			}
			reportValue(p, n, m[4]+off, v, text[m[2]:m[3]]+" in kubeconfig")
		})
		return nil
	},
}

var (
	kubeSecretLine = regexp.MustCompile(`^\s*(?:-\s+)?(token|client-key-data|password|id-token|refresh-token|access-token)\s*:(.*)$`)
	kubeKind       = regexp.MustCompile(`(?m)^kind:\s*["']?Config["']?\s*$`)
	kubeUsers      = regexp.MustCompile(`(?m)^users:`)
)

// isKubeconfig recognises kubeconfigs by path, or YAML by its shape.
func isKubeconfig(f *rule.File) bool {
	b := base(f.Path)
	if b == "config" && parentDir(f.Path) == ".kube" {
		return true
	}
	if strings.HasPrefix(b, "kubeconfig") || ext(f.Path) == ".kubeconfig" {
		return true
	}
	switch ext(f.Path) {
	case ".yml", ".yaml", "":
		return kubeKind.Match(f.Content) && kubeUsers.Match(f.Content)
	}
	return false
}
