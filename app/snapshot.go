package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"griddesk/app/replica"
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
			return nil, fmt.Errorf("app: open snapshot: %w", err)
		}
	}
	r, err := gpkg.OpenReview(ctx, path, dataDir)
	if err != nil {
		return nil, fmt.Errorf("app: open snapshot: %w", err)
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
	if err := d.fetchSnapshotPhotos(ctx, from, to); err != nil {
		return gpkg.Summary{}, fmt.Errorf("app: export snapshot: %w", err)
	}
	sum, err := gpkg.Export(ctx, d.cache, path, gpkg.ExportOptions{Grids: grids, From: from, To: to, Overwrite: true,
		Meta: gpkg.Metadata{Title: title, ExportedBy: by, Server: d.cfg.ServerURL, ServerID: serverID}}) // "" = the embedded demo
	if err != nil {
		return sum, fmt.Errorf("app: export snapshot: %w", err)
	}
	return sum, nil
}

// fetchSnapshotPhotos brings in, while online, the photos of the
// inspections and rectifications a snapshot of [from, to) may carry, so
// that the offline reviewer sees them; offline, the snapshot carries the
// photos this desk has.
func (d *Desk) fetchSnapshotPhotos(ctx context.Context, from, to time.Time) error {
	if d.review != nil || !d.Status().Online() {
		return nil
	}
	ins, err := d.cache.InspectionsBetween(ctx, from, to)
	if err != nil {
		return err
	}
	in := make(map[string]bool, len(ins))
	var ids []string
	for _, x := range ins {
		in[x.ID] = true
		ids = append(ids, x.Photos...)
	}
	fs, err := d.cache.AllFindings(ctx)
	if err != nil {
		return err
	}
	for _, f := range fs {
		if in[f.InspectionID] {
			ids = append(ids, f.Photos...)
		}
	}
	d.fetchPhotos(ctx, ids)
	return nil
}
