// Package web serves the pages behind the QR codes GridDesk prints: the
// door plate's public page (一店一码: an entity's colour code, its
// responsibility list and a form to complain or suggest), the public views
// of an inspection report and a rectification notice, and the phone app of
// grid workers (today's visits, the checklist of a scanned shop, new cases)
// and unit members (their unit's tasks with clocks and lights).
//
// Pages are html/template, rendered on the server in Chinese, or English
// when the browser prefers it; templates, CSS and the little script they
// need are embedded (no CDN). The public pages work without script; the
// phone app is one page whose script signs in through POST /api/v1/login,
// keeps the bearer token in localStorage and sends every action through
// the ordinary API (POST /api/v1/commands, /cases, /photos) from a queue in
// IndexedDB with ids made in the browser, so a weak signal never loses or
// doubles anything. No cookie carries authority, so there is nothing for a
// cross-site request to forge; the pages forbid inline script (CSP) so that
// the token in localStorage is out of an injected script's reach.
package web

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"griddesk/domain"
	"griddesk/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options connect the pages to the server that mounts them.
type Options struct {
	Store  *store.Store
	Now    func() time.Time
	Logger *slog.Logger
	// Auth wraps a handler with the API's bearer-token check; roles nil
	// lets any signed-in role through.
	Auth func(roles []domain.Role, next http.HandlerFunc) http.Handler
	// User is the signed-in user of a request that Auth let through.
	User func(ctx context.Context) domain.User
	// Complain records a complaint: its limits, photo, case and contact
	// (the server, which owns the write path and the long-poll wake-ups).
	Complain func(ctx context.Context, c Complaint) (domain.Case, error)
	// Remote is the client address of a request (behind trusted proxies,
	// the one they forwarded); default its peer's.
	Remote func(r *http.Request) string
}

// Complaint is what a citizen sent from a door plate's page, checked.
type Complaint struct {
	Entity   domain.Entity
	Text     string
	Category string // a category key
	Phone    string // "" when none was left; only staff ever see it
	Photo    []byte // nil without one; photo.Check passed
	Remote   string // the sender's address, for the limits
}

// Refusal is a complaint refused for a reason the page explains: Key names
// the message (messages.go), Field the form field it is about.
type Refusal struct {
	Status int
	Field  string
	Key    string
	Detail string
}

func (r *Refusal) Error() string { return r.Detail }

// Pages serves the web pages.
type Pages struct {
	o         Options
	pages     map[string]*template.Template
	staticSum string // a hash of the static files, for cache-busting URLs

	itemsMu sync.Mutex
	items   []domain.CheckItem
	itemsAt time.Time
}

// New parses the embedded templates.
func New(o Options) (*Pages, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Remote == nil {
		o.Remote = func(r *http.Request) string {
			host, _, _ := net.SplitHostPort(r.RemoteAddr)
			return host
		}
	}
	p := &Pages{o: o, pages: map[string]*template.Template{}}
	h := sha256.New()
	err := fs.WalkDir(staticFS, "static", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(name)
		h.Write(b)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	p.staticSum = hex.EncodeToString(h.Sum(nil))[:12]
	funcs := template.FuncMap{"asset": func(name string) string { return "/static/" + name + "?v=" + p.staticSum }}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/plate.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" || name == "plate" { // shared by the pages
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		p.pages[name] = t
	}
	return p, nil
}

// Mount registers the pages and the phone app's API on mux.
func (p *Pages) Mount(mux *http.ServeMux) {
	mux.HandleFunc("GET /p/{token}", p.entityPage)
	mux.HandleFunc("POST /p/{token}", p.complain)
	mux.HandleFunc("GET /p/{token}/i/{id}", p.inspectionPage)
	mux.HandleFunc("GET /p/{token}/notice", p.noticePage)
	mux.HandleFunc("GET /m/{$}", p.app)
	mux.HandleFunc("GET /m", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/m/", http.StatusMovedPermanently) })
	mux.HandleFunc("GET /static/{file}", p.static)
	field := []domain.Role{domain.RoleReporter, domain.RoleTeamLeader, domain.RoleAdmin}
	mux.Handle("GET /api/v1/field/today", p.o.Auth(field, p.today))
	mux.Handle("GET /api/v1/field/entities/{token}", p.o.Auth(field, p.fieldEntity))
	mux.Handle("GET /api/v1/field/tasks", p.o.Auth([]domain.Role{domain.RoleUnitMember, domain.RoleAdmin}, p.tasks))
}

// securityHeaders are sent with every page: no inline script, no framing,
// forms post only here.
func securityHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; "+
		"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
}

// render writes a page; a template error is logged and answered 500.
func (p *Pages) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	t, ok := p.pages[name]
	if !ok {
		p.o.Logger.Error("web: no template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf strings.Builder
	if err := t.ExecuteTemplate(&buf, "layout.html", data); err != nil {
		p.o.Logger.Error("web: render", "page", name, "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	securityHeaders(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write([]byte(buf.String()))
	}
}

// static serves the embedded CSS and script; their URLs carry a hash of
// their content, so they may be cached for a year.
func (p *Pages) static(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	b, err := staticFS.ReadFile("static/" + name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	switch path.Ext(name) {
	case ".css":
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	case ".js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	case ".svg":
		w.Header().Set("Content-Type", "image/svg+xml")
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.URL.Query().Get("v") == p.staticSum {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Write(b)
}

// checkItems returns the catalog, read again at most every few seconds (an
// admin's catalog.put reaches the pages within that).
func (p *Pages) checkItems(ctx context.Context) ([]domain.CheckItem, error) {
	p.itemsMu.Lock()
	defer p.itemsMu.Unlock()
	if p.items != nil && time.Since(p.itemsAt) < 5*time.Second {
		return p.items, nil
	}
	items, err := p.o.Store.CheckItems(ctx)
	if err != nil {
		return nil, fmt.Errorf("web: check items: %w", err)
	}
	p.items, p.itemsAt = items, time.Now()
	return items, nil
}
