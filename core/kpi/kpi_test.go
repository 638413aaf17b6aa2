package kpi_test

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"griddesk/core/kpi"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/domain/workflow"
)

// at parses a China Standard Time moment "2006-01-02 15:04:05".
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04:05", s, clock.Location())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// ev is one timeline entry: "2026-03-02 09:00:00 report".
type ev string

// fixture builds a case and its timeline, each state taken from the
// workflow state machine, so the timeline is one the desk could have made.
func fixture(t testing.TB, id, unit, policy, category string, evs ...ev) (domain.Case, []domain.Action) {
	t.Helper()
	c := domain.Case{ID: id, UnitID: unit, Policy: policy, Category: category}
	var acts []domain.Action
	var state, before domain.CaseStatus
	for i, e := range evs {
		s := string(e)
		when, action := at(t, s[:19]), s[20:]
		to := domain.StatusReported
		if action != "report" {
			var err error
			if to, err = workflow.Next(state, action, before); err != nil {
				t.Fatalf("fixture %s: %v", id, err)
			}
		}
		if action == "defer" {
			before = state
		}
		acts = append(acts, domain.Action{ID: fmt.Sprintf("%s-%d", id, i), CaseID: id, Action: action, FromStatus: state, ToStatus: to, At: when})
		state = to
	}
	if len(acts) > 0 {
		c.ReportedAt = acts[0].At
	}
	c.Status = state
	return c, acts
}

var units = []domain.Unit{
	{ID: "U-A", Name: "第3中队", Kind: domain.UnitSquad},
	{ID: "U-B", Name: "第2工作站", Kind: domain.UnitStation},
	{ID: "U-C", Name: "第1部门", Kind: domain.UnitDepartment},
	{ID: "U-D", Name: "第4部门", Kind: domain.UnitDepartment}, // no case: no row
	{ID: "U-E", Name: "第0工作站", Kind: domain.UnitStation},
	{ID: "U-F", Name: "第5部门", Kind: domain.UnitDepartment},
}

