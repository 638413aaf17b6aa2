package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"griddesk/domain"
	"griddesk/store"
)

// TestPhotoStates: a photo taken at the desk waits as pending, becomes
// stored once the server has it, survives a reset of the synced tables,
// and is never replaced by a later put.
func TestPhotoStates(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t, false)
	p := domain.Photo{ID: "aa", MIME: "image/jpeg", Width: 4, Height: 3, Data: []byte("jpeg"), State: domain.PhotoPending}
	if isNew, err := st.PutPhoto(ctx, &p); err != nil || !isNew {
		t.Fatalf("first put: new %v, %v", isNew, err)
	}
	if ids, err := st.PendingPhotos(ctx); err != nil || len(ids) != 1 || ids[0] != "aa" {
		t.Fatalf("pending = %v, %v", ids, err)
	}
	again := domain.Photo{ID: "aa", MIME: "image/png", Data: []byte("other"), State: domain.PhotoPending}
	if isNew, err := st.PutPhoto(ctx, &again); err != nil || isNew {
		t.Fatalf("second put: new %v, %v", isNew, err)
	}
	if err := st.SetPhotoState(ctx, "aa", domain.PhotoRefused, "not an image"); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Photo(ctx, "aa"); got.State != domain.PhotoRefused || got.Reason != "not an image" || string(got.Data) != "jpeg" || got.MIME != "image/jpeg" {
		t.Fatalf("after refusal: %+v", got)
	}
	if state, reason, err := st.PhotoState(ctx, "aa"); err != nil || state != domain.PhotoRefused || reason != "not an image" {
		t.Fatalf("PhotoState = %q %q %v", state, reason, err)
	}
	readded := domain.Photo{ID: "aa", MIME: "image/jpeg", Data: []byte("jpeg"), State: domain.PhotoPending} // the user adds it again
	if _, err := st.PutPhoto(ctx, &readded); err != nil {
		t.Fatal(err)
	}
	if ids, _ := st.PendingPhotos(ctx); len(ids) != 1 {
		t.Fatalf("a refused photo added again is not pending: %v", ids)
	}
	fetched := domain.Photo{ID: "aa", MIME: "image/jpeg", Data: []byte("jpeg")} // fetched from the server: stored
	if _, err := st.PutPhoto(ctx, &fetched); err != nil {
		t.Fatal(err)
	}
	if ids, _ := st.PendingPhotos(ctx); len(ids) != 0 {
		t.Fatalf("still pending: %v", ids)
	}
	if err := st.Update(ctx, func(tx *store.Tx) error { return tx.Reset() }); err != nil {
		t.Fatal(err)
	}
	got, err := st.Photo(ctx, "aa")
	if err != nil || got.State != domain.PhotoStored || got.Width != 4 || got.Height != 3 || got.CreatedAt.IsZero() {
		t.Fatalf("after reset: %+v, %v", got, err)
	}
	if _, err := st.Photo(ctx, "bb"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown photo: %v", err)
	}
	// the rendition is read without the original; a photo without one reads its bytes
	if _, err := st.PutPhoto(ctx, &domain.Photo{ID: "dd", MIME: "image/png", Data: []byte("big original"), Rendition: []byte("small")}); err != nil {
		t.Fatal(err)
	}
	if r, err := st.PhotoRendition(ctx, "dd"); err != nil || r.Data != nil || string(r.Small()) != "small" {
		t.Fatalf("rendition of dd: data %q, small %q, %v", r.Data, r.Small(), err)
	}
	if r, err := st.PhotoRendition(ctx, "aa"); err != nil || string(r.Small()) != "jpeg" {
		t.Fatalf("rendition of aa (none): small %q, %v", r.Small(), err)
	}
	if p, err := st.Photo(ctx, "dd"); err != nil || string(p.Data) != "big original" || string(p.Rendition) != "small" {
		t.Fatalf("photo dd: %q %q %v", p.Data, p.Rendition, err)
	}
	if _, err := st.PutPhoto(ctx, &domain.Photo{ID: "cc", MIME: "image/png"}); err == nil {
		t.Fatal("a photo without bytes was kept")
	}
}

// TestDropLoosePhotos: only old photos taken here that nothing names go.
func TestDropLoosePhotos(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t, false)
	old, recent := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	put := func(id string, state domain.PhotoState, at time.Time) {
		t.Helper()
		if _, err := st.PutPhoto(ctx, &domain.Photo{ID: id, MIME: "image/jpeg", Data: []byte(id), State: state, CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	put("loose", domain.PhotoPending, old)
	put("refused", domain.PhotoRefused, old)
	put("queued", domain.PhotoPending, old)
	put("inspected", domain.PhotoPending, old)
	put("rectified", domain.PhotoPending, old)
	put("fresh", domain.PhotoPending, recent)
	put("fetched", domain.PhotoStored, old)
	err := st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.Enqueue(domain.Command{ID: "c1", Type: "inspection.record", Args: []byte(`{"photos":["queued"]}`), IssuedAt: old}, nil); err != nil {
			return err
		}
		if err := tx.PutInspection(&domain.Inspection{ID: "N1", EntityID: "E1", At: old, Status: domain.InspectionSubmitted, Photos: []string{"inspected"}}); err != nil {
			return err
		}
		return tx.PutFinding(&domain.Finding{ID: "H1", InspectionID: "N1", EntityID: "E1", ItemID: "FIRE-01", Severity: domain.SeverityGeneral,
			Status: domain.FindingRectified, Photos: []string{"rectified"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	n, err := st.DropLoosePhotos(ctx, recent.Add(-time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("dropped %d, %v; want 2 (loose, refused)", n, err)
	}
	for _, id := range []string{"queued", "inspected", "rectified", "fresh", "fetched"} {
		if _, err := st.Photo(ctx, id); err != nil {
			t.Errorf("%s was dropped: %v", id, err)
		}
	}
	for _, id := range []string{"loose", "refused"} {
		if _, err := st.Photo(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s is still kept: %v", id, err)
		}
	}
}
