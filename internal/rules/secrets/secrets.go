// Package secrets holds launchgate's own secret rules: credential files
// that should never be committed, passwords in URLs and connection
// strings, and secrets assigned in configuration. Vendor token patterns
// come from the gitleaks rules and are not repeated here.
//
// Every rule agrees on what is not a secret through IsPlaceholder, and
// reports the raw value as Finding.Secret (the driver redacts it). Rules
// about a file as such report line 0 with a digest of the content as the
// secret, and only when they see the whole file.
package secrets

import "github.com/launchgate/launchgate/internal/rule"

// Rules lists every rule of this package.
var Rules = []*rule.Rule{
	PrivateKeyFile,
	KeystoreFile,
	NpmrcAuth,
	YarnrcAuth,
	PypircPassword,
	DockerConfigAuth,
	NetrcPassword,
	HtpasswdEntry,
	AWSCredentialsFile,
	GcloudCredentials,
	ServiceAccountKey,
	AzureTokenCache,
	Kubeconfig,
	DotenvSecret,
	DatabaseDump,
	HistoryFile,
	FTPClientConfig,
	PasswordInURL,
	ConfigSecret,
	PublicEnvSecret,
	PublicSourceMap,
}
