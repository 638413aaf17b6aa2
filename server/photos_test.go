package server_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"griddesk/core/command"
	"griddesk/core/report"
	"griddesk/domain"
	"griddesk/domain/photo"
	"griddesk/server"
)

// testJPEG is a w×h JPEG with a gradient (a photo has detail).
func testJPEG(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pngClaiming is a PNG whose header claims w×h pixels.
func pngClaiming(t testing.TB, w, h uint32) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func (d *townDocs) send(method, path, token, ctype string, body []byte, header ...string) (*http.Response, []byte) {
	d.t.Helper()
	req, _ := http.NewRequest(method, d.ts.URL+path, bytes.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

func TestPhotoUpload(t *testing.T) {
	d := newTownDocs(t)
	reporter := d.workerToken(t, d.clean) // the grid worker of d.clean: records inspections there
	jpg := testJPEG(t, 320, 240)

	res, body := d.send("POST", "/api/v1/photos", reporter, "image/jpeg", jpg)
	var info photo.Info
	if err := json.Unmarshal(body, &info); err != nil || res.StatusCode != 201 {
		t.Fatalf("upload: %d %s", res.StatusCode, body)
	}
	if info.ID != photo.ID(jpg) || info.MIME != "image/jpeg" || info.Width != 320 || info.Height != 240 || info.Size != len(jpg) {
		t.Errorf("upload answered %+v", info)
	}
	if loc := res.Header.Get("Location"); loc != "/api/v1/photos/"+info.ID {
		t.Errorf("Location %q", loc)
	}
	if res, body := d.send("POST", "/api/v1/photos", d.tokens[domain.RoleTeamLeader], "image/jpeg; charset=binary", jpg); res.StatusCode != 200 {
		t.Errorf("the same photo again: %d %s, want 200", res.StatusCode, body)
	}

	t.Run("refused", func(t *testing.T) {
		tests := []struct {
			name   string
			token  string
			ctype  string
			body   []byte
			status int
			field  string
			says   string
		}{
			{"no content type", reporter, "", jpg, 415, "", "image/jpeg"},
			{"json", reporter, "application/json", []byte(`{"photo":"x.jpg"}`), 415, "", "not application/json"},
			{"not an image", reporter, "image/png", []byte("这不是照片"), 422, "body", "not a JPEG, PNG or GIF"},
			{"truncated", reporter, "image/jpeg", jpg[:40], 422, "body", "not a JPEG, PNG or GIF"},
			{"type mismatch", reporter, "image/png", jpg, 422, "body", "Content-Type says image/png"},
			{"empty", reporter, "image/jpeg", nil, 422, "body", "empty"},
			{"too many bytes", reporter, "image/jpeg", append(bytes.Clone(jpg), make([]byte, photo.MaxBytes)...), 413, "", "16 MB"},
			{"too many pixels", reporter, "image/png", pngClaiming(t, 90000, 90000), 413, "body", "90000×90000"},
			{"auditor", d.tokens[domain.RoleAuditor], "image/jpeg", jpg, 403, "", ""},
			{"not signed in", "", "image/jpeg", jpg, 401, "", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res, body := d.send("POST", "/api/v1/photos", tt.token, tt.ctype, tt.body)
				var p server.Problem
				if err := json.Unmarshal(body, &p); err != nil || res.StatusCode != tt.status || res.Header.Get("Content-Type") != "application/problem+json" {
					t.Fatalf("%d %s %s, want a %d problem", res.StatusCode, res.Header.Get("Content-Type"), body, tt.status)
				}
				if p.Field != tt.field || !strings.Contains(p.Detail, tt.says) {
					t.Errorf("problem %+v, want field %q saying %q", p, tt.field, tt.says)
				}
			})
		}
	})

	t.Run("read back", func(t *testing.T) {
		res, body := d.send("GET", "/api/v1/photos/"+info.ID, d.tokens[domain.RoleAuditor], "", nil)
		if res.StatusCode != 200 || !bytes.Equal(body, jpg) || res.Header.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("GET: %d %s, %d bytes", res.StatusCode, res.Header.Get("Content-Type"), len(body))
		}
		etag := res.Header.Get("ETag")
		if res, _ := d.send("GET", "/api/v1/photos/"+info.ID, reporter, "", nil, "If-None-Match", etag); res.StatusCode != 304 {
			t.Errorf("If-None-Match %s: %d, want 304", etag, res.StatusCode)
		}
		d.problem(t, "/api/v1/photos/"+photo.ID([]byte("never")), reporter, 404, "not-found", "id")
		d.problem(t, "/api/v1/photos/IMG_0001.jpg", reporter, 404, "not-found", "id")
	})

	t.Run("inspection with photos", func(t *testing.T) {
		second := testJPEG(t, 200, 300)
		if res, body := d.send("POST", "/api/v1/photos", reporter, "image/jpeg", second); res.StatusCode != 201 {
			t.Fatalf("upload: %d %s", res.StatusCode, body)
		}
		items, err := d.st.CheckItems(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		args := command.InspectionArgs{InspectionID: uuid.NewString(), EntityID: d.clean.ID,
			Results: []domain.ItemResult{{ItemID: items[0].ID, Result: domain.ResultPass}}, Photos: []string{info.ID, photo.ID([]byte("never"))}}
		post := func(args command.InspectionArgs) server.CommandResult {
			c, err := command.New(command.InspectionRecord, args, 0, time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)) // before the server's clock
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := json.Marshal(server.CommandsRequest{Commands: []domain.Command{c}})
			res, body := d.send("POST", "/api/v1/commands", reporter, "application/json", raw)
			var out server.CommandsResponse
			if err := json.Unmarshal(body, &out); err != nil || res.StatusCode != 200 || len(out.Results) != 1 {
				t.Fatalf("commands: %d %s", res.StatusCode, body)
			}
			return out.Results[0]
		}
		if r := post(args); r.Status != domain.Rejected || r.Problem == nil || r.Problem.Field != "args.photos[1]" || !strings.Contains(r.Problem.Detail, "was not uploaded") {
			t.Fatalf("a photo never uploaded: %+v %+v", r, r.Problem)
		}
		if _, err := d.st.Inspection(t.Context(), args.InspectionID); err == nil {
			t.Fatal("the refused inspection was kept")
		}
		args.Photos = []string{info.ID, photo.ID(second)}
		if r := post(args); r.Status != domain.Applied {
			t.Fatalf("inspection with photos: %+v %+v", r, r.Problem)
		}
		plain := args
		plain.InspectionID, plain.Photos = uuid.NewString(), nil
		if r := post(plain); r.Status != domain.Applied {
			t.Fatalf("inspection without photos: %+v %+v", r, r.Problem)
		}
		withPhotos := d.pdf(t, "/api/v1/inspections/"+args.InspectionID+"/report.pdf", reporter, report.Filename(report.KindInspection, args.InspectionID))
		without := d.pdf(t, "/api/v1/inspections/"+plain.InspectionID+"/report.pdf", reporter, report.Filename(report.KindInspection, plain.InspectionID))
		if got, base := bytes.Count(withPhotos, []byte("/Subtype /Image")), bytes.Count(without, []byte("/Subtype /Image")); got != base+2 {
			t.Errorf("the report embeds %d images, the one without photos %d: want 2 more", got, base)
		}
		wantText(t, withPhotos, "现场照片", "照片 1", "照片 2")
	})
}
