package plan

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"griddesk/core/route"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/domain/geo"
)

// shops returns n shops on a 100 m lattice east of the base.
func shops(n int, code string) []domain.Entity {
	out := make([]domain.Entity, n)
	for i := range out {
		out[i] = entity(fmt.Sprintf("S%03d", i), domain.KindShop, code, 200+float64(i%10)*100, float64(i/10)*100)
	}
	return out
}

// checkDays checks what every plan must satisfy day by day: working days of
// the team in the period, within the daily minutes, stops in route.Tour
// order over great-circle metres from the base.
func checkDays(t *testing.T, p *Plan, in Input) {
	t.Helper()
	cal := in.Calendar
	if cal == nil {
		cal = clock.China()
	}
	bases := map[string]orb.Point{}
	for _, tp := range p.Teams {
		bases[tp.ID] = tp.Base
	}
	for _, d := range p.Days {
		where := d.TeamID + " " + d.Date.Format(time.DateOnly)
		if !cal.IsWorkday(d.Date) || d.Date.Before(p.Period.Start) || d.Date.After(p.Period.End) {
			t.Errorf("%s: not a working day of the period", where)
		}
		if d.Minutes > d.Capacity+1e-9 {
			t.Errorf("%s: %.1f minutes > %.0f", where, d.Minutes, d.Capacity)
		}
		sum := 0.0
		for _, s := range d.Stops {
			sum += s.Minutes
		}
		if abs(sum-d.VisitMinutes) > 1e-9 {
			t.Errorf("%s: visit minutes %.2f, stops sum to %.2f", where, d.VisitMinutes, sum)
		}
		if d.Manual || slices.ContainsFunc(d.Stops, func(s Stop) bool { return s.Locked }) {
			continue
		}
		sorted := slices.Clone(d.Stops)
		slices.SortFunc(sorted, func(a, b Stop) int { return cmp.Compare(a.EntityID, b.EntityID) })
		pts := []orb.Point{bases[d.TeamID]}
		for _, s := range sorted {
			pts = append(pts, orb.Point{s.Lon, s.Lat})
		}
		tour := route.Tour(len(pts), func(i, j int) float64 { return geo.Haversine(pts[i], pts[j]) })
		for k, i := range tour[1:] {
			if d.Stops[k].EntityID != sorted[i-1].EntityID {
				t.Errorf("%s: stop %d is %s, route.Tour puts %s there", where, k+1, d.Stops[k].EntityID, sorted[i-1].EntityID)
				break
			}
		}
	}
}

func TestDailyMinutesAndCapacityOverflow(t *testing.T) {
	in := quarter([]domain.CheckItem{item("CITY", "law", 30, false), item("HYG", "health", 90, false)}, shops(300, domain.CodeGreen)...)
	in.Teams[0].DailyMinutes = 60 // about 8 visits a day: 300 monthly visits do not fit
	p, err := Generate(in)
	if err != nil {
		t.Fatal(err)
	}
	checkDays(t, p, in)
	if len(p.Overflow) == 0 {
		t.Fatal("no overflow, want the visits that do not fit")
	}
	for _, o := range p.Overflow {
		if o.Reason != ReasonCapacity || o.TeamID != "T1" || o.Why == "" || len(o.Items) == 0 {
			t.Fatalf("overflow %+v, want a capacity overflow of T1 with its items", o)
		}
		if !o.Scheduled.IsZero() && !o.Scheduled.After(o.Due) {
			t.Errorf("overflow %s scheduled on %s, not after its due date %s", o.EntityID, o.Scheduled, o.Due)
		}
	}
	over := map[string]bool{}
	for _, o := range p.Overflow {
		over[o.EntityID] = true
	}
	for _, c := range p.Coverage {
		if !c.OK && !over[c.EntityID] {
			t.Errorf("%s at %s goes %d days unchecked and is not in the overflow", c.ItemID, c.EntityID, c.MaxGapDays)
		}
	}
	// the same work with the default 420 minutes fits
	in.Teams[0].DailyMinutes = 0
	p = mustGenerate(t, in)
	checkDays(t, p, in)
	if len(p.Overflow) != 0 {
		t.Errorf("%d overflow with 420 minutes a day, want none", len(p.Overflow))
	}
}

