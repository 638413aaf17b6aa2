package server_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"griddesk/domain"
)

// A 12345 work order reported through the API keeps the hotline's fields;
// the caller's name and phone reach admins and duty officers whole and
// every other role masked, in the answer and in the change feed.
func TestReportWorkOrderMasksCallers(t *testing.T) {
	f := newFixture(t)
	admin := f.login("admin", adminPW)
	due := time.Now().Add(5 * 24 * time.Hour).UTC().Truncate(time.Second)
	resp, body := f.do("POST", "/api/v1/cases", admin, map[string]any{"title": "小区门口垃圾堆积", "category": "garbage",
		"source": "hotline", "lon": 120.05, "lat": 30.05, "address": "临浦镇峙山路18号", "order_no": "GD20260302001",
		"channel": "电话", "appeal_type": "complaint", "reply_due": due, "caller_name": "张小梅", "caller_phone": "13812345678"})
	if resp.StatusCode != 201 {
		t.Fatalf("report: %d %v", resp.StatusCode, body)
	}
	raw, _ := json.Marshal(body)
	var c domain.Case
	json.Unmarshal(raw, &c)
	if c.Order == nil || c.Order.No != "GD20260302001" || c.Order.AppealType != domain.AppealComplaint || !c.Order.ReplyDue.Equal(due) ||
		c.Address != "临浦镇峙山路18号" || len(c.Callers) != 1 || c.Callers[0].Phone != "13812345678" {
		t.Fatalf("the admin's answer: %+v %+v", c, c.Order)
	}
	feed := func(token string) domain.Case {
		t.Helper()
		_, body := f.do("GET", "/api/v1/changes?after=0&limit=1000", token, nil)
		raw, _ := json.Marshal(body)
		var r struct{ Changes []domain.Change }
		json.Unmarshal(raw, &r)
		for _, ch := range r.Changes {
			if ch.Kind == domain.KindCase && ch.ID == c.ID {
				var got domain.Case
				json.Unmarshal(ch.Data, &got)
				return got
			}
		}
		t.Fatalf("case %s not in the feed", c.ID)
		return domain.Case{}
	}
	auditor := f.login("auditor", "auditor-password")
	for i := range 2 { // the second read comes from the feed's shared tail
		if got := feed(auditor); got.Callers[0].Phone != "138****5678" || got.Callers[0].Name != "张**" {
			t.Errorf("read %d: the auditor reads %+v", i, got.Callers)
		}
		if got := feed(admin); got.Callers[0].Phone != "13812345678" {
			t.Errorf("read %d: the admin reads %+v", i, got.Callers)
		}
	}
	// bad fields are named
	for _, bad := range []struct {
		field string
		body  map[string]any
	}{
		{"caller_phone", map[string]any{"caller_phone": "call me"}},
		{"appeal_type", map[string]any{"order_no": "GD1", "appeal_type": "rant"}},
		{"order_no", map[string]any{"channel": "电话"}},
		{"reply_due", map[string]any{"order_no": "GD1", "reply_due": "2001-01-01T00:00:00Z"}},
		{"category", map[string]any{"category": "SJ9999"}},
	} {
		req := map[string]any{"title": "t", "category": "garbage", "lon": 120.05, "lat": 30.05}
		for k, v := range bad.body {
			req[k] = v
		}
		resp, body := f.do("POST", "/api/v1/cases", admin, req)
		if resp.StatusCode != 422 || body["field"] != bad.field {
			t.Errorf("%v: %d %v, want 422 naming %s", bad.body, resp.StatusCode, body, bad.field)
		}
		if d, _ := body["detail"].(string); strings.Contains(d, "call me") && bad.field == "caller_phone" {
			t.Errorf("the refusal repeats the phone: %s", d)
		}
	}
}
