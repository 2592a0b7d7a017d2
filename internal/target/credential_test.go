package target

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseCredential(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	headers := write("headers.txt", "# user A\nAuthorization: Bearer tok-a-123\n\nX-Tenant: acme\n")
	jar := write("cookies.txt", "# Netscape HTTP Cookie File\n"+
		".example.test\tTRUE\t/\tTRUE\t0\tsid\tabc123\n"+
		"#HttpOnly_.example.test\tTRUE\t/\tTRUE\t0\tauth\tdef456\n")
	badLine := write("bad.txt", "Authorization: Bearer x\nnot a header\n")
	badJar := write("badjar.txt", "# Netscape HTTP Cookie File\nexample.test\tTRUE\t/\n")
	empty := write("empty.txt", "# nothing\n")

	tests := []struct {
		name    string
		arg     string
		want    http.Header
		wantErr string
	}{
		{"header", "X-Api-Key: k-1", http.Header{"X-Api-Key": {"k-1"}}, ""},
		{"lower-case header", "authorization:Bearer z", http.Header{"Authorization": {"Bearer z"}}, ""},
		{"bare token", "tok.en-1", http.Header{"Authorization": {"Bearer tok.en-1"}}, ""},
		{"cookie header", "Cookie: a=1; b=2", http.Header{"Cookie": {"a=1; b=2"}}, ""},
		{"header file", "@" + headers, http.Header{"Authorization": {"Bearer tok-a-123"}, "X-Tenant": {"acme"}}, ""},
		{"cookie file", "@" + jar, http.Header{"Cookie": {"sid=abc123; auth=def456"}}, ""},
		{"empty", "  ", nil, "credential A is empty"},
		{"spaces without header", "two words", nil, `want "Header: value"`},
		{"missing file", "@" + filepath.Join(dir, "nope"), nil, "no such file"},
		{"bad header line", "@" + badLine, nil, "bad.txt:2: want \"Header: value\""},
		{"bad cookie line", "@" + badJar, nil, "badjar.txt:2: a cookie line has 7 tab-separated fields, this one has 3"},
		{"empty file", "@" + empty, nil, "holds no headers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseCredential("A", tt.arg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, c.header); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCredentialNeverPrinted: formatting a credential any way shows the
// header names, never the values; errors do not echo them either.
func TestCredentialNeverPrinted(t *testing.T) {
	secret := "s3cr3t-" + strings.Repeat("q", 20)
	c, err := ParseCredential("A", "Authorization: Bearer "+secret)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s", c, c, c, c), c.String()} {
		if strings.Contains(s, secret) {
			t.Errorf("credential printed its value: %q", s)
		}
		if !strings.Contains(s, "Authorization") {
			t.Errorf("credential does not name its header: %q", s)
		}
	}
	_, err = ParseCredential("A", "not a header "+secret)
	if err == nil || strings.Contains(err.Error(), secret) {
		t.Errorf("error echoes the value: %v", err)
	}
	found := false
	for _, v := range c.Secrets() {
		if v == secret {
			found = true
		}
	}
	if !found {
		t.Errorf("Secrets() = %d values, none the token", len(c.Secrets()))
	}
}

// apiKey is made at run time so that this file holds nothing key-shaped.
var apiKey = "key-" + strings.Repeat("x", 10)

func TestForged(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want func(t *testing.T, h http.Header)
	}{
		{"nil credential", "", func(t *testing.T, h http.Header) {
			if !strings.HasPrefix(h.Get("Authorization"), "Bearer ey") {
				t.Errorf("Authorization = %q, want a JWT", h.Get("Authorization"))
			}
		}},
		{"bearer", "Authorization: Bearer real-token-123", func(t *testing.T, h http.Header) {
			if v := h.Get("Authorization"); !strings.HasPrefix(v, "Bearer ey") || strings.Contains(v, "real-token") {
				t.Errorf("Authorization = %q", v)
			}
		}},
		{"cookie", "Cookie: sid=abcdefgh; theme=dark", func(t *testing.T, h http.Header) {
			v := h.Get("Cookie")
			if !strings.HasPrefix(v, "sid=") || !strings.Contains(v, "; theme=") || strings.Contains(v, "abcdefgh") {
				t.Errorf("Cookie = %q", v)
			}
		}},
		{"api key", "X-Api-Key: " + apiKey, func(t *testing.T, h http.Header) {
			if v := h.Get("X-Api-Key"); v == "" || v == apiKey {
				t.Errorf("X-Api-Key = %q", v)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c *Credential
			if tt.in != "" {
				c = mustCred(t, tt.in)
			}
			tt.want(t, c.Forged().header)
		})
	}
	if jwt := ExpiredJWT(); strings.Count(jwt, ".") != 2 {
		t.Errorf("ExpiredJWT() = %q, want three parts", jwt)
	}
}

func FuzzParseCredential(f *testing.F) {
	dir := f.TempDir()
	for _, seed := range []string{
		"Authorization: Bearer x", "tok", "@", "X: ", ": v", "Cookie: a=b",
		"# Netscape HTTP Cookie File\n.a\tTRUE\t/\tTRUE\t0\tsid\tv\n",
		"#HttpOnly_.a\tTRUE\t/\tTRUE\t0\tsid\tv\n", "A: b\r\nC: d\n", "\t\t\t\t\t\t\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// The same bytes as an argument and as a file.
		if c, err := ParseCredential("A", s); err == nil {
			_ = c.String()
			_ = c.Forged()
		}
		p := filepath.Join(dir, "cred")
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := ParseCredential("A", "@"+p)
		if err != nil {
			// Only content long enough not to occur in the message by
			// chance (in the file's path, say) can be said to be echoed.
			if content := strings.TrimSpace(s); len(content) >= 12 && strings.Contains(err.Error(), content) {
				t.Errorf("error echoes the file's content: %v", err)
			}
			return
		}
		if len(c.Names()) == 0 {
			t.Errorf("parsed a credential with no headers from %q", s)
		}
	})
}
