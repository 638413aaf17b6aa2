package web_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"

	"griddesk/domain"
	"griddesk/server/web"
)

// post sends the complaint form of a plate as multipart, like the page.
func post(t *testing.T, url string, fields map[string]string, photo []byte, lang string) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if photo != nil {
		w, _ := mw.CreateFormFile("photo", "p.jpg")
		w.Write(photo)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", url, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept-Language", lang)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestComplaintForm: every bad input is answered on the page, in the
// browser's language, naming the field, and stores nothing.
func TestComplaintForm(t *testing.T) {
	tw := sharedTown(t)
	e, _ := servedEntity(t, tw.st)
	url := tw.url + "/p/" + e.QRToken
	jpg, err := os.ReadFile(photoFile(t, 10))
	if err != nil {
		t.Fatal(err)
	}
	ok := "门口占道摆摊，行人只能走机动车道"
	tests := []struct {
		name   string
		fields map[string]string
		photo  []byte
		lang   string
		status int
		want   string // on the page, by the field
	}{
		{"no text", map[string]string{"text": "  "}, nil, "zh-CN", 422, `id="err-text">请至少写两个字`},
		{"one character", map[string]string{"text": "脏"}, nil, "zh-CN", 422, `id="err-text">`},
		{"too long", map[string]string{"text": strings.Repeat("长", 501)}, nil, "zh-CN", 422, `id="err-text">描述最多 500 字`},
		{"bidi override", map[string]string{"text": "好\u202e评"}, nil, "zh-CN", 422, `id="err-text">描述含有不能显示的字符`},
		{"unknown category", map[string]string{"text": ok, "category": "ufo"}, nil, "zh-CN", 422, `id="err-category">`},
		{"bad phone", map[string]string{"text": ok, "phone": "call me"}, nil, "zh-CN", 422, `id="err-phone">电话号码格式不对`},
		{"not a photo", map[string]string{"text": ok}, []byte("GIF89a but not really"), "zh-CN", 422, `id="err-photo">`},
		{"in English", map[string]string{"text": "x", "phone": "?"}, nil, "en-US,en;q=0.9", 422, `id="err-phone">That is not a phone number`},
		{"field too large", map[string]string{"text": strings.Repeat("a", 9<<10)}, nil, "zh-CN", 413, `id="failed"`},
	}
	before := len(casesBySource(t, tw.st, domain.SourcePublic))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, page := post(t, url, tc.fields, tc.photo, tc.lang)
			if status != tc.status || !strings.Contains(page, tc.want) {
				t.Errorf("status %d, want %d; page has %q: %v", status, tc.status, tc.want, strings.Contains(page, tc.want))
			}
			if tc.status == 422 && !strings.Contains(page, `id="failed"`) {
				t.Error("no page-wide message")
			}
		})
	}
	if n := len(casesBySource(t, tw.st, domain.SourcePublic)); n != before {
		t.Fatalf("bad forms stored %d cases", n-before)
	}
	if status, _ := post(t, tw.url+"/p/0000000000000000", map[string]string{"text": ok}, nil, "zh-CN"); status != 404 {
		t.Errorf("an unknown plate answers %d", status)
	}
	status, _ := post(t, url, map[string]string{"text": ok, "category": "city_appearance"}, jpg, "zh-CN")
	if status != http.StatusSeeOther {
		t.Fatalf("a good complaint answers %d", status)
	}
	if n := len(casesBySource(t, tw.st, domain.SourcePublic)); n != before+1 {
		t.Fatalf("%d cases after a good complaint, want %d", n, before+1)
	}
}

