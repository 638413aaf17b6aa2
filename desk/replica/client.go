// Package replica keeps the desk's local SQLite copy in step with the server
// (DESIGN.md §4): a resty client for the REST API, and a loop that pulls the
// change feed in page-sized transactions, keeps the cursor, long-polls for
// news and backs off while the server is away.
//
// (Named replica rather than sync so it does not shadow the standard library.)
package replica

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"

	"griddesk/core/kpi"
	"griddesk/domain"
	"griddesk/domain/photo"
)

// Problem is an API error (RFC 9457 problem+json).
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Field  string `json:"field"`
	// Code and Params name the message in the user's language (command refusals).
	Code   string            `json:"code,omitempty"`
	Params map[string]string `json:"params,omitempty"`
}

func (p *Problem) Error() string {
	msg := p.Title
	if p.Detail != "" {
		msg += ": " + p.Detail
	}
	return fmt.Sprintf("server said %d %s", p.Status, msg)
}

// ErrUnauthorized means the credentials or the token were refused.
var ErrUnauthorized = errors.New("unauthorized")

// Page is one answer of GET /api/v1/changes.
type Page struct {
	Changes  []domain.Change `json:"changes"`
	LastSeq  int64           `json:"last_seq"`
	More     bool            `json:"more"`
	ServerID string          `json:"server_id"`
}

// Health is the answer of GET /healthz.
type Health struct {
	Status   string `json:"status"`
	ServerID string `json:"server_id"`
	LastSeq  int64  `json:"last_seq"`
}

// Client talks to a GridDesk server: one URL, a load balancer's, or the
// URLs of several server nodes over one database. With several, it sends
// to the node that answered last and moves to the next when that one does
// not answer (no connection, or a gateway's 502/503/504). Every node takes
// the same token (sessions live in the database) and names the same
// database, so the copy goes on where it was; a call that is safe to send
// twice (reads, sign-in, photos named by their content, commands named by
// their ID) is sent again to the next node at once.
type Client struct {
	r    *resty.Client
	urls []string
	cur  atomic.Int32 // index in urls of the node in use

	mu     sync.Mutex
	token  string
	user   domain.User
	device string // this desk's device token (see Device)
}

// NewClient returns a client for the server at baseURL (http://host:port),
// or for the nodes of a comma-separated list of URLs.
func NewClient(baseURL string) *Client {
	r := resty.New().
		SetHeader("Accept", "application/json").
		SetHeader("User-Agent", "griddesk-desk")
	c := &Client{r: r}
	for _, u := range strings.Split(baseURL, ",") {
		if u = strings.TrimRight(strings.TrimSpace(u), "/"); u != "" {
			c.urls = append(c.urls, u)
		}
	}
	if len(c.urls) == 0 {
		c.urls = []string{""}
	}
	return c
}

// URL is the server node in use.
func (c *Client) URL() string { return c.urls[int(c.cur.Load())%len(c.urls)] }

// nodeDown reports whether an answer means the node is away rather than
// that it refused the call.
func nodeDown(ctx context.Context, resp *resty.Response, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	if err != nil {
		return true
	}
	switch resp.StatusCode() {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// send executes req against the node in use; when that node is away it
// moves to the next, and with again sends req there too, each node at most
// once.
func (c *Client) send(req *resty.Request, method, path string, again bool) (*resty.Response, error) {
	n := len(c.urls)
	first := int(c.cur.Load())
	var resp *resty.Response
	var err error
	for i := 0; i < n; i++ {
		at := (first + i) % n
		resp, err = req.Execute(method, c.urls[at]+path)
		if !nodeDown(req.Context(), resp, err) {
			return resp, err
		}
		c.cur.CompareAndSwap(int32(at), int32((at+1)%n))
		if !again {
			break
		}
	}
	return resp, err
}

func (c *Client) authed(ctx context.Context) *resty.Request {
	c.mu.Lock()
	tok := c.token
	c.mu.Unlock()
	req := c.r.R().SetContext(ctx)
	if tok != "" {
		req.SetAuthToken(tok)
	}
	return req
}

// check turns a non-2xx answer into a *Problem (wrapping ErrUnauthorized for 401).
func check(resp *resty.Response, err error, what string) error {
	if err != nil {
		return fmt.Errorf("replica: %s: %w", what, err)
	}
	if resp.IsSuccess() {
		return nil
	}
	p := &Problem{Status: resp.StatusCode(), Title: http.StatusText(resp.StatusCode())}
	_ = json.Unmarshal(resp.Body(), p)
	if resp.StatusCode() == http.StatusUnauthorized {
		return fmt.Errorf("replica: %s: %w (%w)", what, p, ErrUnauthorized)
	}
	return fmt.Errorf("replica: %s: %w", what, p)
}

// Login signs in and keeps the token for later calls.
func (c *Client) Login(ctx context.Context, username, password string) (domain.User, error) {
	var out struct {
		Token  string      `json:"token"`
		User   domain.User `json:"user"`
		Device string      `json:"device"`
	}
	c.mu.Lock()
	device := c.device
	c.mu.Unlock()
	resp, err := c.send(c.r.R().SetContext(ctx).
		SetHeader("Content-Type", "application/json").
		SetBody(map[string]string{"username": username, "password": password, "device": device}).
		SetResult(&out), resty.MethodPost, "/api/v1/login", true)
	if err := check(resp, err, "login"); err != nil {
		return domain.User{}, err
	}
	c.mu.Lock()
	c.token, c.user = out.Token, out.User
	if out.Device != "" {
		c.device = out.Device
	}
	c.mu.Unlock()
	return out.User, nil
}

// Device is the token that identifies this desk at its sign-ins: guessing
// at the account elsewhere does not lock this desk out.
func (c *Client) Device() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.device
}

// SetDevice sets the device token kept from an earlier sign-in.
func (c *Client) SetDevice(tok string) {
	c.mu.Lock()
	c.device = tok
	c.mu.Unlock()
}

// SetTransport replaces the HTTP transport (tests use a faulty one).
func (c *Client) SetTransport(rt http.RoundTripper) { c.r.SetTransport(rt) }

// LoggedIn reports whether the client holds a token.
func (c *Client) LoggedIn() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token != ""
}

