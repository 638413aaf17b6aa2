package duplicate_test

import (
	"testing"
	"time"

	"griddesk/core/duplicate"
	"griddesk/domain"
	"griddesk/domain/clock"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Location())

// metres north of a point, in degrees of latitude
func north(m float64) float64 { return m / 111_195 }

func open(id, cat string, dLat float64, hours float64, st domain.CaseStatus) domain.Case {
	return domain.Case{ID: id, No: id, Category: cat, Lon: 120.25, Lat: 30.06 + dLat, Status: st,
		ReportedAt: t0.Add(time.Duration(hours * float64(time.Hour)))}
}

// Which open cases a new report may repeat: the same category, within 50 m
// and 72 h; never itself, never a closed or merged case.
func TestFind(t *testing.T) {
	rule := domain.DefaultDuplicateRule()
	report := open("new", "garbage", 0, 0, domain.StatusRegistered)
	cands := []domain.Case{
		report, // itself
		open("near", "garbage", north(20), -5, domain.StatusDispatched),
		open("edge", "garbage", north(49), -71, domain.StatusAccepted),
		open("far", "garbage", north(60), -1, domain.StatusDispatched),
		open("old", "garbage", north(10), -73, domain.StatusDispatched),
		open("later", "garbage", north(30), 2, domain.StatusRegistered),
		open("other category", "road", north(5), -1, domain.StatusDispatched),
		open("closed", "garbage", north(5), -1, domain.StatusClosed),
		open("evaluated", "garbage", north(5), -1, domain.StatusEvaluated),
		open("rejected", "garbage", north(5), -1, domain.StatusRejected),
		open("merged", "garbage", north(5), -1, domain.StatusMerged),
		open("deferred", "garbage", north(40), -30, domain.StatusDeferred),
	}
	got := duplicate.Find(rule, report, cands)
	want := []string{"near", "later", "deferred", "edge"}
	if len(got) != len(want) {
		t.Fatalf("found %d: %v", len(got), ids(got))
	}
	for i, w := range want {
		if got[i].Case.ID != w {
			t.Fatalf("found %v, want %v", ids(got), want)
		}
	}
	if d := got[0].Distance; d < 19.5 || d > 20.5 {
		t.Errorf("near is %.1f m away", d)
	}
	// a wider rule finds the far one
	rule.RadiusM = 100
	if got := duplicate.Find(rule, report, cands); len(got) != 5 {
		t.Errorf("100 m: %v", ids(got))
	}
	// the box holds everything within the radius
	minLon, minLat, maxLon, maxLat := duplicate.Box(120.25, 30.06, 50)
	if !(maxLat-30.06 > north(50) && 30.06-minLat > north(50) && maxLon-120.25 > 50/96_000.0 && 120.25-minLon > 50/96_000.0) {
		t.Errorf("box %v %v %v %v", minLon, minLat, maxLon, maxLat)
	}
}

func ids(ms []duplicate.Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Case.ID)
	}
	return out
}

// An address reported twice or more in the month is a repeat complaint,
// however its spelling varies in spaces, width and punctuation.
func TestRepeats(t *testing.T) {
	rule := domain.DefaultDuplicateRule()
	c := func(id, addr string, day int) domain.Case {
		return domain.Case{ID: id, No: id, Address: addr, Lon: 120.25, Lat: 30.06, Status: domain.StatusClosed, ReportedAt: t0.AddDate(0, 0, day)}
	}
	cases := []domain.Case{
		c("a1", "峙山路18号", 0), c("a2", "峙山路 18 号", 3), c("a3", "峙山路１８号。", 20),
		c("b1", "浦阳路2号", 1), c("b2", "浦阳路3号", 2),
		c("c1", "临江路9号", 0), c("c2", "临江路9号", 40), // outside the month
		{ID: "e1", EntityID: "E7", ReportedAt: t0, Status: domain.StatusClosed}, {ID: "e2", EntityID: "E7", ReportedAt: t0.Add(time.Hour), Status: domain.StatusMerged},
		{ID: "r1", Address: "浦阳路2号", ReportedAt: t0, Status: domain.StatusRejected},
	}
	got := duplicate.Repeats(rule, cases, t0, t0.AddDate(0, 1, 0))
	if len(got) != 2 || got[0].Count() != 3 || got[0].Address != "峙山路18号" || got[1].Key != "entity:E7" {
		t.Fatalf("repeats: %+v", got)
	}
	counts := duplicate.Counts(got)
	if counts["a2"] != 3 || counts["e2"] != 2 || counts["b1"] != 0 {
		t.Errorf("counts %v", counts)
	}
	if k := duplicate.AddressKey(domain.Case{Lon: 120.25012, Lat: 30.06004}); k != duplicate.AddressKey(domain.Case{Lon: 120.2499, Lat: 30.0601}) {
		t.Errorf("nearby places without an address: %q", k)
	}
}