// TestSpringFestival plans February 2026: Spring Festival is off from
// February 15 to 23, February 14 and 28 (Saturdays) are make-up working
// days. Visits due during the holiday are made before it.
func TestSpringFestival(t *testing.T) {
	ents := shops(60, domain.CodeGreen)
	last := map[[2]string]time.Time{}
	for i, e := range ents {
		last[[2]string{e.ID, "CITY"}] = date(2026, 1, 14+i%10) // due February 13–22
	}
	in := quarter([]domain.CheckItem{item("CITY", "law", 30, false)}, ents...)
	in.Start, in.End, in.Last = date(2026, 2, 1), date(2026, 2, 28), lastOf(last)
	p := mustGenerate(t, in)
	checkDays(t, p, in)

	march := mustGenerate(t, func() Input { in := in; in.Start, in.End = date(2026, 3, 1), date(2026, 3, 28); return in }())
	if p.Period.Workdays >= march.Period.Workdays {
		t.Errorf("February has %d working days, March's first 28 days %d: want fewer in February", p.Period.Workdays, march.Period.Workdays)
	}
	if got := p.Period.Workdays; got != 16 {
		t.Errorf("February 2026 has %d working days, want 16", got)
	}
	for _, d := range p.Days {
		if !d.Date.Before(date(2026, 2, 15)) && d.Date.Before(date(2026, 2, 24)) {
			t.Errorf("a round on %s, in the holiday", d.Date.Format(time.DateOnly))
		}
	}
	for _, e := range ents {
		got := stopDates(p, e.ID)
		if len(got) != 1 || got[0] > "2026-02-14" {
			t.Errorf("%s visited %v, want once by February 14", e.ID, got)
		}
	}
	if len(p.Overflow) != 0 {
		t.Errorf("overflow %+v", p.Overflow)
	}
}

// TestNoWorkingDayOverflow: a weekly item checked on the make-up Saturday
// before Spring Festival falls due in the holiday; no working day can take
// it, so it is reported and visited on the first day after.
func TestNoWorkingDayOverflow(t *testing.T) {
	ents := shops(1, domain.CodeGreen)
	in := quarter([]domain.CheckItem{item("WEEK", "safety", 7, false)}, ents...)
	in.Start, in.End = date(2026, 2, 15), date(2026, 3, 8)
	in.Last = lastOf(map[[2]string]time.Time{{"S000", "WEEK"}: date(2026, 2, 14)})
	p, err := Generate(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Overflow) != 1 {
		t.Fatalf("overflow %+v, want one", p.Overflow)
	}
	o := p.Overflow[0]
	if o.Reason != ReasonNoWorkday || !o.Due.Equal(date(2026, 2, 21)) || !o.Scheduled.Equal(date(2026, 2, 24)) {
		t.Errorf("overflow %+v, want no working day before the due date 2026-02-21, visited 2026-02-24", o)
	}
	if c := coverageOf(p, "S000", "WEEK"); c.OK || c.MaxGapDays != 10 {
		t.Errorf("coverage %+v, want a 10-day gap reported", c)
	}
	if err := p.Verify(); err != nil {
		t.Errorf("Verify: %v (the gap is explained by the overflow)", err)
	}
}

