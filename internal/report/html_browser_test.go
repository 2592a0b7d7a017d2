package report

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/scorecard"
)

// Environment variables of the browser test.
const (
	// requireChromiumEnv set to 1 turns a missing browser from a skip
	// into a failure, so that CI cannot pass without running the test.
	requireChromiumEnv = "LAUNCHGATE_REQUIRE_CHROMIUM"
	// chromiumEnv names the browser binary when it is not on PATH.
	chromiumEnv = "LAUNCHGATE_CHROMIUM"
	// screenshotDirEnv keeps the screenshots in a directory that outlives
	// the test (a CI artifact); without it they go to t.TempDir().
	screenshotDirEnv = "LAUNCHGATE_SCREENSHOT_DIR"
)

// chromium finds the browser, or skips the test (fails it when the
// environment requires the browser).
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv(chromiumEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("%s=%q: %v", chromiumEnv, p, err)
		}
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no Chromium on PATH (install the chromium package, or set " + chromiumEnv + ")"
	if os.Getenv(requireChromiumEnv) == "1" {
		t.Fatalf("%s, but %s=1 requires the browser test", msg, requireChromiumEnv)
	}
	t.Skip(msg + "; set " + requireChromiumEnv + "=1 to make this a failure")
	return ""
}

// pageEvents records, in the order the browser sends them, what a page
// wrote to its console and which requests it made.
type pageEvents struct {
	mu       sync.Mutex
	problems []string
	requests []string
}

func (e *pageEvents) listen(ev any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			e.problems = append(e.problems, fmt.Sprintf("console.%s called", ev.Type))
		}
	case *runtime.EventExceptionThrown:
		e.problems = append(e.problems, "exception: "+ev.ExceptionDetails.Text)
	case *cdplog.EventEntryAdded:
		// CSP violations, failed loads and deprecations land here.
		if ev.Entry.Level == cdplog.EntryLevelError || ev.Entry.Level == cdplog.EntryLevelWarning {
			e.problems = append(e.problems, fmt.Sprintf("log %s (%s): %s", ev.Entry.Level, ev.Entry.Source, ev.Entry.Text))
		}
	case *network.EventRequestWillBeSent:
		e.requests = append(e.requests, ev.Request.URL)
	}
}

func (e *pageEvents) snapshot() (problems, requests []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.problems...), append([]string(nil), e.requests...)
}

// pageCheck is what the page itself reports about how it rendered.
type pageCheck struct {
	ScorecardVisible bool     `json:"scorecardVisible"`
	ScorecardTop     float64  `json:"scorecardTop"`
	ViewportHeight   float64  `json:"viewportHeight"`
	Tiles            int      `json:"tiles"`
	FailTiles        int      `json:"failTiles"`
	Verdict          string   `json:"verdict"`
	BodyBackground   string   `json:"bodyBackground"`
	Injected         int      `json:"injected"`
	XSS              bool     `json:"xss"`
	LowContrast      []string `json:"lowContrast"`
}

// pageCheckJS measures the page in the browser. Contrast follows WCAG 2:
// each element with its own text is compared against the first opaque
// background behind it; large text (24px, or 18.66px bold) needs 3:1,
// the rest 4.5:1.
const pageCheckJS = `(() => {
  const sc = document.getElementById('scorecard');
  const r = sc ? sc.getBoundingClientRect() : null;
  const cs = sc ? getComputedStyle(sc) : null;
  const rgb = s => { const m = s.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(',').map(x => parseFloat(x)); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const bgOf = el => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0.5) return c; } return rgb(getComputedStyle(document.documentElement).backgroundColor) || {r: 255, g: 255, b: 255, a: 1}; };
  const low = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim() !== '');
    if (!own || el.getClientRects().length === 0) continue;
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden' || parseFloat(st.opacity) === 0) continue;
    if (el.closest('.skip')) continue;
    const fg = rgb(st.color), bg = bgOf(el);
    const l1 = lum(fg), l2 = lum(bg);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(st.fontSize), bold = parseInt(st.fontWeight, 10) >= 700;
    const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    if (ratio < need) low.push(el.tagName.toLowerCase() + '.' + el.className + ' "' + el.textContent.trim().slice(0, 40) + '" ' + ratio.toFixed(2) + ':1 < ' + need + ':1');
  }
  return {
    scorecardVisible: !!(r && r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none'),
    scorecardTop: r ? r.top : -1,
    viewportHeight: window.innerHeight,
    tiles: document.querySelectorAll('#scorecard .tile').length,
    failTiles: document.querySelectorAll('#scorecard .tile-fail').length,
    verdict: (document.querySelector('.verdict-word') || {}).textContent || '',
    bodyBackground: getComputedStyle(document.body).backgroundColor,
    injected: document.querySelectorAll('script, img, svg, iframe, [onerror], [onload]').length,
    xss: window.__xss !== undefined,
    lowContrast: low,
  };
})()`

