package desk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"griddesk/desk/replica"
	"griddesk/domain"
	"griddesk/store"
	"griddesk/store/gpkg"
)

// ErrReadOnly refuses actions on a snapshot under review.
var ErrReadOnly = errors.New("this is a snapshot under review: nothing can be changed")

// OpenSnapshot opens a GeoPackage snapshot for offline review: a read-only
// desk over a private copy of the file's data. It uses no network, and the
// desk's own cache is not touched.
func OpenSnapshot(ctx context.Context, path, dataDir string) (*Desk, error) {
	if dataDir != "" {
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, fmt.Errorf("desk: open snapshot: %w", err)
		}
	}
	r, err := gpkg.OpenReview(ctx, path, dataDir)
	if err != nil {
		return nil, fmt.Errorf("desk: open snapshot: %w", err)
	}
	d := &Desk{cache: r.Store, review: r, cfg: Config{DataDir: dataDir}, done: make(chan struct{}), photoWork: make(chan struct{}, photoSlots)}
	d.cal = desksCalendar()
	d.status = replica.Status{State: replica.StateOffline, Rows: countRows(ctx, r.Store), LastSync: r.Meta.ExportedAt}
	d.applySettings(ctx)
	return d, nil
}

func countRows(ctx context.Context, st *store.Store) int {
	n := 0
	if counts, err := st.Counts(ctx); err == nil {
		for _, c := range counts {
			n += c
		}
	}
	return n
}

// Snapshot returns the metadata of the snapshot under review (ok false for a live desk).
func (d *Desk) Snapshot() (gpkg.Metadata, bool) {
	if d.review == nil {
		return gpkg.Metadata{}, false
	}
	return d.review.Meta, true
}

// ExportSnapshot writes the desk's copy (or part of it) as a GeoPackage.
func (d *Desk) ExportSnapshot(ctx context.Context, path string, grids []string, from, to time.Time, title string) (gpkg.Summary, error) {
	serverID, _ := d.cache.Meta(ctx, "replica.server_id")
	by := d.User().Name
	sum, err := gpkg.Export(ctx, d.cache, path, gpkg.ExportOptions{Grids: grids, From: from, To: to, Overwrite: true, Photo: d.snapshotPhoto,
		Meta: gpkg.Metadata{Title: title, ExportedBy: by, Server: d.cfg.ServerURL, ServerID: serverID}}) // "" = the embedded demo
	if err != nil {
		return sum, fmt.Errorf("desk: export snapshot: %w", err)
	}
	return sum, nil
}

// snapshotPhoto reads a photo for a snapshot, fetching one this desk has
// not kept yet; one it cannot have now (offline) is left out of the file.
func (d *Desk) snapshotPhoto(ctx context.Context, id string) (domain.Photo, error) {
	p, err := d.Photo(ctx, id)
	if errors.Is(err, ErrPhotoUnavailable) {
		return p, fmt.Errorf("%w: %w", store.ErrNotFound, err)
	}
	return p, err
}