// march is the fixed data set, scored for March 2026 (no holiday in it: every
// Monday–Friday works). The expected values are worked out by hand next to
// each case and in TestComputeFixed.
func march(t testing.TB) ([]domain.Case, map[string][]domain.Action) {
	var cases []domain.Case
	tl := map[string][]domain.Action{}
	add := func(id, unit, policy, category string, evs ...ev) {
		c, acts := fixture(t, id, unit, policy, category, evs...)
		cases = append(cases, c)
		if acts != nil {
			tl[id] = acts
		}
	}
	// ---- U-A, 333: on site 3 min after dispatch, first feedback 3 min after arrival.
	// A1: arrive clock 09:00:20 → deadline 09:03:20 (met 09:02:20); feedback clock
	// 09:02:20 → 09:05:20 (met 09:04:00). Due 03-02, closed, on time, handled.
	// Steps: dispatch 20s, accept 30s, arrive 2m, feedback 1m40s, handle 7m40s, close 30m.
	add("A1", "U-A", "333", "garbage",
		"2026-03-02 09:00:00 report", "2026-03-02 09:00:05 register", "2026-03-02 09:00:20 dispatch",
		"2026-03-02 09:00:50 accept", "2026-03-02 09:02:20 arrive", "2026-03-02 09:04:00 feedback",
		"2026-03-02 09:10:00 handle", "2026-03-02 09:30:00 close")
	// A2: arrives 5 min after dispatch (deadline 10:03:10): late. Reworked.
	// Due 03-10, closed, not on time, handled, reworked.
	// Steps: dispatch 10s, accept 50s, arrive 5m, feedback 50s (10:05:10 → 10:06:00),
	// handle 14m50s (first handle, from the arrival before it), close 1h30m.
	add("A2", "U-A", "333", "garbage",
		"2026-03-10 10:00:00 report", "2026-03-10 10:00:05 register", "2026-03-10 10:00:10 dispatch",
		"2026-03-10 10:01:00 accept", "2026-03-10 10:05:10 arrive", "2026-03-10 10:06:00 feedback",
		"2026-03-10 10:20:00 handle", "2026-03-10 10:40:00 verify_fail", "2026-03-10 10:41:00 accept",
		"2026-03-10 10:45:00 arrive", "2026-03-10 11:00:00 handle", "2026-03-10 11:30:00 close")
	// A3: dispatched 03-31 23:50:30 China time, deadline 23:53:30; arrives and
	// closes on 04-01 (still 03-31 in UTC!). Due in March, not closed by its end.
	// Steps in March: dispatch 30s, accept 30s.
	add("A3", "U-A", "333", "garbage",
		"2026-03-31 23:50:00 report", "2026-03-31 23:50:10 register", "2026-03-31 23:50:30 dispatch",
		"2026-03-31 23:51:00 accept", "2026-04-01 00:10:00 arrive", "2026-04-01 01:00:00 handle",
		"2026-04-01 02:00:00 close")
	// A4: due in February (deadline 02-27 09:03:10), closed in March.
	// Only its close step (02-27 09:00 → 03-02 10:00 = 73h) counts in March.
	add("A4", "U-A", "333", "garbage",
		"2026-02-27 09:00:00 report", "2026-02-27 09:00:05 register", "2026-02-27 09:00:10 dispatch",
		"2026-02-27 09:00:40 accept", "2026-02-27 09:02:00 arrive", "2026-02-27 09:05:00 handle",
		"2026-03-02 10:00:00 close")
	// A5: never dispatched: no unit clock, not due, no step.
	add("A5", "U-A", "333", "garbage", "2026-03-20 09:00:00 report", "2026-03-20 09:00:10 register")

	// ---- U-B, 135: closed within 5 calendar days of registration.
	// B1: registered 03-03 10:00 → deadline 03-08 10:00; closed 03-07 09:00: on time.
	// Steps: dispatch 2h, accept 1h, arrive 22h, handle 48h, close 96h.
	add("B1", "U-B", "135", "dispute",
		"2026-03-03 09:00:00 report", "2026-03-03 10:00:00 register", "2026-03-03 11:00:00 dispatch",
		"2026-03-03 12:00:00 accept", "2026-03-04 09:00:00 arrive", "2026-03-06 09:00:00 handle",
		"2026-03-07 09:00:00 close")
	// B2: deferred 2 days (03-11 10:00 → 03-13 10:00), so the unit's deadline
	// moves from 03-15 09:30 to 03-17 09:30; it is due by the deadline before
	// the deferral, 03-15 09:30. Due, deferred, closed anyway (挂账后结案), handled.
	// Steps: dispatch 1h, accept 1h, arrive 23h, handle 72h − 48h deferred = 24h,
	// close 120h − 48h = 72h.
	add("B2", "U-B", "135", "dispute",
		"2026-03-10 09:00:00 report", "2026-03-10 09:30:00 register", "2026-03-10 10:00:00 dispatch",
		"2026-03-10 11:00:00 accept", "2026-03-11 09:00:00 arrive", "2026-03-11 10:00:00 defer",
		"2026-03-13 10:00:00 resume", "2026-03-14 09:00:00 handle", "2026-03-15 09:00:00 close")
	// B3: deadline 03-07 09:00; deferred only on 03-09, after it: the deadline
	// stays. Due, deferred, still deferred at the month's end. Steps: dispatch 1h.
	add("B3", "U-B", "135", "dispute",
		"2026-03-02 09:00:00 report", "2026-03-02 09:00:00 register", "2026-03-02 10:00:00 dispatch",
		"2026-03-09 09:00:00 defer")
	// B4: deadline 03-21 09:00, closed 03-23 09:00: late. Due, closed, handled.
	// Steps: dispatch 1h, accept 1h, arrive 47h, handle 96h, close 168h.
	add("B4", "U-B", "135", "dispute",
		"2026-03-16 09:00:00 report", "2026-03-16 09:00:00 register", "2026-03-16 10:00:00 dispatch",
		"2026-03-16 11:00:00 accept", "2026-03-18 09:00:00 arrive", "2026-03-22 09:00:00 handle",
		"2026-03-23 09:00:00 close")
	// B5: deadline 04-03 09:00: due in April. Steps in March: dispatch 1h.
	add("B5", "U-B", "135", "dispute",
		"2026-03-29 09:00:00 report", "2026-03-29 09:00:00 register", "2026-03-29 10:00:00 dispatch")

	// ---- U-C, department: on site within 5 working days of dispatch, first
	// feedback within 15, then every 7.
	// C1: dispatched Mon 03-02 10:00: on site by 03-09 10:00 (met 03-05), first
	// feedback by 03-23 10:00 (met 03-12); round 2 of feedback from 03-12 10:00,
	// 7 working days → 03-23 10:00, ended by the close on 03-19: on time.
	// Deadline = max(03-09, 03-23) = 03-23 10:00: due, closed, on time, handled.
	// Steps: dispatch 1h, accept 4h, arrive 72h, feedback 168h, handle 312h, close 409h.
	add("C1", "U-C", "department", "road",
		"2026-03-02 09:00:00 report", "2026-03-02 09:30:00 register", "2026-03-02 10:00:00 dispatch",
		"2026-03-02 14:00:00 accept", "2026-03-05 10:00:00 arrive", "2026-03-12 10:00:00 feedback",
		"2026-03-18 10:00:00 handle", "2026-03-19 10:00:00 close")
	// C2: dispatched 03-16: first feedback due in April, so not due in March,
	// though late on site. Steps: dispatch 1h, accept 1h, arrive 216h (9 days).
	add("C2", "U-C", "department", "road",
		"2026-03-16 09:00:00 report", "2026-03-16 09:00:00 register", "2026-03-16 10:00:00 dispatch",
		"2026-03-16 11:00:00 accept", "2026-03-25 10:00:00 arrive")
	// C3: rejected, no unit: left out silently.
	add("C3", "", "department", "road", "2026-03-05 09:00:00 report", "2026-03-05 09:05:00 reject")
	// C4: no timeline; C5: unknown policy: both skipped, with the reason.
	add("C4", "U-C", "department", "road")
	add("C5", "U-C", "999", "road", "2026-03-05 09:00:00 report")

	// ---- U-E, 135, empty Policy (the dispute category's default, 135).
	// E1: deadline 03-09 09:00, closed 03-05: on time. E2: closed 03-10: late.
	// Steps: dispatch 1h+1h, accept 1h+1h, arrive 2h+2h, handle 20h and 140h,
	// close 24h and 144h.
	add("E1", "U-E", "", "dispute",
		"2026-03-04 09:00:00 report", "2026-03-04 09:00:00 register", "2026-03-04 10:00:00 dispatch",
		"2026-03-04 11:00:00 accept", "2026-03-04 12:00:00 arrive", "2026-03-05 08:00:00 handle",
		"2026-03-05 09:00:00 close")
	add("E2", "U-E", "", "dispute",
		"2026-03-04 09:00:00 report", "2026-03-04 09:00:00 register", "2026-03-04 10:00:00 dispatch",
		"2026-03-04 11:00:00 accept", "2026-03-04 12:00:00 arrive", "2026-03-10 08:00:00 handle",
		"2026-03-10 09:00:00 close")

	// ---- U-F, department: dispatched 03-25, due in April. Steps: dispatch 1h.
	add("F1", "U-F", "department", "road",
		"2026-03-25 09:00:00 report", "2026-03-25 09:00:00 register", "2026-03-25 10:00:00 dispatch")
	return cases, tl
}