// browser starts headless Chromium for the test, or skips the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	bin := chromium(t)
	// The deadline only stops a browser that hangs; a healthy run takes
	// a few seconds.
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "profile")),
		// The sandbox needs user namespaces, which containers and root
		// users often lack; the pages are our own files.
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("hide-scrollbars", true),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	return browserCtx
}

// visit writes page to a file, opens it in a new tab in the given colour
// scheme and waits for the scorecard. It returns the tab, with the
// events it records.
func visit(t *testing.T, browserCtx context.Context, name, page, scheme string) (context.Context, string, *pageEvents) {
	t.Helper()
	file := filepath.Join(t.TempDir(), name+".html")
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	pageURL := (&url.URL{Scheme: "file", Path: filepath.ToSlash(file)}).String()
	events := &pageEvents{}
	tab, closeTab := chromedp.NewContext(browserCtx, chromedp.WithListener(events.listen))
	t.Cleanup(closeTab)
	if _, err := chromedp.Call(tab, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	}); err != nil {
		t.Fatalf("emulate the %s scheme: %v", scheme, err)
	}
	if err := chromedp.Do(tab,
		chromedp.Navigate(pageURL),
		chromedp.WaitVisible(chromedp.ID("scorecard")),
	); err != nil {
		t.Fatalf("open %s: %v", pageURL, err)
	}
	return tab, pageURL, events
}

// TestHTMLInChromium opens the report in headless Chromium, in light and
// dark colour schemes and with hostile content, and checks that it renders
// with no console errors, makes no request besides the file itself, shows
// the scorecard at the top, keeps text readable, and prints. Screenshots
// are kept in $LAUNCHGATE_SCREENSHOT_DIR when it is set.
func TestHTMLInChromium(t *testing.T) {
	browserCtx := browser(t)
	shots := os.Getenv(screenshotDirEnv)
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		res     Result
		scheme  string
		verdict string
		fails   int
	}{
		{name: "light", res: fixture(), scheme: "light", verdict: "FAIL", fails: 2},
		{name: "dark", res: fixture(), scheme: "dark", verdict: "FAIL", fails: 2},
		{name: "hostile", res: hostileResult(), scheme: "light", verdict: "FAIL", fails: 1},
		{name: "clean", res: Result{Scorecard: scorecardClean(), FailOn: finding.SeverityHigh}, scheme: "dark", verdict: "PASS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, pageURL, events := visit(t, browserCtx, tt.name, render(t, "html", tt.res), tt.scheme)
			got, err := chromedp.Run(tab, chromedp.Evaluate[pageCheck](pageCheckJS))
			if err != nil {
				t.Fatalf("measure page: %v", err)
			}

			if !got.ScorecardVisible || got.ScorecardTop < 0 || got.ScorecardTop >= got.ViewportHeight {
				t.Errorf("scorecard visible %v at y=%v; want it visible in the first %v pixels", got.ScorecardVisible, got.ScorecardTop, got.ViewportHeight)
			}
			if got.Tiles != len(tt.res.Scorecard) || got.FailTiles != tt.fails {
				t.Errorf("%d tiles, %d failing; want %d and %d", got.Tiles, got.FailTiles, len(tt.res.Scorecard), tt.fails)
			}
			if got.Verdict != tt.verdict {
				t.Errorf("verdict %q, want %q", got.Verdict, tt.verdict)
			}
			wantBG := map[string]string{"light": "rgb(245, 246, 248)", "dark": "rgb(13, 17, 23)"}[tt.scheme]
			if got.BodyBackground != wantBG {
				t.Errorf("body background %s in the %s scheme, want %s", got.BodyBackground, tt.scheme, wantBG)
			}
			if got.Injected != 0 || got.XSS {
				t.Errorf("content became markup: %d injected elements, script ran: %v", got.Injected, got.XSS)
			}
			for _, c := range got.LowContrast {
				t.Errorf("low contrast in the %s scheme: %s", tt.scheme, c)
			}

			shot, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot: %v", err)
			}
			img, err := png.DecodeConfig(bytes.NewReader(shot))
			if err != nil || img.Width < 1000 || float64(img.Height) < got.ViewportHeight {
				t.Errorf("screenshot is not a full-page PNG: %dx%d, %v", img.Width, img.Height, err)
			}
			path := filepath.Join(shots, "report-"+tt.name+".png")
			if err := os.WriteFile(path, shot, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot: %s", path)

			pdf, err := chromedp.Run(tab, chromedp.PrintToPDF(chromedp.PDFPrintBackground()))
			if err != nil {
				t.Fatalf("print: %v", err)
			}
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Errorf("print gave no PDF: %q", pdf[:min(len(pdf), 8)])
			}

			problems, requests := events.snapshot()
			for _, p := range problems {
				t.Errorf("console: %s", p)
			}
			for _, r := range requests {
				if r != pageURL {
					t.Errorf("the page requested %s", truncate(r, 120))
				}
			}
			if len(requests) == 0 {
				t.Errorf("saw no request at all, not even %s: the network log is not working", pageURL)
			}
		})
	}
}

