package plan

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"griddesk/domain"
)

// editable is a month of 160 shops with a monthly item for two teams.
func editable(t *testing.T) (*Plan, Input) {
	t.Helper()
	in := quarter([]domain.CheckItem{item("CITY", "law", 30, false), item("HYG", "health", 90, false)}, shops(160, domain.CodeGreen)...)
	in.End = date(2026, 4, 30)
	in.Teams[0].EntityIDs = in.Teams[0].EntityIDs[:80]
	var rest []string
	for _, e := range in.Entities[80:] {
		rest = append(rest, e.ID)
	}
	in.Teams = append(in.Teams, Team{ID: "T2", Name: "二组", Base: testBase, EntityIDs: rest})
	return mustGenerate(t, in), in
}

func refOf(d Day, i int) StopRef {
	return StopRef{TeamID: d.TeamID, Date: d.Date, EntityID: d.Stops[i].EntityID}
}

func TestMoveVisitAndRecompute(t *testing.T) {
	p, in := editable(t)
	before := p.Merged.Visits
	// the day with the most stops, and an earlier working day for one of them
	di := 0
	for i, d := range p.Days {
		if len(d.Stops) > len(p.Days[di].Stops) {
			di = i
		}
	}
	from := p.Days[di]
	ref := refOf(from, 0)
	to := date(2026, 4, 1)
	if err := p.MoveVisit(ref, to, "T2"); err != nil {
		t.Fatal(err)
	}
	if err := p.Recompute(); err != nil {
		t.Fatalf("Recompute after an earlier move: %v", err)
	}
	if p.Merged.Visits != before {
		t.Errorf("visits %d after a move, want %d", p.Merged.Visits, before)
	}
	if got := stopDates(p, ref.EntityID); !slices.Contains(got, "2026-04-01") {
		t.Errorf("%s now visited on %v, want 2026-04-01", ref.EntityID, got)
	}
	checkDays(t, p, in)
}

func TestMoveVisitPastDueIsReported(t *testing.T) {
	in := quarter([]domain.CheckItem{item("CITY", "law", 30, false)}, shops(1, domain.CodeGreen)...)
	p := mustGenerate(t, in)
	first := p.Days[0] // 2026-04-30, due that day
	if err := p.MoveVisit(refOf(first, 0), date(2026, 5, 6), ""); err != nil {
		t.Fatal(err)
	}
	err := p.Recompute()
	if err == nil || !strings.Contains(err.Error(), "S000") || !strings.Contains(err.Error(), "CITY") {
		t.Fatalf("Recompute: %v, want the CITY gap at S000 reported", err)
	}
	if c := coverageOf(p, "S000", "CITY"); c.OK {
		t.Errorf("coverage %+v still OK", c)
	}
	if !p.Days[0].Stops[0].Late {
		t.Error("the moved stop is not marked late")
	}
}

func TestEditRefusals(t *testing.T) {
	p, _ := editable(t)
	d := p.Days[0]
	ref := refOf(d, 0)
	tests := []struct {
		name string
		do   func() error
		want string
	}{
		{"unknown stop", func() error { return p.MoveVisit(StopRef{TeamID: "T1", Date: d.Date, EntityID: "nope"}, d.Date, "") }, "does not visit nope"},
		{"holiday", func() error { return p.MoveVisit(ref, date(2026, 4, 5), "") }, "not a working day"},
		{"outside the period", func() error { return p.MoveVisit(ref, date(2026, 5, 6), "") }, "not a working day"},
		{"unknown team", func() error { return p.MoveVisit(ref, d.Date, "T9") }, "no team T9"},
		{"reorder of the wrong length", func() error { return p.Reorder(DayRef{d.TeamID, d.Date}, []string{}) }, "order has 0 stops"},
		{"reorder not a permutation", func() error {
			order := make([]string, len(d.Stops))
			for i := range order {
				order[i] = d.Stops[0].EntityID
			}
			return p.Reorder(DayRef{d.TeamID, d.Date}, order)
		}, "not a permutation"},
		{"reorder unknown day", func() error { return p.Reorder(DayRef{"T1", date(2026, 4, 5)}, nil) }, "has no stops"},
		{"locked stop", func() error {
			if err := p.Lock(ref); err != nil {
				return err
			}
			return p.MoveVisit(ref, date(2026, 4, 1), "")
		}, "is locked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if !errors.Is(err, ErrEdit) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want ErrEdit containing %q", err, tt.want)
			}
		})
	}
}

func TestReorderAndLockSurviveRecompute(t *testing.T) {
	p, in := editable(t)
	di := slices.IndexFunc(p.Days, func(d Day) bool { return len(d.Stops) >= 3 })
	if di < 0 {
		t.Fatal("no day with 3 stops")
	}
	d := p.Days[di]
	var order []string
	for i := len(d.Stops) - 1; i >= 0; i-- {
		order = append(order, d.Stops[i].EntityID)
	}
	if err := p.Reorder(DayRef{d.TeamID, d.Date}, order); err != nil {
		t.Fatal(err)
	}
	km := p.Days[di].Km
	if err := p.Recompute(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range p.Days[di].Stops {
		got = append(got, s.EntityID)
	}
	if !slices.Equal(got, order) || !p.Days[di].Manual {
		t.Errorf("order after Recompute %v, want the manual %v", got, order)
	}
	if p.Days[di].Km != km && abs(p.Days[di].Km-km) > 1e-9 {
		t.Errorf("km %v, want %v (a reversed tour is as long)", p.Days[di].Km, km)
	}
	// back to the router
	if err := p.Reorder(DayRef{d.TeamID, d.Date}, nil); err != nil {
		t.Fatal(err)
	}
	if err := p.Recompute(); err != nil {
		t.Fatal(err)
	}
	checkDays(t, p, in)

	// a locked day keeps its order when a stop moves in: appended at the end
	d = p.Days[di]
	if err := p.Lock(refOf(d, 0)); err != nil {
		t.Fatal(err)
	}
	other := slices.IndexFunc(p.Days, func(x Day) bool {
		return x.TeamID == d.TeamID && !x.Date.Equal(d.Date) && len(x.Stops) > 1
	})
	if other < 0 {
		t.Fatal("no other day of the same team")
	}
	moved := refOf(p.Days[other], 0)
	if err := p.MoveVisit(moved, d.Date, ""); err != nil {
		t.Fatal(err)
	}
	_ = p.Recompute() // may report a late visit; the order is what is checked
	di = p.findDay(d.TeamID, dayNum(d.Date))
	stops := p.Days[di].Stops
	if stops[len(stops)-1].EntityID != moved.EntityID || !stops[0].Locked {
		t.Errorf("locked day's order changed: %v", stops)
	}
}

func TestBindAfterJSON(t *testing.T) {
	p, in := editable(t)
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var q Plan
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	if err := q.Verify(); err == nil {
		t.Error("Verify of an unbound plan: no error")
	}
	if err := q.Bind(in); err != nil {
		t.Fatal(err)
	}
	if err := q.Recompute(); err != nil {
		t.Fatalf("Recompute after Bind: %v", err)
	}
	if q.Merged != p.Merged || q.Reduction != p.Reduction || len(q.Coverage) != len(p.Coverage) {
		t.Errorf("after a JSON round trip: merged %+v, reduction %+v; want %+v, %+v", q.Merged, q.Reduction, p.Merged, p.Reduction)
	}
	other := in
	other.End = date(2026, 5, 31)
	if err := q.Bind(other); !errors.Is(err, ErrInput) {
		t.Errorf("Bind to another period: %v, want ErrInput", err)
	}
}
