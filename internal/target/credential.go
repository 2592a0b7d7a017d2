package target

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/textproto"
	"os"
	"sort"
	"strings"
)

// Credential is what makes a request come from one test user: headers
// (Authorization, an API key, Cookie). Its values are never printed: the
// String and GoString methods name only the headers.
type Credential struct {
	// Label names the user in messages ("A", "B").
	Label  string
	header http.Header
}

// String names the credential without its values.
func (c *Credential) String() string {
	if c == nil {
		return "no credential"
	}
	return fmt.Sprintf("credential %s (%s)", c.Label, strings.Join(c.Names(), ", "))
}

// GoString keeps %#v from printing values too.
func (c *Credential) GoString() string { return c.String() }

// Names lists the header names the credential sets.
func (c *Credential) Names() []string {
	if c == nil {
		return nil
	}
	names := make([]string, 0, len(c.header))
	for k := range c.header {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// Secrets returns the credential's values (whole header values and each
// cookie's value), so the driver can scrub them from anything it prints.
func (c *Credential) Secrets() []string {
	if c == nil {
		return nil
	}
	var out []string
	for k, vs := range c.header {
		for _, v := range vs {
			out = append(out, v)
			switch k {
			case "Cookie":
				for _, ck := range parseCookiePairs(v) {
					out = append(out, ck.value)
				}
			case "Authorization":
				if _, tok, ok := strings.Cut(v, " "); ok {
					out = append(out, strings.TrimSpace(tok))
				}
			}
		}
	}
	return out
}

// apply sets the credential's headers on h; cookies are added to any
// the request already carries.
func (c *Credential) apply(h http.Header) {
	for k, vs := range c.header {
		if k == "Cookie" && h.Get("Cookie") != "" {
			h.Set("Cookie", h.Get("Cookie")+"; "+strings.Join(vs, "; "))
			continue
		}
		h[k] = append([]string(nil), vs...)
	}
}

// strip removes the credential's headers from h.
func (c *Credential) strip(h http.Header) {
	for k := range c.header {
		h.Del(k)
	}
}

// Cookies reports whether the credential is a cookie.
func (c *Credential) Cookies() bool { return c != nil && c.header.Get("Cookie") != "" }

// ParseCredential reads a credential as given on the command line:
// "Header: value", "@file" (a header file, one "Header: value" a line,
// or a Netscape cookie file as curl and browsers export it), or a bare
// token, sent as "Authorization: Bearer TOKEN". Errors never repeat the
// value.
func ParseCredential(label, arg string) (*Credential, error) {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		return nil, fmt.Errorf("credential %s is empty", label)
	}
	c := &Credential{Label: label, header: http.Header{}}
	if name, ok := strings.CutPrefix(arg, "@"); ok {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("credential %s: read %q: %w", label, name, errNoValue(err))
		}
		if err := c.parseFile(name, data); err != nil {
			return nil, err
		}
		return c, nil
	}
	if k, v, ok := headerLine(arg); ok {
		c.add(k, v)
		return c, nil
	}
	if strings.ContainsAny(arg, " \t\r\n") {
		return nil, fmt.Errorf("credential %s: want \"Header: value\", @FILE or a bare token", label)
	}
	c.add("Authorization", "Bearer "+arg)
	return c, nil
}