type counts struct{ due, deferred, closed, onTime, deferredClosed, handled, reworked int }

func rowCounts(r kpi.UnitRow) counts {
	return counts{r.Due, r.Deferred, r.Closed, r.ClosedOnTime, r.DeferredClosed, r.Handled, r.Reworked}
}

func TestComputeFixed(t *testing.T) {
	cases, tl := march(t)
	// any moment of March, in any zone, names the month
	rep := kpi.Compute(cases, tl, units, clock.China(), time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC))
	if want := at(t, "2026-03-01 00:00:00"); !rep.Month.Equal(want) || !rep.End.Equal(at(t, "2026-04-01 00:00:00")) {
		t.Fatalf("month %v – %v, want March 2026 in China time", rep.Month, rep.End)
	}
	if want := []string{"C4: no timeline", `C5: unknown clock policy "999"`}; !slices.Equal(rep.Skipped, want) {
		t.Errorf("skipped %q, want %q", rep.Skipped, want)
	}

	type rates struct{ close, onTime, rework, deferRate kpi.Ratio }
	tests := []struct {
		unit  string
		rank  int
		c     counts
		rates rates
	}{
		// U-A: due A1 A2 A3; closed A1 A2; on time A1; handled A1 A2; reworked A2.
		// 结案率 2/(3−0); 按期 1/3; 返工率 1/2; 延期率 0/3.
		{"U-A", 4, counts{due: 3, closed: 2, onTime: 1, handled: 2, reworked: 1}, rates{r(2, 3), r(1, 3), r(1, 2), r(0, 3)}},
		// U-B: due B1 B2 B3 B4; deferred B2 B3 (B2 closed anyway); closed B1 B4;
		// on time B1; handled B1 B2 B4. 结案率 2/(4−2); 按期 1/2; 返工率 0/3; 延期率 2/4.
		{"U-B", 3, counts{due: 4, deferred: 2, closed: 2, onTime: 1, deferredClosed: 1, handled: 3}, rates{r(2, 2), r(1, 2), r(0, 3), r(2, 4)}},
		// U-C: due C1, closed on time. All 1/1 but 返工 0/1 and 延期 0/1.
		{"U-C", 1, counts{due: 1, closed: 1, onTime: 1, handled: 1}, rates{r(1, 1), r(1, 1), r(0, 1), r(0, 1)}},
		// U-E: due E1 E2, both closed, E1 on time. Ties U-B (50%, 100%): "第0工作站" < "第2工作站".
		{"U-E", 2, counts{due: 2, closed: 2, onTime: 1, handled: 2}, rates{r(2, 2), r(1, 2), r(0, 2), r(0, 2)}},
		// U-F: nothing due, a dispatch step only: every rate undefined, not ranked.
		{"U-F", 0, counts{}, rates{r(0, 0), r(0, 0), r(0, 0), r(0, 0)}},
	}
	if len(rep.Rows) != len(tests) {
		t.Fatalf("%d rows, want %d (U-D has no case)", len(rep.Rows), len(tests))
	}
	for i, tt := range tests {
		row := rep.Rows[i]
		if row.UnitID != tt.unit {
			t.Fatalf("row %d is %s, want %s", i, row.UnitID, tt.unit)
		}
		if got := rowCounts(row); got != tt.c {
			t.Errorf("%s counts %+v, want %+v", tt.unit, got, tt.c)
		}
		if got := (rates{row.CloseRate, row.OnTimeRate, row.ReworkRate, row.DeferRate}); got != tt.rates {
			t.Errorf("%s rates %+v, want %+v", tt.unit, got, tt.rates)
		}
		if row.Rank != tt.rank {
			t.Errorf("%s rank %d, want %d", tt.unit, row.Rank, tt.rank)
		}
	}
	// ranking: 按期 desc (U-C 1/1; U-E, U-B 1/2; U-A 1/3), then 结案率, then name
	var ranking []string
	for i, row := range rep.Ranking {
		ranking = append(ranking, row.UnitID)
		if row.Rank != i+1 {
			t.Errorf("ranking[%d] has rank %d", i, row.Rank)
		}
	}
	if want := []string{"U-C", "U-E", "U-B", "U-A"}; !slices.Equal(ranking, want) {
		t.Errorf("ranking %v, want %v", ranking, want)
	}

	// total: due 3+4+1+2 = 10, deferred 2, closed 2+2+1+2 = 7, on time 4,
	// deferred closed 1, handled 2+3+1+2 = 8, reworked 1.
	// 结案率 7/8 = 87.5%, 按期 4/8 = 50%, 返工率 1/8 = 12.5%, 延期率 2/10 = 20%.
	if got, want := rowCounts(rep.Total), (counts{10, 2, 7, 4, 1, 8, 1}); got != want {
		t.Errorf("total %+v, want %+v", got, want)
	}
	for _, c := range []struct {
		got  kpi.Ratio
		want string
	}{{rep.Total.CloseRate, "87.5%"}, {rep.Total.OnTimeRate, "50.0%"}, {rep.Total.ReworkRate, "12.5%"}, {rep.Total.DeferRate, "20.0%"}} {
		if c.got.String() != c.want {
			t.Errorf("total rate %v = %s, want %s", c.got, c.got, c.want)
		}
	}

	// the due cases and their deadlines
	var due []string
	for _, d := range rep.Due {
		due = append(due, d.CaseID+"@"+d.Deadline.Format("01-02 15:04:05"))
	}
	wantDue := []string{"A1@03-02 09:03:20", "A2@03-10 10:03:10", "A3@03-31 23:53:30",
		"B1@03-08 10:00:00", "B2@03-15 09:30:00", "B3@03-07 09:00:00", "B4@03-21 09:00:00",
		"C1@03-23 10:00:00", "E1@03-09 09:00:00", "E2@03-09 09:00:00"}
	if !slices.Equal(due, wantDue) {
		t.Errorf("due\n %v\nwant\n %v", due, wantDue)
	}
}

