package desk_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"griddesk/core/command"
	"griddesk/desk"
	"griddesk/domain"
	"griddesk/domain/photo"
	"griddesk/server"
)

func jpegOf(t *testing.T, w, h int, tint uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), tint, uint8(y), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestInspectionPhotosOfflineAndBack: a team leader offline records an
// inspection with photos; back online the photos reach the server before
// the inspection; another desk fetches them when it prints the report, and
// says so when it cannot.
func TestInspectionPhotosOfflineAndBack(t *testing.T) {
	ctx := context.Background()
	ts := newTownServer(t, server.SeedTown)
	if err := ts.srv.SetPassword(ctx, "leader01", deskPW); err != nil {
		t.Fatal(err)
	}
	leaderNet := &switchable{rt: http.DefaultTransport}
	leader := startDesk(t, ts.ts.URL, "leader01", leaderNet)
	dutyNet := &switchable{rt: http.DefaultTransport}
	duty := startDesk(t, ts.ts.URL, "duty1", dutyNet)

	leaderNet.down.Store(true)
	waitFor(t, "the leader's desk to notice it is offline", 30*time.Second, func() bool { return !leader.Status().Online() })

	// bad files are refused with the reason and the file name; nothing is kept
	bad := filepath.Join(t.TempDir(), "扫描件.jpg")
	os.WriteFile(bad, []byte("%PDF-1.4 not a photo"), 0o644)
	if _, err := leader.AddPhotoFile(ctx, bad); !errors.Is(err, photo.ErrNotImage) || !bytes.Contains([]byte(err.Error()), []byte("扫描件.jpg")) {
		t.Fatalf("a PDF named .jpg: %v", err)
	}
	door, extinguisher := jpegOf(t, 160, 120, 10), jpegOf(t, 120, 160, 200)
	file := filepath.Join(t.TempDir(), "door.jpg")
	os.WriteFile(file, door, 0o644)
	a, err := leader.AddPhotoFile(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	b, err := leader.AddPhoto(ctx, extinguisher)
	if err != nil {
		t.Fatal(err)
	}
	e := shopWithItems(t, leader)
	results := []domain.ItemResult{{ItemID: e.items[0].ID, Result: domain.ResultFail, Note: "灭火器过期"}}
	hazard := command.Hazard{ItemID: e.items[0].ID, Severity: domain.SeverityGeneral, Description: "灭火器过期"}
	if err := leader.RecordInspection(ctx, e.id, time.Now().Add(-time.Hour), results, []command.Hazard{hazard}, []string{a.ID, b.ID}); err != nil {
		t.Fatal(err)
	}
	img, err := leader.PhotoThumb(ctx, a.ID, 64)
	if err != nil || img.Bounds().Dx() != 64 {
		t.Fatalf("thumbnail of a photo taken offline: %v", err)
	}

	leaderNet.down.Store(false)
	var in domain.Inspection
	waitFor(t, "the inspection and its photos on the server", 60*time.Second, func() bool {
		ins, _ := ts.st.Inspections(ctx, e.id)
		for _, x := range ins {
			if len(x.Photos) == 2 {
				in = x
				return true
			}
		}
		return false
	})
	for _, want := range [][]byte{door, extinguisher} {
		p, err := ts.st.Photo(ctx, photo.ID(want))
		if err != nil || !bytes.Equal(p.Data, want) || p.UploadedBy == "" {
			t.Fatalf("server photo: %v", err)
		}
	}

	// the duty officer's desk, offline, has the inspection but not the photos
	waitFor(t, "the inspection at the duty desk", 60*time.Second, func() bool {
		rs, _ := duty.PendingReviews(ctx)
		for _, r := range rs {
			if r.ID == in.ID {
				return true
			}
		}
		return false
	})
	dutyNet.down.Store(true)
	waitFor(t, "the duty desk to notice it is offline", 30*time.Second, func() bool { return !duty.Status().Online() })
	if _, err := duty.Photo(ctx, a.ID); !errors.Is(err, desk.ErrPhotoUnavailable) {
		t.Fatalf("offline, a photo never fetched: %v", err)
	}
	var pdf bytes.Buffer
	if err := duty.InspectionPDF(ctx, &pdf, in.ID); err != nil {
		t.Fatalf("report offline: %v", err)
	}
	offline := bytes.Count(pdf.Bytes(), []byte("/Subtype /Image"))

	dutyNet.down.Store(false)
	waitFor(t, "the duty desk back online", 30*time.Second, func() bool { return duty.Status().Online() })
	pdf.Reset()
	if err := duty.InspectionPDF(ctx, &pdf, in.ID); err != nil {
		t.Fatal(err)
	}
	if online := bytes.Count(pdf.Bytes(), []byte("/Subtype /Image")); online != offline+2 {
		t.Errorf("the report embeds %d images online, %d offline: want the 2 photos more", online, offline)
	}
	if p, err := duty.Photo(ctx, b.ID); err != nil || !bytes.Equal(p.Data, extinguisher) {
		t.Fatalf("the fetched photo is kept: %v", err)
	}

	// a snapshot exported at a desk that has not shown the second photo yet
	// still carries both, and the offline reviewer prints them
	fresh := startDesk(t, ts.ts.URL, "auditor", nil)
	waitFor(t, "the inspection at the auditor's desk", 60*time.Second, func() bool {
		x, err := fresh.EntityPage(ctx, e.id)
		return err == nil && len(x.Inspections) > 0 && len(x.Inspections[len(x.Inspections)-1].Photos) == 2
	})
	gpkgPath := filepath.Join(t.TempDir(), "town.gpkg")
	sum, err := fresh.ExportSnapshot(ctx, gpkgPath, nil, time.Time{}, time.Time{}, "photos")
	if err != nil || sum.Photos < 2 {
		t.Fatalf("snapshot: %d photos, %v", sum.Photos, err)
	}
	review, err := desk.OpenSnapshot(ctx, gpkgPath, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer review.Close()
	pdf.Reset()
	if err := review.InspectionPDF(ctx, &pdf, in.ID); err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(pdf.Bytes(), []byte("/Subtype /Image")); n != offline+2 {
		t.Errorf("the report from the snapshot embeds %d images, want %d", n, offline+2)
	}

	// a rectification with a photo of the rectified site
	after := jpegOf(t, 100, 100, 90)
	c, err := leader.AddPhoto(ctx, after)
	if err != nil {
		t.Fatal(err)
	}
	fs, _ := ts.st.FindingsOf(ctx, in.ID)
	if len(fs) != 1 {
		t.Fatalf("findings = %+v", fs)
	}
	waitFor(t, "the hazard at the leader's desk", 30*time.Second, func() bool {
		p, _ := leader.EntityPage(ctx, e.id)
		return len(p.Findings) > 0
	})
	if err := leader.RectifyHazard(ctx, fs[0].ID, "已更换灭火器", []string{c.ID}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the rectification with its photo on the server", 60*time.Second, func() bool {
		fs, _ := ts.st.FindingsOf(ctx, in.ID)
		return fs[0].Status == domain.FindingRectified && len(fs[0].Photos) == 1 && fs[0].Photos[0] == c.ID
	})
}

type shopItems struct {
	id    string
	items []domain.CheckItem
}

// shopWithItems picks a shop with an applicable checklist.
func shopWithItems(t *testing.T, d *desk.Desk) shopItems {
	t.Helper()
	es, err := d.Entities(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.Kind != domain.KindShop {
			continue
		}
		p, err := d.EntityPage(context.Background(), e.ID)
		if err == nil && len(p.Applicable) > 0 {
			return shopItems{id: e.ID, items: p.Applicable}
		}
	}
	t.Fatal("no shop with check items")
	return shopItems{}
}