// errNoValue keeps only the operation and path of a file error.
func errNoValue(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func (c *Credential) add(k, v string) {
	k = textproto.CanonicalMIMEHeaderKey(k)
	if k == "Cookie" && c.header.Get("Cookie") != "" {
		c.header.Set("Cookie", c.header.Get("Cookie")+"; "+v)
		return
	}
	c.header.Add(k, v)
}

// headerLine splits "Name: value" when Name is a valid header name.
func headerLine(s string) (string, string, bool) {
	k, v, ok := strings.Cut(s, ":")
	if !ok || k == "" {
		return "", "", false
	}
	for _, r := range k {
		if !isTokenRune(r) {
			return "", "", false
		}
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return "", "", false
	}
	return k, v, true
}

func isTokenRune(r rune) bool {
	return r < 127 && r > 32 && !strings.ContainsRune("()<>@,;:\\\"/[]?={} \t", r)
}

// parseFile reads a header file or a Netscape cookie file.
func (c *Credential) parseFile(name string, data []byte) error {
	if isCookieFile(data) {
		var pairs []string
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimRight(sc.Text(), "\r")
			// curl marks HttpOnly cookies with this prefix; they are
			// cookies like the others.
			line = strings.TrimPrefix(line, "#HttpOnly_")
			if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
				continue
			}
			f := strings.Split(line, "\t")
			if len(f) != 7 {
				return fmt.Errorf("credential %s: %s:%d: a cookie line has 7 tab-separated fields, this one has %d", c.Label, name, n, len(f))
			}
			if f[5] == "" || !validCookieName(f[5]) {
				return fmt.Errorf("credential %s: %s:%d: bad cookie name", c.Label, name, n)
			}
			pairs = append(pairs, f[5]+"="+f[6])
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("credential %s: read %s: %w", c.Label, name, err)
		}
		if len(pairs) == 0 {
			return fmt.Errorf("credential %s: %s holds no cookies", c.Label, name)
		}
		c.add("Cookie", strings.Join(pairs, "; "))
		return nil
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := headerLine(line)
		if !ok {
			return fmt.Errorf("credential %s: %s:%d: want \"Header: value\"", c.Label, name, n)
		}
		c.add(k, v)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("credential %s: read %s: %w", c.Label, name, err)
	}
	if len(c.header) == 0 {
		return fmt.Errorf("credential %s: %s holds no headers", c.Label, name)
	}
	return nil
}

// isCookieFile recognises the Netscape format by its header comment or by
// a first data line of seven tab-separated fields.
func isCookieFile(data []byte) bool {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "# Netscape HTTP Cookie File") || strings.HasPrefix(line, "# HTTP Cookie File") {
			return true
		}
		if strings.HasPrefix(line, "#HttpOnly_") {
			return true
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		return strings.Count(sc.Text(), "\t") == 6
	}
	return false
}

func validCookieName(s string) bool {
	for _, r := range s {
		if !isTokenRune(r) {
			return false
		}
	}
	return true
}

type cookiePair struct{ name, value string }

func parseCookiePairs(v string) []cookiePair {
	var out []cookiePair
	for _, part := range strings.Split(v, ";") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && k != "" {
			out = append(out, cookiePair{k, val})
		}
	}
	return out
}

// Forged returns a credential with the same headers as c but values no
// server should accept: an expired, wrongly signed JWT where c sends a
// bearer token (or where c is nil), junk of the same length for cookies
// and other headers. A server that accepts it does not check tokens.
func (c *Credential) Forged() *Credential {
	f := &Credential{Label: "forged", header: http.Header{}}
	if c == nil || len(c.header) == 0 {
		f.header.Set("Authorization", "Bearer "+ExpiredJWT())
		return f
	}
	for k, vs := range c.header {
		for _, v := range vs {
			switch k {
			case "Cookie":
				var parts []string
				for _, p := range parseCookiePairs(v) {
					parts = append(parts, p.name+"="+junk(len(p.value)))
				}
				f.header.Add(k, strings.Join(parts, "; "))
			case "Authorization":
				scheme, _, _ := strings.Cut(v, " ")
				if strings.EqualFold(scheme, "Bearer") {
					f.header.Add(k, "Bearer "+ExpiredJWT())
				} else {
					f.header.Add(k, scheme+" "+junk(24))
				}
			default:
				f.header.Add(k, junk(len(v)))
			}
		}
	}
	return f
}

// ExpiredJWT returns a well-formed HS256 token that expired in 2001,
// signed with a random key: it must be refused for its signature and for
// its age.
func ExpiredJWT() string {
	enc := base64.RawURLEncoding
	head := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	body := enc.EncodeToString([]byte(`{"sub":"launchgate-probe","iat":978307200,"exp":978310800}`))
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(head + "." + body))
	return head + "." + body + "." + enc.EncodeToString(m.Sum(nil))
}

func junk(n int) string {
	if n < 8 {
		n = 8
	}
	if n > 256 {
		n = 256
	}
	b := make([]byte, (n+1)/2)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)[:n]
}