// User is the signed-in user.
func (c *Client) User() domain.User {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.user
}

// Health asks the server whether it is up and which database it serves.
func (c *Client) Health(ctx context.Context) (Health, error) {
	var h Health
	resp, err := c.send(c.r.R().SetContext(ctx).SetResult(&h), resty.MethodGet, "/healthz", true)
	return h, check(resp, err, "health")
}

// Changes fetches one page of the change feed, long-polling up to wait.
func (c *Client) Changes(ctx context.Context, after int64, limit int, wait time.Duration) (Page, error) {
	var p Page
	resp, err := c.send(c.authed(ctx).SetQueryParams(map[string]string{
		"after": strconv.FormatInt(after, 10),
		"limit": strconv.Itoa(limit),
		"wait":  strconv.Itoa(int(wait / time.Second)),
	}).SetResult(&p), resty.MethodGet, "/api/v1/changes", true)
	return p, check(resp, err, "changes")
}

// ReportRequest is the body of POST /api/v1/cases.
type ReportRequest struct {
	Title       string  `json:"title"`
	Description string  `json:"description,omitempty"`
	Category    string  `json:"category"`
	Source      string  `json:"source,omitempty"`
	Lon         float64 `json:"lon"`
	Lat         float64 `json:"lat"`
	EntityID    string  `json:"entity_id,omitempty"`
	Priority    string  `json:"priority,omitempty"`
}

// Report sends a new case the way a field system does.
func (c *Client) Report(ctx context.Context, req ReportRequest) (domain.Case, error) {
	var out domain.Case
	// a report is not sent twice: it has no ID that would make it once
	resp, err := c.send(c.authed(ctx).SetHeader("Content-Type", "application/json").SetBody(req).SetResult(&out),
		resty.MethodPost, "/api/v1/cases", false)
	return out, check(resp, err, "report case")
}

// CommandResult is the server's answer for one command.
type CommandResult struct {
	ID      string               `json:"id"`
	Status  domain.CommandStatus `json:"status"`
	Problem *Problem             `json:"problem,omitempty"`
}

// Commands sends a batch of commands and returns one result per command.
func (c *Client) Commands(ctx context.Context, cmds []domain.Command) ([]CommandResult, error) {
	var out struct {
		Results []CommandResult `json:"results"`
	}
	resp, err := c.send(c.authed(ctx).SetHeader("Content-Type", "application/json").
		SetBody(map[string]any{"commands": cmds}).SetResult(&out), resty.MethodPost, "/api/v1/commands", true)
	if err := check(resp, err, "push commands"); err != nil {
		return nil, err
	}
	if len(out.Results) != len(cmds) {
		return nil, fmt.Errorf("replica: push commands: %d results for %d commands", len(out.Results), len(cmds))
	}
	return out.Results, nil
}