func scorecardClean() []scorecard.Check {
	return scorecard.Build(nil, scorecard.Coverage{"secrets": {What: "12 files"}})
}

// TestChromiumChecksCatchProblems loads pages that misbehave in the same
// browser, to show that the checks above can fail: a page that fetches
// from a local server, logs an error and throws is caught, and so is one
// whose fetch the report's Content-Security-Policy blocks. The browser
// announces even a blocked request, so the request check catches an
// attempt, not only a fetch.
func TestChromiumChecksCatchProblems(t *testing.T) {
	browserCtx := browser(t)
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	const csp = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`
	body := `<section id="scorecard"><p>x</p></section><img src="` + srv.URL + `/pixel.png" alt="">` +
		`<script>console.error("boom"); throw new Error("bad");</script>`

	tests := []struct {
		name         string
		head         string
		wantHits     bool
		wantProblems []string
	}{
		{name: "open page", wantHits: true, wantProblems: []string{"console.error", "exception"}},
		{name: "blocked page", head: csp, wantProblems: []string{"Content Security Policy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">" + tt.head + "<title>t</title></head><body>" + body + "</body></html>"
			before := hits.Load()
			tab, pageURL, events := visit(t, browserCtx, strings.ReplaceAll(tt.name, " ", "-"), page, "light")
			// A round trip after the load lets late events arrive.
			if _, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.images.length`)); err != nil {
				t.Fatal(err)
			}
			problems, requests := events.snapshot()
			all := strings.Join(problems, "\n")
			for _, want := range tt.wantProblems {
				if !strings.Contains(all, want) {
					t.Errorf("no problem mentions %q; got:\n%s", want, all)
				}
			}
			other := 0
			for _, r := range requests {
				if r != pageURL {
					other++
				}
			}
			if other == 0 {
				t.Errorf("requests = %q; want the page's attempt to load %s/pixel.png", requests, srv.URL)
			}
			if got := hits.Load() > before; got != tt.wantHits {
				t.Errorf("the server was reached: %v, want %v", got, tt.wantHits)
			}
		})
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// TestPageEventsCatchProblems makes sure the event checks can fail: an
// exception, a console error, a CSP report and a request are recorded.
func TestPageEventsCatchProblems(t *testing.T) {
	e := &pageEvents{}
	e.listen(&runtime.EventConsoleAPICalled{Type: runtime.ConsoleAPICalledTypeError})
	e.listen(&runtime.EventConsoleAPICalled{Type: runtime.ConsoleAPICalledTypeLog})
	e.listen(&runtime.EventExceptionThrown{ExceptionDetails: &runtime.ExceptionDetails{Text: "Uncaught"}})
	e.listen(&cdplog.EventEntryAdded{Entry: &cdplog.Entry{Level: cdplog.EntryLevelError, Source: cdplog.EntrySourceSecurity, Text: "Refused to load"}})
	e.listen(&network.EventRequestWillBeSent{Request: &network.Request{URL: "https://fonts.example.test/x.woff2"}})
	problems, requests := e.snapshot()
	if len(problems) != 3 || !strings.Contains(strings.Join(problems, "|"), "Refused to load") {
		t.Errorf("problems = %q, want the console error, the exception and the log error", problems)
	}
	if len(requests) != 1 {
		t.Errorf("requests = %q, want one", requests)
	}
}
