// Package github is the only part of launchgate that talks to the GitHub
// API or reads the Actions runner: the event that started a workflow, the
// action's inputs and outputs, workflow commands, the job summary, the
// check run, and the git fetches a shallow checkout needs.
package github

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	gogithub "github.com/google/go-github/v62/github"
)

// DefaultAPIURL is the REST API of github.com; GitHub Enterprise Server
// runners set GITHUB_API_URL to their own (https://HOST/api/v3).
const DefaultAPIURL = "https://api.github.com"

// API is a client of the GitHub REST API.
type API struct {
	gh *gogithub.Client
}

// NewAPI returns a client of the REST API at apiURL, authenticated with
// token, retrying as retry says. transport is the HTTP transport to use;
// nil means the default.
func NewAPI(apiURL, token, userAgent string, retry *Retry, transport http.RoundTripper) (*API, error) {
	if apiURL == "" {
		apiURL = DefaultAPIURL
	}
	u, err := url.Parse(apiURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("GITHUB_API_URL %q is not an http(s) URL", apiURL)
	}
	// The client resolves paths such as "repos/o/r/check-runs" against the
	// base, so it must end in a slash: /api/v3 would lose its last part.
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	if transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.ResponseHeaderTimeout = time.Minute
		transport = t
	}
	c := gogithub.NewClient(&http.Client{Transport: &retryTransport{base: transport, retry: retry}})
	if token != "" {
		c = c.WithAuthToken(token)
	}
	c.BaseURL, c.UploadURL = u, u
	if userAgent != "" {
		c.UserAgent = userAgent
	}
	return &API{gh: c}, nil
}