func r(num, den int) kpi.Ratio { return kpi.Ratio{Num: num, Den: den} }

func TestComputeFixedSteps(t *testing.T) {
	cases, tl := march(t)
	rep := kpi.Compute(cases, tl, units, nil, at(t, "2026-03-31 23:59:59"))
	s, m, h := time.Second, time.Minute, time.Hour
	type stat struct {
		n           int
		median, p90 time.Duration
	}
	// nearest rank: median = value ⌈n/2⌉, P90 = value ⌈0.9·n⌉ of the sorted times
	tests := []struct {
		unit string // "" is the total
		want map[string]stat
	}{
		{"U-A", map[string]stat{
			"dispatch": {3, 20 * s, 30 * s},          // 10s 20s 30s → 2nd, 3rd
			"accept":   {3, 30 * s, 50 * s},          // 30s 30s 50s
			"arrive":   {2, 2 * m, 5 * m},            // 2m 5m → 1st, 2nd
			"feedback": {2, 50 * s, 100 * s},         // 50s 1m40s
			"handle":   {2, 7*m + 40*s, 14*m + 50*s}, // 7m40s 14m50s
			"close":    {3, 90 * m, 73 * h},          // 30m 1h30m 73h (A4, closed in March)
		}},
		{"U-B", map[string]stat{
			"dispatch": {5, 1 * h, 2 * h},   // 1h 1h 1h 1h 2h → 3rd, 5th
			"accept":   {3, 1 * h, 1 * h},   // B1 B2 B4
			"arrive":   {3, 23 * h, 47 * h}, // 22h 23h 47h
			"feedback": {0, 0, 0},
			"handle":   {3, 48 * h, 96 * h},  // 24h (B2, deferral left out) 48h 96h
			"close":    {3, 96 * h, 168 * h}, // 72h 96h 168h
		}},
		{"U-C", map[string]stat{
			"dispatch": {2, 1 * h, 1 * h},
			"accept":   {2, 1 * h, 4 * h},
			"arrive":   {2, 72 * h, 216 * h},
			"feedback": {1, 168 * h, 168 * h},
			"handle":   {1, 312 * h, 312 * h},
			"close":    {1, 409 * h, 409 * h},
		}},
		{"U-E", map[string]stat{
			"arrive": {2, 2 * h, 2 * h},
			"handle": {2, 20 * h, 140 * h}, // 03-04 12:00 → 03-05 08:00, → 03-10 08:00
			"close":  {2, 24 * h, 144 * h},
		}},
		{"", map[string]stat{
			// 10s 20s 30s, nine times 1h, 2h: 7th and 12th of 13 are both 1h
			"dispatch": {13, 1 * h, 1 * h},
			// 30m 1h30m 24h 72h 73h 96h 144h 168h 409h: 5th and 9th
			"close": {9, 73 * h, 409 * h},
		}},
	}
	for _, tt := range tests {
		row := rep.Total
		for _, x := range rep.Rows {
			if x.UnitID == tt.unit {
				row = x
			}
		}
		if len(row.Steps) != len(kpi.Steps) {
			t.Fatalf("%q: %d steps, want %d", tt.unit, len(row.Steps), len(kpi.Steps))
		}
		for _, st := range row.Steps {
			want, ok := tt.want[st.Key]
			if !ok {
				continue
			}
			if got := (stat{st.N, st.Median, st.P90}); got != want {
				t.Errorf("%q %s: %+v, want %+v", tt.unit, st.Key, got, want)
			}
		}
	}
}