// UserChange creates or changes a user (admin only); nil fields stay as they are.
type UserChange struct {
	Username *string      `json:"username,omitempty"`
	Name     *string      `json:"name,omitempty"`
	Role     *domain.Role `json:"role,omitempty"`
	UnitID   *string      `json:"unit_id,omitempty"`
	Towns    *[]string    `json:"towns,omitempty"`
	Disabled *bool        `json:"disabled,omitempty"`
	Password *string      `json:"password,omitempty"`
}

// SaveUser creates a user (id "") or changes one.
func (c *Client) SaveUser(ctx context.Context, id string, ch UserChange) (domain.User, error) {
	var out domain.User
	req := c.authed(ctx).SetHeader("Content-Type", "application/json").SetBody(ch).SetResult(&out)
	var resp *resty.Response
	var err error
	if id == "" {
		resp, err = c.send(req, resty.MethodPost, "/api/v1/users", false)
	} else {
		resp, err = c.send(req.SetPathParam("id", id), resty.MethodPatch, "/api/v1/users/{id}", true)
	}
	return out, check(resp, err, "save user")
}

// UploadPhoto sends one photo's bytes (POST /api/v1/photos); the server
// answers with the ID it keeps the photo under.
func (c *Client) UploadPhoto(ctx context.Context, mime string, data []byte) (photo.Info, error) {
	var out photo.Info
	resp, err := c.send(c.authed(ctx).SetHeader("Content-Type", mime).SetBody(data).SetResult(&out), resty.MethodPost, "/api/v1/photos", true)
	if err := check(resp, err, "upload photo"); err != nil {
		return out, err
	}
	if want := photo.ID(data); out.ID != want {
		return out, fmt.Errorf("replica: upload photo: the server named it %s, its SHA-256 is %s", out.ID, want)
	}
	return out, nil
}

// Photo fetches one photo's bytes and type (GET /api/v1/photos/{id}),
// checking they are the photo asked for.
func (c *Client) Photo(ctx context.Context, id string) ([]byte, string, error) {
	resp, err := c.send(c.authed(ctx).SetHeader("Accept", "image/*").SetPathParam("id", id).
		SetResponseBodyLimit(photo.MaxBytes), resty.MethodGet, "/api/v1/photos/{id}", true)
	if err := check(resp, err, "photo "+photo.Short(id)); err != nil {
		return nil, "", err
	}
	data := resp.Body()
	if photo.ID(data) != id {
		return nil, "", fmt.Errorf("replica: photo %s: the server sent other bytes", photo.Short(id))
	}
	return data, resp.Header().Get("Content-Type"), nil
}

// SearchCases asks the server for the cases whose number, title or
// description holds q, closed ones the desk no longer keeps included.
func (c *Client) SearchCases(ctx context.Context, q string, limit int) ([]domain.Case, error) {
	var out []domain.Case
	resp, err := c.send(c.authed(ctx).SetQueryParams(map[string]string{"q": q, "limit": strconv.Itoa(limit)}).SetResult(&out),
		resty.MethodGet, "/api/v1/cases", true)
	return out, check(resp, err, "search cases")
}

// CaseRecord is a case with its timeline and tasks, as the server keeps it.
type CaseRecord struct {
	Case     domain.Case     `json:"case"`
	Timeline []domain.Action `json:"timeline"`
	Tasks    []domain.Task   `json:"tasks"`
}

// Case fetches one case with its timeline and tasks from the server.
func (c *Client) Case(ctx context.Context, id string) (CaseRecord, error) {
	var out CaseRecord
	resp, err := c.send(c.authed(ctx).SetPathParam("id", id).SetResult(&out), resty.MethodGet, "/api/v1/cases/{id}", true)
	return out, check(resp, err, "case "+id)
}

// Contact fetches the phone number a citizen left with a complaint from a
// door plate's page (duty officers and admins; "" when none was left). No
// feed carries it, so the desk asks when a case is opened.
func (c *Client) Contact(ctx context.Context, caseID string) (string, error) {
	var out struct {
		Phone string `json:"phone"`
	}
	resp, err := c.send(c.authed(ctx).SetPathParam("id", caseID).SetResult(&out), resty.MethodGet, "/api/v1/cases/{id}/contact", true)
	return out.Phone, check(resp, err, "contact of case "+caseID)
}

// KPI fetches a month's unit figures and ranking, computed on the server
// from the whole case history.
func (c *Client) KPI(ctx context.Context, month time.Time) (kpi.Report, error) {
	var out kpi.Report
	resp, err := c.send(c.authed(ctx).SetQueryParam("month", month.Format("2006-01")).SetResult(&out), resty.MethodGet, "/api/v1/kpi", true)
	return out, check(resp, err, "kpi of "+month.Format("2006-01"))
}