// TestComplaintLimits: the form cannot flood the desk: five complaints an
// hour from one address, twenty a day about one entity, counted in the
// database; refused ones store nothing.
func TestComplaintLimits(t *testing.T) {
	tw := newTown(t)
	ctx := context.Background()
	e, _ := servedEntity(t, tw.st)
	url := tw.url + "/p/" + e.QRToken
	for i := range 5 {
		if status, _ := post(t, url, map[string]string{"text": fmt.Sprintf("第%d次反映：夜里噪音很大", i+1)}, nil, "zh-CN"); status != http.StatusSeeOther {
			t.Fatalf("complaint %d answers %d", i+1, status)
		}
	}
	status, page := post(t, url, map[string]string{"text": "第六次反映：夜里噪音很大"}, nil, "zh-CN")
	if status != http.StatusTooManyRequests || !strings.Contains(page, "提交太频繁") {
		t.Fatalf("the sixth from one address answers %d", status)
	}
	if n := len(casesBySource(t, tw.st, domain.SourcePublic)); n != 5 {
		t.Fatalf("%d public cases, want 5", n)
	}
	// other addresses about the same entity: twenty a day in all
	for i := 5; i < 20; i++ {
		if _, err := tw.srv.Complain(ctx, web.Complaint{Entity: e, Text: "门口垃圾没人清运", Remote: fmt.Sprintf("10.0.0.%d", i)}); err != nil {
			t.Fatalf("complaint %d from another address: %v", i+1, err)
		}
	}
	_, err := tw.srv.Complain(ctx, web.Complaint{Entity: e, Text: "门口垃圾没人清运", Remote: "10.0.1.1"})
	var ref *web.Refusal
	if !errorsAs(err, &ref) || ref.Key != "err.limit.entity" || ref.Status != http.StatusTooManyRequests {
		t.Fatalf("the 21st about one entity: %v", err)
	}
	if n := len(casesBySource(t, tw.st, domain.SourcePublic)); n != 20 {
		t.Fatalf("%d public cases, want 20", n)
	}
	// another entity from a fresh address still goes through
	ents, _ := tw.st.Entities(ctx)
	other := ents[0]
	if other.ID == e.ID {
		other = ents[1]
	}
	if _, err := tw.srv.Complain(ctx, web.Complaint{Entity: other, Text: "门口垃圾没人清运", Remote: "10.0.2.1"}); err != nil {
		t.Fatalf("another entity: %v", err)
	}
}

func errorsAs(err error, target **web.Refusal) bool { return errors.As(err, target) }

// TestReportPages: an inspection report's and a notice's codes open public
// summaries that show counts and dates, not what the hazards are, and an
// inspection opens only under its own plate's token.
func TestReportPages(t *testing.T) {
	tw := sharedTown(t)
	ctx := context.Background()
	fs, err := tw.st.AllFindings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var f domain.Finding
	for _, x := range fs {
		if x.Status == domain.FindingOpen && x.Description != "" {
			f = x
			break
		}
	}
	if f.ID == "" {
		t.Fatal("the town has no open hazard with a description")
	}
	e, err := tw.st.Entity(ctx, f.EntityID)
	if err != nil {
		t.Fatal(err)
	}
	ents, err := tw.st.Entities(ctx)
	if err != nil {
		t.Fatal(err)
	}
	other := ents[0]
	if other.ID == e.ID {
		other = ents[1]
	}
	for _, tc := range []struct {
		path   string
		status int
		want   []string
	}{
		{"/p/" + e.QRToken + "/i/" + f.InspectionID, 200, []string{"检查报告（公开摘要）", `id="ihazards"`}},
		{"/p/" + e.QRToken + "/notice", 200, []string{"隐患整改进度", "待整改"}},
		{"/p/" + e.QRToken, 200, []string{`id="open"`}},
		{"/p/" + other.QRToken + "/i/" + f.InspectionID, 404, []string{"未找到这份检查报告"}},
		{"/p/" + e.QRToken + "/i/NOPE", 404, nil},
		{"/p/unknown-token/notice", 404, []string{"未找到这块门牌"}},
	} {
		res, body := tw.get(t, tc.path, "")
		page := string(body)
		if res.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d", tc.path, res.StatusCode, tc.status)
		}
		for _, w := range tc.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s lacks %q", tc.path, w)
			}
		}
		if strings.Contains(page, f.Description) {
			t.Errorf("%s shows the hazard %q to the public", tc.path, f.Description)
		}
	}
}
