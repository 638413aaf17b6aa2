package plan

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/paulmach/orb"
)

// Plan is a period's inspection rounds: per team and working day an ordered
// itinerary with a merged checklist per stop, the department visits that
// stay separate, what the departments would do alone, and the proof that
// every item is still checked as often as its department requires.
type Plan struct {
	Period Period     `json:"period"`
	Teams  []TeamPlan `json:"teams"`
	// Days are the team-days with stops, by date and then team.
	Days []Day `json:"days"`
	// Separate are the visits departments still pay alone (items of another
	// method or much longer; under KeyJoint the key-domain items of a key
	// department alone at an entity). Dates are the latest working day
	// before each due date; departments route them themselves.
	Separate []DeptVisit `json:"separate"`
	// Baseline is each department visiting alone at its own frequency;
	// Merged is this plan (team days plus Separate, whose share is
	// SeparateTotals). Reduction compares them in %.
	Baseline       Totals    `json:"baseline"`
	Merged         Totals    `json:"merged"`
	SeparateTotals Totals    `json:"separate_totals"`
	Reduction      Reduction `json:"reduction"`
	// Overflow lists visits that missed their due date — scheduled late or
	// not at all — and why.
	Overflow []Overflow `json:"overflow"`
	// Coverage proves the frequencies: one row per entity and applicable item.
	Coverage []Coverage `json:"coverage"`

	m *model
}

// Period is the planned period.
type Period struct {
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Days     int       `json:"days"`
	Workdays int       `json:"workdays"` // by Input.Calendar
}

// TeamPlan sums up one team's part of the plan.
type TeamPlan struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Base         orb.Point `json:"base"`
	DailyMinutes float64   `json:"daily_minutes"`
	SpeedKmh     float64   `json:"speed_kmh"`
	Entities     int       `json:"entities"` // entities it covers
	Workdays     int       `json:"workdays"`
	Days         int       `json:"days"` // days with stops
	Visits       int       `json:"visits"`
	Minutes      float64   `json:"minutes"`
	Km           float64   `json:"km"`
}

// Day is one team's round on one working day.
type Day struct {
	Date   time.Time `json:"date"`
	TeamID string    `json:"team_id"`
	// Stops in visiting order; the round starts and ends at the team's base.
	Stops         []Stop  `json:"stops"`
	VisitMinutes  float64 `json:"visit_minutes"`
	TravelMinutes float64 `json:"travel_minutes"`
	Minutes       float64 `json:"minutes"`  // visits plus travel
	Capacity      float64 `json:"capacity"` // the team's daily minutes
	Km            float64 `json:"km"`
	// Manual is set by Reorder: Recompute keeps the order.
	Manual bool `json:"manual,omitempty"`

	routed string // the stop set the order was routed for
}

// Stop is one merged visit.
type Stop struct {
	EntityID string  `json:"entity_id"`
	Name     string  `json:"name"`
	Kind     string  `json:"kind"`
	Code     string  `json:"code"`
	Lon      float64 `json:"lon"`
	Lat      float64 `json:"lat"`
	// Items is the merged checklist, in catalog order.
	Items []string `json:"items"`
	// Departments whose items are on the checklist; Joint is set when two or
	// more of them are key-domain departments (a joint key-domain visit).
	Departments []string  `json:"departments"`
	Joint       bool      `json:"joint,omitempty"`
	Minutes     float64   `json:"minutes"` // on site
	Arrive      time.Time `json:"arrive"`
	Due         time.Time `json:"due"` // the visit's due date
	Late        bool      `json:"late,omitempty"`
	Locked      bool      `json:"locked,omitempty"`
}

// DeptVisit is a visit a department pays alone.
type DeptVisit struct {
	EntityID   string    `json:"entity_id"`
	Department string    `json:"department"`
	TeamID     string    `json:"team_id,omitempty"` // the area it lies in
	Date       time.Time `json:"date"`
	Items      []string  `json:"items"`
	Minutes    float64   `json:"minutes"`
	Late       bool      `json:"late,omitempty"`
}

// Totals counts inspection effort over the period.
type Totals struct {
	// Visits are entity-visits 户次; Trips are crew-days out 出勤 (a team's
	// day with stops; a department's weekly visits per area in day-trips).
	Visits     int     `json:"visits"`
	Trips      int     `json:"trips"`
	ItemChecks int     `json:"item_checks"`
	Minutes    float64 `json:"minutes"` // on site plus travel
	Km         float64 `json:"km"`
}

// Reduction is (baseline − merged) / baseline in percent.
type Reduction struct {
	Visits     float64 `json:"visits"`
	Trips      float64 `json:"trips"`
	ItemChecks float64 `json:"item_checks"`
	Minutes    float64 `json:"minutes"`
	Km         float64 `json:"km"`
}

// Reason says why a visit overflowed.
type Reason string

// Overflow reasons.
const (
	ReasonCapacity  Reason = "capacity"   // the team's days before the due date were full
	ReasonNoWorkday Reason = "no-workday" // no working day between the last visit and the due date
	ReasonNoTeam    Reason = "no-team"    // no team covers the entity
)

// Overflow is a visit that missed its due date.
type Overflow struct {
	EntityID   string    `json:"entity_id"`
	TeamID     string    `json:"team_id,omitempty"`
	Department string    `json:"department,omitempty"` // set for a department's own visit
	Due        time.Time `json:"due"`
	Items      []string  `json:"items"`
	Minutes    float64   `json:"minutes"`
	// Scheduled is the late date the visit got, zero if none in the period.
	Scheduled time.Time `json:"scheduled,omitzero"`
	Reason    Reason    `json:"reason"`
	Why       string    `json:"why"`
}