// TestComputeAsOf looks at March on 03-10 12:00: only deadlines passed by
// then are due: A1 (03-02), A2 (03-10 10:03, closed 11:30), B1 (03-08),
// B3 (03-07), E1 and E2 (03-09; E2 closed 03-10 09:00, late).
func TestComputeAsOf(t *testing.T) {
	cases, tl := march(t)
	rep := kpi.ComputeAsOf(cases, tl, units, nil, at(t, "2026-03-01 00:00:00"), at(t, "2026-03-10 12:00:00"))
	var due []string
	for _, d := range rep.Due {
		due = append(due, d.CaseID)
	}
	if want := []string{"A1", "A2", "B1", "B3", "E1", "E2"}; !slices.Equal(due, want) {
		t.Errorf("due %v, want %v", due, want)
	}
	// U-A: A1 on time, A2 closed late: 按期 1/2, 结案 2/2
	if rep.Rows[0].UnitID != "U-A" || rep.Rows[0].OnTimeRate != r(1, 2) || rep.Rows[0].CloseRate != r(2, 2) {
		t.Errorf("U-A as of 03-10 12:00: %+v", rep.Rows[0])
	}
	// a moment after the month is clamped to its end
	late := kpi.ComputeAsOf(cases, tl, units, nil, at(t, "2026-03-01 00:00:00"), at(t, "2026-07-01 00:00:00"))
	if late.Total.Due != 10 || !late.AsOf.Before(late.End) {
		t.Errorf("as of July: due %d, as of %v", late.Total.Due, late.AsOf)
	}
}

