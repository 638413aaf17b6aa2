package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"griddesk/core/report"
	"griddesk/domain"
	"griddesk/domain/photo"
	"griddesk/server/web"
	"griddesk/store"
)

// The door plate's pages (server/web) and what they need of the server:
// the public URL the QR codes carry, the complaint path (limits, photo,
// case and contact), and the contact a complainant left, for staff only.

// The public form's limits, counted in the database so that every node
// counts the same: complaints from one address an hour, and about one
// entity a day (a plate photographed and shared cannot flood the desk).
const (
	complaintsPerAddress   = 5
	complaintAddressWindow = time.Hour
	complaintsPerEntity    = 20
	complaintEntityWindow  = 24 * time.Hour
)

// checkPublicURL checks a -public-url: an absolute http(s) URL without
// query or fragment, which the QR codes extend with /p/{token}.
func checkPublicURL(s string) (string, error) {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "", fmt.Errorf("server: public URL %q: %w", s, err)
	case u.Scheme != "https" && u.Scheme != "http", u.Host == "":
		return "", fmt.Errorf("server: public URL %q: give an absolute http:// or https:// address", s)
	case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return "", fmt.Errorf("server: public URL %q: no query, fragment or user", s)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// publishPublicURL keeps the public URL in the setting every desk syncs, so
// that the desk prints the same codes as the server.
func (s *Server) publishPublicURL(ctx context.Context) error {
	if s.opts.PublicURL == "" {
		return nil
	}
	base, err := checkPublicURL(s.opts.PublicURL)
	if err != nil {
		return err
	}
	s.opts.PublicURL = base
	ss, err := s.st.Settings(ctx)
	if err != nil {
		return fmt.Errorf("server: public URL: %w", err)
	}
	if report.PublicURLOf(ss) == base {
		return nil
	}
	raw, _ := json.Marshal(base)
	return s.update(ctx, func(tx *store.Tx) error {
		return tx.PutSetting(&domain.Setting{ID: report.PublicURLSetting, Value: raw, UpdatedBy: "server", UpdatedAt: s.opts.Now()})
	})
}

// pages are the web pages over this server.
func (s *Server) pages() (*web.Pages, error) {
	return web.New(web.Options{Store: s.st, Now: s.opts.Now, Logger: s.opts.Logger,
		Auth: func(rs []domain.Role, next http.HandlerFunc) http.Handler {
			if rs == nil {
				return s.auth(anyRole, next)
			}
			return s.auth(roles(rs...), next)
		},
		User:     userFrom,
		Complain: s.Complain,
		Remote:   s.clientAddr,
	})
}

// clientAddr is the address a request came from: its peer, or behind a
// trusted reverse proxy the last address of X-Forwarded-For that is not one
// of the proxies (the one a proxy of ours put there, not a client's claim).
func (s *Server) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	trusted := func(a string) bool {
		ip, err := netip.ParseAddr(a)
		return err == nil && slices.ContainsFunc(s.opts.TrustedProxies, func(p netip.Prefix) bool { return p.Contains(ip.Unmap()) })
	}
	if !trusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		if a := strings.TrimSpace(hops[i]); a != "" && !trusted(a) {
			if _, err := netip.ParseAddr(a); err == nil {
				return a
			}
			return host
		}
	}
	return host
}

