package replica_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"griddesk/core/command"
	"griddesk/desk/replica"
	"griddesk/domain"
	"griddesk/domain/photo"
	"griddesk/server"
	"griddesk/store"
)

// TestPushUploadsNamedPhotos: a push sends the photos its commands name
// just before them; a photo the server refuses as a photo is marked
// refused and its command comes back refused with the server's words on
// the photo; a photo no command names is never sent.
func TestPushUploadsNamedPhotos(t *testing.T) {
	ctx := context.Background()
	be := newBackend(t, server.SeedTown)
	desk := openDesk(t, t.TempDir())
	defer desk.Close()
	c := replica.NewClient(be.ts.URL)
	if _, err := c.Login(ctx, "admin", pw); err != nil {
		t.Fatal(err)
	}
	r := replica.New(desk, c, replica.Options{})

	jpg := func(w int) []byte {
		var b bytes.Buffer
		jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, w, 10)), nil)
		return b.Bytes()
	}
	good, loose, bad := jpg(30), jpg(40), []byte("a scanned PDF, not a photo")
	for _, data := range [][]byte{good, loose, bad} {
		p := domain.Photo{ID: photo.ID(data), MIME: "image/jpeg", Width: 30, Height: 10, Data: data, State: domain.PhotoPending}
		if _, err := desk.PutPhoto(ctx, &p); err != nil {
			t.Fatal(err)
		}
	}
	es, _ := be.st.Entities(ctx)
	items, _ := be.st.CheckItems(ctx)
	record := func(id string) domain.Command {
		cmd, err := command.New(command.InspectionRecord, command.InspectionArgs{InspectionID: uuid.NewString(), EntityID: es[0].ID,
			Results: []domain.ItemResult{{ItemID: items[0].ID, Result: domain.ResultPass}}, Photos: []string{id}}, 0, time.Now().Add(-time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	withGood, withBad := record(photo.ID(good)), record(photo.ID(bad))
	if err := desk.Update(ctx, func(tx *store.Tx) error {
		if err := tx.Enqueue(withGood, nil); err != nil {
			return err
		}
		return tx.Enqueue(withBad, nil)
	}); err != nil {
		t.Fatal(err)
	}
	if n, err := r.Push(ctx); err != nil || n != 2 {
		t.Fatalf("push: %d answered, %v", n, err)
	}

	if _, err := be.st.Photo(ctx, photo.ID(good)); err != nil {
		t.Errorf("the named photo is not on the server: %v", err)
	}
	for name, data := range map[string][]byte{"the refused photo": bad, "the photo no command names": loose} {
		if _, err := be.st.Photo(ctx, photo.ID(data)); err == nil {
			t.Errorf("%s reached the server", name)
		}
	}
	for _, tc := range []struct {
		data  []byte
		state domain.PhotoState
	}{{good, domain.PhotoStored}, {bad, domain.PhotoRefused}, {loose, domain.PhotoPending}} {
		if state, _, _ := desk.PhotoState(ctx, photo.ID(tc.data)); state != tc.state {
			t.Errorf("photo %.12s: %s, want %s", photo.ID(tc.data), state, tc.state)
		}
	}
	out, _ := desk.Outbox(ctx, "")
	if len(out) != 1 || out[0].Command.ID != withBad.ID || out[0].State != domain.OutboxRejected ||
		!strings.Contains(out[0].Problem.Detail, "was refused: not a JPEG, PNG or GIF image") {
		t.Fatalf("outbox = %+v, want the command with the bad photo refused with the photo's reason", out)
	}
}