// Coverage proves one item's frequency at one entity over the period.
type Coverage struct {
	EntityID      string `json:"entity_id"`
	ItemID        string `json:"item_id"`
	Department    string `json:"department"`
	FrequencyDays int    `json:"frequency_days"`
	// Last is the last check before the period (zero: never). Never and
	// CatchUp (overdue at the start) items count from the period's eve.
	Last    time.Time `json:"last,omitzero"`
	Never   bool      `json:"never,omitempty"`
	CatchUp bool      `json:"catch_up,omitempty"`
	// Dates are the planned checks, team visits and separate ones.
	Dates []time.Time `json:"dates"`
	// MaxGapDays is the longest of: the start (Last, or the period's eve)
	// to the first check, between checks, and the last check to the day
	// after the period. OK is MaxGapDays ≤ FrequencyDays.
	MaxGapDays int  `json:"max_gap_days"`
	OK         bool `json:"ok"`
}

// Generate plans the period: the baseline, the merged visits (三相一就), and
// the teams' working days. It fails on bad input (wrapping ErrInput);
// visits that do not fit are reported in Plan.Overflow, not as an error.
// It verifies the plan it made; should that fail (a planner bug), the plan
// comes back with the error.
func Generate(in Input) (*Plan, error) {
	m, err := prepare(&in)
	if err != nil {
		return nil, err
	}
	p := &Plan{m: m}
	p.Period = Period{Start: dateOf(m.start), End: dateOf(m.end), Days: m.end - m.start + 1, Workdays: m.defWork.total()}

	// Streams: the teams' merged visits and the departments' own ones,
	// planned first so that the team's items of a department can ride on
	// that department's own visits.
	teamStreams := make([][]*stream, len(m.teams))
	var sepVisits []*deptVisit
	for ei := range m.ents {
		ts, own := m.merged(ei)
		var mine []*deptVisit
		for _, s := range own {
			vs, ov := m.jit(s, true)
			for i := range vs {
				mine = append(mine, &vs[i])
			}
			p.Overflow = append(p.Overflow, ov...)
		}
		slices.SortStableFunc(mine, func(a, b *deptVisit) int { return a.day - b.day })
		sepVisits = append(sepVisits, mine...)
		if ts == nil {
			continue
		}
		if ts.team < 0 {
			if ts.due() <= m.end {
				p.Overflow = append(p.Overflow, m.noTeam(ts))
			}
			continue
		}
		ts.own = mine
		teamStreams[ts.team] = append(teamStreams[ts.team], ts)
	}

	// The teams' days, in parallel.
	results := make([]teamResult, len(m.teams))
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	for ti := range m.teams {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			results[ti] = m.schedule(ti, teamStreams[ti])
		})
	}
	wg.Wait()
	for _, r := range results {
		p.Days = append(p.Days, r.days...)
		p.Overflow = append(p.Overflow, r.overflow...)
	}
	slices.SortStableFunc(p.Days, func(a, b Day) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return m.teamIdx[a.TeamID] - m.teamIdx[b.TeamID]
	})
	// department trips are estimated, calibrated on the routed team days
	scale := p.calibrate()

	// Separate department visits and the baseline.
	sep := make([]deptVisit, len(sepVisits))
	for i, v := range sepVisits {
		sep[i] = *v
		p.Separate = append(p.Separate, m.deptVisitOut(*v))
	}
	p.SeparateTotals = m.totals(sep, scale)
	var base []deptVisit
	for ei := range m.ents {
		for _, s := range m.alone(ei) {
			vs, _ := m.jit(s, false)
			base = append(base, vs...)
		}
	}
	p.Baseline = m.totals(base, scale)

	p.refresh()
	if err := p.Verify(); err != nil {
		return p, fmt.Errorf("plan: generated plan fails its own check: %w", err)
	}
	return p, nil
}

// refresh recomputes everything derived from the days: team summaries,
// merged totals, reduction and coverage.
func (p *Plan) refresh() {
	m := p.m
	p.Teams = p.Teams[:0]
	for ti := range m.teams {
		t := &m.teams[ti]
		n := 0
		for ei := range m.ents {
			if m.entTeam[ei] == ti {
				n++
			}
		}
		p.Teams = append(p.Teams, TeamPlan{ID: t.ID, Name: t.Name, Base: t.Base, DailyMinutes: t.DailyMinutes,
			SpeedKmh: t.SpeedKmh, Entities: n, Workdays: t.work.total()})
	}
	merged := p.SeparateTotals
	for i := range p.Days {
		d := &p.Days[i]
		tp := &p.Teams[m.teamIdx[d.TeamID]]
		tp.Days++
		tp.Visits += len(d.Stops)
		tp.Minutes += d.Minutes
		tp.Km += d.Km
		merged.Visits += len(d.Stops)
		merged.Trips++
		merged.Minutes += d.Minutes
		merged.Km += d.Km
		for _, s := range d.Stops {
			merged.ItemChecks += len(s.Items)
		}
	}
	p.Merged = merged
	pct := func(b, m float64) float64 {
		if b == 0 {
			return 0
		}
		return math.Round(10000*(b-m)/b) / 100
	}
	b := p.Baseline
	p.Reduction = Reduction{
		Visits:     pct(float64(b.Visits), float64(merged.Visits)),
		Trips:      pct(float64(b.Trips), float64(merged.Trips)),
		ItemChecks: pct(float64(b.ItemChecks), float64(merged.ItemChecks)),
		Minutes:    pct(b.Minutes, merged.Minutes),
		Km:         pct(b.Km, merged.Km),
	}
	p.Coverage = m.coverage(p)
}