func TestRatio(t *testing.T) {
	tests := []struct {
		r     kpi.Ratio
		valid bool
		value float64
		str   string
	}{
		{r(1, 3), true, 1.0 / 3, "33.3%"},
		{r(0, 4), true, 0, "0.0%"},
		{r(2, 2), true, 1, "100.0%"},
		{r(0, 0), false, 0, "—"},
		{r(3, 0), false, 0, "—"},
	}
	for _, tt := range tests {
		if tt.r.Valid() != tt.valid || tt.r.Value() != tt.value || tt.r.String() != tt.str {
			t.Errorf("%+v: valid %v value %v %q", tt.r, tt.r.Valid(), tt.r.Value(), tt.r.String())
		}
	}
	cmps := []struct {
		a, b kpi.Ratio
		want int
	}{
		{r(1, 2), r(2, 4), 0},
		{r(1, 3), r(1, 2), -1},
		{r(1, 1), r(9, 10), 1},
		{r(0, 0), r(0, 5), -1}, // undefined ranks below 0%
		{r(0, 0), r(0, 0), 0},
	}
	for _, c := range cmps {
		if got := c.a.Compare(c.b); got != c.want {
			t.Errorf("%v.Compare(%v) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestPercentile(t *testing.T) {
	d := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x)
		}
		return out
	}
	tests := []struct {
		v    []time.Duration
		p    int
		want time.Duration
		why  string
	}{
		{nil, 50, 0, "no values"},
		{d(7), 50, 7, "one value"},
		{d(1, 2), 50, 1, "⌈1⌉ = 1st"},
		{d(1, 2, 3), 50, 2, "⌈1.5⌉ = 2nd"},
		{d(1, 2, 3, 4), 50, 2, "⌈2⌉ = 2nd"},
		{d(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 90, 9, "⌈9⌉ = 9th"},
		{d(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), 90, 10, "⌈9.9⌉ = 10th"},
		{d(1, 2, 3, 4, 5), 90, 5, "⌈4.5⌉ = 5th"},
	}
	for _, tt := range tests {
		if got := kpi.Percentile(tt.v, tt.p); got != tt.want {
			t.Errorf("P%d of %v = %v, want %v (%s)", tt.p, tt.v, got, tt.want, tt.why)
		}
	}
}

// sane checks what must hold of any report.
func sane(t *testing.T, rep kpi.Report) {
	t.Helper()
	sum := kpi.UnitRow{}
	for _, row := range append(slices.Clone(rep.Rows), rep.Total) {
		for _, rate := range []kpi.Ratio{row.CloseRate, row.OnTimeRate, row.ReworkRate, row.DeferRate} {
			if v := rate.Value(); math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 1 {
				t.Errorf("%s %s: rate %v = %v", rep.Month.Format("2006-01"), row.UnitID, rate, v)
			}
		}
		if row.Closed+row.Deferred > row.Due || row.ClosedOnTime > row.Closed || row.DeferredClosed > row.Deferred ||
			row.Reworked > row.Handled || row.Handled > row.Due {
			t.Errorf("%s %s: inconsistent counts %+v", rep.Month.Format("2006-01"), row.UnitID, row)
		}
		for _, st := range row.Steps {
			if st.Median < 0 || st.P90 < st.Median || (st.N == 0) != (st.P90 == 0 && st.Median == 0 && st.N == 0) {
				t.Errorf("%s %s %s: %+v", rep.Month.Format("2006-01"), row.UnitID, st.Key, st)
			}
		}
		if row.UnitID != "" {
			sum.Due += row.Due
			sum.Closed += row.Closed
		}
	}
	if sum.Due != rep.Total.Due || sum.Closed != rep.Total.Closed || len(rep.Due) != rep.Total.Due {
		t.Errorf("%s: rows sum to due %d closed %d, total %d %d, %d due cases", rep.Month.Format("2006-01"),
			sum.Due, sum.Closed, rep.Total.Due, rep.Total.Closed, len(rep.Due))
	}
	if !slices.IsSortedFunc(rep.Ranking, func(a, b kpi.UnitRow) int {
		return -a.OnTimeRate.Compare(b.OnTimeRate)
	}) {
		t.Errorf("%s: ranking not by 按期结案率", rep.Month.Format("2006-01"))
	}
	if strings.Contains(fmt.Sprint(rep), "NaN") {
		t.Errorf("%s: NaN in the report", rep.Month.Format("2006-01"))
	}
}

// DESIGN.md §5, the Jinhua formulas: 结案率 = closed / (due − deferred),
// 按期结案率 = closed on time / (due − deferred), 延期率 = deferred / due. A case
// is due in the month of its deadline as set before any deferral; a due case
// that was deferred (挂账) counts as deferred, also while still deferred at
// the month's end.
func TestDeferredCasesCountInTheirMonth(t *testing.T) {
	var cases []domain.Case
	tl := map[string][]domain.Action{}
	add := func(id string, evs ...ev) {
		c, acts := fixture(t, id, "U-X", "135", "dispute", evs...)
		cases, tl[id] = append(cases, c), acts
	}
	// 135: closed within 5 calendar days of registration.
	// X1: deadline 03-07 09:00, closed 03-04: due in March, closed on time.
	add("X1", "2026-03-02 09:00:00 report", "2026-03-02 09:00:00 register", "2026-03-02 10:00:00 dispatch",
		"2026-03-02 11:00:00 accept", "2026-03-03 09:00:00 arrive", "2026-03-04 09:00:00 handle", "2026-03-04 10:00:00 close")
	// X2: deadline 03-25 09:00; deferred on 03-22 and still deferred at the
	// month's end (its clocks paused, the unit's deadline beyond March): due
	// in March, deferred.
	add("X2", "2026-03-20 09:00:00 report", "2026-03-20 09:00:00 register", "2026-03-20 10:00:00 dispatch",
		"2026-03-22 09:00:00 defer")
	// X3: deadline 03-30 09:00; deferred 03-27 → 04-02, closed 04-03: due in
	// March (not April, where the deferral moved the unit's deadline), deferred.
	add("X3", "2026-03-25 09:00:00 report", "2026-03-25 09:00:00 register", "2026-03-25 10:00:00 dispatch",
		"2026-03-27 09:00:00 defer", "2026-04-02 09:00:00 resume", "2026-04-02 10:00:00 accept", "2026-04-02 11:00:00 arrive", "2026-04-03 09:00:00 handle", "2026-04-03 10:00:00 close")
	// X4: deadline 04-01 09:00, deferred 03-28 and still deferred at April's
	// end: not due in March, due and deferred in April.
	add("X4", "2026-03-27 09:00:00 report", "2026-03-27 09:00:00 register", "2026-03-27 10:00:00 dispatch",
		"2026-03-28 09:00:00 defer")
	// X5: deadline 03-15 09:00, closed late on 03-16, never deferred.
	add("X5", "2026-03-10 09:00:00 report", "2026-03-10 09:00:00 register", "2026-03-10 10:00:00 dispatch",
		"2026-03-10 11:00:00 accept", "2026-03-11 09:00:00 arrive", "2026-03-16 09:00:00 handle", "2026-03-16 10:00:00 close")

	tests := []struct {
		month              string
		due                []string
		counts             counts
		close, onTime, def kpi.Ratio
	}{
		// March: due X1 X2 X3 X5, deferred X2 X3; closed X1 X5, on time X1.
		{"2026-03-15 00:00:00", []string{"X1", "X2", "X3", "X5"}, counts{due: 4, deferred: 2, closed: 2, onTime: 1, handled: 2},
			r(2, 2), r(1, 2), r(2, 4)},
		// April: due X4 only, deferred: 结案率 and 按期结案率 undefined, 延期率 1/1.
		{"2026-04-15 00:00:00", []string{"X4"}, counts{due: 1, deferred: 1}, r(0, 0), r(0, 0), r(1, 1)},
	}
	for _, tt := range tests {
		rep := kpi.Compute(cases, tl, units, clock.China(), at(t, tt.month))
		var due []string
		for _, d := range rep.Due {
			due = append(due, d.CaseID)
		}
		if !slices.Equal(due, tt.due) {
			t.Errorf("%s: due %v, want %v", tt.month[:7], due, tt.due)
		}
		if len(rep.Rows) != 1 {
			t.Fatalf("%s: rows %+v", tt.month[:7], rep.Rows)
		}
		row := rep.Rows[0]
		if got := rowCounts(row); got != tt.counts {
			t.Errorf("%s: counts %+v, want %+v", tt.month[:7], got, tt.counts)
		}
		if row.CloseRate != tt.close || row.OnTimeRate != tt.onTime || row.DeferRate != tt.def {
			t.Errorf("%s: 结案率 %v 按期结案率 %v 延期率 %v, want %v %v %v", tt.month[:7],
				row.CloseRate, row.OnTimeRate, row.DeferRate, tt.close, tt.onTime, tt.def)
		}
	}
}

// 满意率 = (满意 + 基本满意) / 评价数 over the cases evaluated (回访) in the
// month, shown in the ranking and its XLSX.
func TestSatisfactionRate(t *testing.T) {
	var cases []domain.Case
	tl := map[string][]domain.Action{}
	add := func(id string, s domain.Satisfaction, evaluated string) {
		evs := []ev{"2026-03-02 09:00:00 report", "2026-03-02 09:00:00 register", "2026-03-02 10:00:00 dispatch",
			"2026-03-02 11:00:00 accept", "2026-03-03 09:00:00 arrive", "2026-03-04 09:00:00 handle", "2026-03-04 10:00:00 close"}
		if evaluated != "" {
			evs = append(evs, ev(evaluated+" evaluate"))
		}
		c, acts := fixture(t, id, "U-X", "135", "dispute", evs...)
		c.Satisfaction = s
		cases, tl[id] = append(cases, c), acts
	}
	add("S1", domain.Satisfied, "2026-03-05 09:00:00")
	add("S2", domain.BasicallySatisfied, "2026-03-06 09:00:00")
	add("S3", domain.Dissatisfied, "2026-03-07 09:00:00")
	add("S4", domain.Satisfied, "2026-04-01 09:00:00") // evaluated in April
	add("S5", "", "")                                  // not evaluated
	tests := []struct {
		month           string
		evaluated, sat  int
		rate            kpi.Ratio
		xlsxEval, xlsxP string
	}{
		{"2026-03-15 00:00:00", 3, 2, r(2, 3), "3", "66.67%"},
		{"2026-04-15 00:00:00", 1, 1, r(1, 1), "1", "100.00%"},
		{"2026-05-15 00:00:00", 0, 0, r(0, 0), "", ""},
	}
	for _, tt := range tests {
		rep := kpi.Compute(cases, tl, units, nil, at(t, tt.month))
		if tt.evaluated == 0 {
			if len(rep.Rows) != 0 || rep.Total.SatisfactionRate.Valid() {
				t.Errorf("%s: rows %+v, total 满意率 %v, want none", tt.month[:7], rep.Rows, rep.Total.SatisfactionRate)
			}
			continue
		}
		row := rep.Rows[0]
		if row.Evaluated != tt.evaluated || row.Satisfied != tt.sat || row.SatisfactionRate != tt.rate || rep.Total.SatisfactionRate != tt.rate {
			t.Errorf("%s: evaluated %d satisfied %d 满意率 %v (total %v), want %d %d %v", tt.month[:7],
				row.Evaluated, row.Satisfied, row.SatisfactionRate, rep.Total.SatisfactionRate, tt.evaluated, tt.sat, tt.rate)
		}
		var buf bytes.Buffer
		if err := kpi.WriteXLSX(&buf, rep); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		for cell, want := range map[string]string{"O1": "评价数", "P1": "满意率", "B2": "U-X", "O2": tt.xlsxEval, "P2": tt.xlsxP} {
			if got, _ := f.GetCellValue(kpi.SheetName, cell); got != want {
				t.Errorf("%s: xlsx %s = %q, want %q", tt.month[:7], cell, got, want)
			}
		}
		f.Close()
	}
}