// Complain records a citizen's complaint from a door plate's page as a case
// with source public: first the limits are counted (a refused complaint
// costs no photo decoding), then the photo is decoded within the server's
// budget, then photo, case, its first timeline entry and the phone number
// are written in one transaction, or nothing is.
func (s *Server) Complain(ctx context.Context, c web.Complaint) (domain.Case, error) {
	now := s.opts.Now()
	var limited string
	err := s.update(ctx, func(tx *store.Tx) error {
		for _, l := range []struct {
			key, refusal string
			most         int
			window       time.Duration
		}{
			{"complaint-entity:" + c.Entity.ID, "err.limit.entity", complaintsPerEntity, complaintEntityWindow},
			{"complaint-ip:" + c.Remote, "err.limit.address", complaintsPerAddress, complaintAddressWindow},
		} {
			ok, err := tx.Hit(l.key, l.most, l.window, now)
			if err != nil {
				return err
			}
			if !ok {
				limited = l.refusal
				return errLimited
			}
		}
		return nil
	})
	if errors.Is(err, errLimited) {
		return domain.Case{}, &web.Refusal{Status: http.StatusTooManyRequests, Key: limited, Detail: limited}
	}
	if err != nil {
		return domain.Case{}, fmt.Errorf("server: complaint: %w", err)
	}
	var p *domain.Photo
	if c.Photo != nil {
		if p, err = s.decodePhoto(ctx, c.Photo, now); err != nil {
			return domain.Case{}, err
		}
	}
	req := ReportRequest{Title: complaintTitle(c), Description: c.Text, Category: complaintCategory(c).Key, Source: domain.SourcePublic,
		Lon: c.Entity.Lon, Lat: c.Entity.Lat, EntityID: c.Entity.ID}
	if p != nil {
		req.Photos = []string{p.ID}
	}
	cs, err := s.report(ctx, domain.User{}, req, func(tx *store.Tx, cs *domain.Case) error {
		if p != nil {
			if _, err := tx.PutPhoto(p); err != nil {
				return err
			}
		}
		if c.Phone != "" {
			return tx.PutContact(cs.ID, c.Phone, now)
		}
		return nil
	})
	if err != nil {
		return cs, fmt.Errorf("server: complaint about %s: %w", c.Entity.ID, err)
	}
	return cs, nil
}

var errLimited = errors.New("over the limit")

// complaintCategory is the category the citizen chose, else the one whose
// keywords the text holds, else city appearance (the duty officer changes
// it at registration).
func complaintCategory(c web.Complaint) domain.Category {
	if cat, ok := domain.CategoryByKey(c.Category); ok {
		return cat
	}
	best, score := domain.Category{}, 0
	for _, cat := range domain.Categories() {
		n := 0
		for _, k := range cat.Keywords {
			if strings.Contains(c.Text, k) {
				n += utf8.RuneCountInString(k)
			}
		}
		if n > score {
			best, score = cat, n
		}
	}
	if score == 0 {
		best, _ = domain.CategoryByKey("city_appearance")
	}
	return best
}

// complaintTitle is "群众反映：<entity>：<the text's start>".
func complaintTitle(c web.Complaint) string {
	text := strings.Join(strings.Fields(c.Text), " ")
	if r := []rune(text); len(r) > 30 {
		text = string(r[:30]) + "…"
	}
	title := "群众反映：" + c.Entity.Name + "：" + text
	if r := []rune(title); len(r) > domain.MaxTitle/3 {
		title = string(r[:domain.MaxTitle/3])
	}
	return title
}

// decodePhoto checks and decodes a photo within the server's decoding
// budget, as an upload is (photos.go).
func (s *Server) decodePhoto(ctx context.Context, data []byte, now time.Time) (*domain.Photo, error) {
	info, err := photo.Check(data)
	if err != nil {
		return nil, &web.Refusal{Status: http.StatusUnprocessableEntity, Field: "photo", Key: "err.photo.bad", Detail: err.Error()}
	}
	cost, err := photo.Cost(data)
	if err != nil {
		return nil, &web.Refusal{Status: http.StatusUnprocessableEntity, Field: "photo", Key: "err.photo.bad", Detail: err.Error()}
	}
	select {
	case s.decoding <- struct{}{}:
		defer func() { <-s.decoding }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if err := s.decodeMem.Acquire(ctx, cost); err != nil {
		return nil, err
	}
	defer s.decodeMem.Release(cost)
	rendition, err := photo.Rendition(data)
	if err != nil {
		return nil, &web.Refusal{Status: http.StatusUnprocessableEntity, Field: "photo", Key: "err.photo.bad", Detail: err.Error()}
	}
	return &domain.Photo{ID: info.ID, MIME: info.MIME, Width: info.Width, Height: info.Height, Data: data, Rendition: rendition,
		UploadedBy: "public", CreatedAt: now}, nil
}

// caseContact answers GET /api/v1/cases/{id}/contact (duty officers and
// admins): the phone number a complainant left, which no feed carries.
func (s *Server) caseContact(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := s.st.Case(r.Context(), id); errors.Is(err, store.ErrNotFound) {
		docNotFound(w, "not-found", fmt.Sprintf("case %s does not exist", id))
		return
	} else if err != nil {
		s.internal(w, r, err)
		return
	}
	phone, err := s.st.Contact(r.Context(), id)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]string{"case_id": id, "phone": phone})
}
