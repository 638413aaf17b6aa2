package desk

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"griddesk/core/report"
	"griddesk/domain"
	"griddesk/store"
)

// The QR codes the desk prints: the server's public URL (setting
// public_url, from the server's -public-url) and the griddesk:// codes of
// plates printed before there was one, which only a desk opens.

// PublicURL is the address the printed QR codes carry ("" when the server
// has none: then they are griddesk:// codes).
func (d *Desk) PublicURL(ctx context.Context) string {
	ss, err := d.cache.Settings(ctx)
	if err != nil {
		return ""
	}
	return report.PublicURLOf(ss)
}

// Link is what a scanned QR code names: an entity, and an inspection of it
// when the code was on an inspection report.
type Link struct {
	EntityID     string
	InspectionID string
}

// ErrNotALink is a scanned text that is no GridDesk code.
var ErrNotALink = errors.New("not a GridDesk code")

// OpenLink resolves the text of a scanned QR code (a USB scanner types it,
// or a person pastes it) to what it names in the desk's copy: the door
// plate URL /p/{token} and its /i/{inspection} and /notice, on any host
// (a plate printed under an older public URL still opens), and the old
// griddesk://entity/{token} and griddesk://inspection/{id}.
func (d *Desk) OpenLink(ctx context.Context, text string) (Link, error) {
	text = strings.TrimSpace(text)
	if id, ok := strings.CutPrefix(text, "griddesk://inspection/"); ok {
		in, err := d.cache.Inspection(ctx, id)
		if err != nil {
			return Link{}, fmt.Errorf("desk: open %s: %w", text, err)
		}
		return Link{EntityID: in.EntityID, InspectionID: in.ID}, nil
	}
	var token, insp string
	if tok, ok := strings.CutPrefix(text, "griddesk://entity/"); ok {
		token = tok
	} else {
		u, err := url.Parse(text)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return Link{}, fmt.Errorf("desk: open %q: %w", text, ErrNotALink)
		}
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		i := len(parts) - 1
		for i >= 0 && parts[i] != "p" {
			i--
		}
		if i < 0 || i+1 >= len(parts) {
			return Link{}, fmt.Errorf("desk: open %q: %w", text, ErrNotALink)
		}
		token = parts[i+1]
		if len(parts) > i+3 && parts[i+2] == "i" {
			insp = parts[i+3]
		}
	}
	e, err := d.cache.EntityByToken(ctx, token)
	if errors.Is(err, store.ErrNotFound) {
		return Link{}, fmt.Errorf("desk: open %s: no entity has this plate: %w", text, domain.ErrNotFound)
	}
	if err != nil {
		return Link{}, fmt.Errorf("desk: open %s: %w", text, err)
	}
	l := Link{EntityID: e.ID}
	if insp != "" {
		in, err := d.cache.Inspection(ctx, insp)
		if err != nil || in.EntityID != e.ID {
			return Link{}, fmt.Errorf("desk: open %s: inspection %s of %s: %w", text, insp, e.Name, domain.ErrNotFound)
		}
		l.InspectionID = in.ID
	}
	return l, nil
}