// TestRedAndYellowFirst: with room for only some visits before their common
// due date, red entities are taken before yellow before green.
func TestRedAndYellowFirst(t *testing.T) {
	var ents []domain.Entity
	for i, code := range []string{domain.CodeGreen, domain.CodeYellow, domain.CodeRed} {
		for _, e := range shops(10, code) {
			e.ID = fmt.Sprintf("%c%s", "GYR"[i], e.ID)
			ents = append(ents, e)
		}
	}
	in := quarter([]domain.CheckItem{item("CITY", "law", 30, false)}, ents...)
	in.Options.IgnoreCodes = true
	in.End = date(2026, 4, 30)
	p := mustGenerate(t, in)
	checkDays(t, p, in)
	first := map[byte]string{}
	for _, d := range p.Days {
		for _, s := range d.Stops {
			if _, ok := first[s.EntityID[0]]; !ok {
				first[s.EntityID[0]] = d.Date.Format(time.DateOnly)
			}
		}
	}
	if !(first['R'] <= first['Y'] && first['Y'] <= first['G'] && first['R'] < first['G']) {
		t.Errorf("first visits red %s, yellow %s, green %s: want red first", first['R'], first['Y'], first['G'])
	}
}

func TestArrivalTimes(t *testing.T) {
	in := quarter([]domain.CheckItem{item("CITY", "law", 30, false)}, shops(12, domain.CodeGreen)...)
	p := mustGenerate(t, in)
	d := p.Days[0]
	want := d.Date.Add(8*time.Hour + 30*time.Minute)
	prev := p.Teams[0].Base
	for _, s := range d.Stops {
		want = want.Add(minutes(geo.Haversine(prev, orb.Point{s.Lon, s.Lat}) / 1000 / 20 * 60))
		if !s.Arrive.Equal(want) {
			t.Fatalf("%s arrives %s, want %s", s.EntityID, s.Arrive.Format(time.TimeOnly), want.Format(time.TimeOnly))
		}
		want = want.Add(minutes(s.Minutes))
		prev = orb.Point{s.Lon, s.Lat}
	}
}

func TestVisitLongerThanADay(t *testing.T) {
	far := entity("FAR", domain.KindShop, domain.CodeGreen, 80000, 0) // 8 h there and back at 20 km/h
	in := quarter([]domain.CheckItem{item("CITY", "law", 30, false)}, far, entity("NEAR", domain.KindShop, domain.CodeGreen, 100, 0))
	p := mustGenerate(t, in)
	checkDays(t, p, in)
	if len(stopDates(p, "FAR")) != 0 || len(stopDates(p, "NEAR")) != 3 {
		t.Errorf("FAR visited %v, NEAR %v; want never and 3 times", stopDates(p, "FAR"), stopDates(p, "NEAR"))
	}
	if len(p.Overflow) != 1 || p.Overflow[0].EntityID != "FAR" || !strings.Contains(p.Overflow[0].Why, "more than team T1's day") {
		t.Errorf("overflow %+v, want FAR's visit too long for a day", p.Overflow)
	}
}

// The planner never schedules a visit on a statutory holiday, also in a year
// whose holiday notice is not loaded (2027 here): 元旦 2027-01-01 (Friday),
// 春节 from 除夕 2027-02-05 (Friday) to 初三 02-08 (Monday), by 全国年节及纪念日
// 放假办法 as in force from 2025.
func TestNoRoundOnStatutoryHolidaysWithoutNotice(t *testing.T) {
	if clock.China().Known(2027) {
		t.Skip("2027's notice is loaded; the law's days are covered by TestSpringFestival's kind")
	}
	ents := shops(120, domain.CodeGreen)
	in := quarter([]domain.CheckItem{item("CITY", "law", 7, false)}, ents...) // weekly: rounds on most working days
	in.Start, in.End = date(2026, 12, 21), date(2027, 2, 26)
	in.Teams[0].DailyMinutes = 60
	p := mustGenerate(t, in)
	checkDays(t, p, in)
	holidays := map[string]bool{"2027-01-01": true, "2027-02-05": true, "2027-02-06": true, "2027-02-07": true, "2027-02-08": true}
	worked := map[string]bool{}
	for _, d := range p.Days {
		day := d.Date.Format(time.DateOnly)
		worked[day] = true
		if holidays[day] {
			t.Errorf("a round on %s, a statutory holiday", day)
		}
	}
	for _, day := range []string{"2026-12-31", "2027-01-04", "2027-02-04", "2027-02-09"} {
		if !worked[day] {
			t.Errorf("no round on %s, a working day next to the holidays", day)
		}
	}
}
