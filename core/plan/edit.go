package plan

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// StopRef names a stop: a team's visit to an entity on a date.
type StopRef struct {
	TeamID   string    `json:"team_id"`
	Date     time.Time `json:"date"`
	EntityID string    `json:"entity_id"`
}

// DayRef names a team's day.
type DayRef struct {
	TeamID string    `json:"team_id"`
	Date   time.Time `json:"date"`
}

// ErrEdit is wrapped by the errors of the editing operations.
var ErrEdit = errors.New("plan: edit refused")

// The editing operations change the days only; call Recompute after one or
// a batch of them to re-route, re-time and re-total the plan and check it.

// MoveVisit moves a stop to another working day of the period and/or
// another team (toTeam "" keeps the team). The stop keeps its checklist; a
// move past its due date makes it late, which Recompute's check reports.
// Locked stops do not move.
func (p *Plan) MoveVisit(ref StopRef, toDate time.Time, toTeam string) error {
	if p.m == nil {
		return fmt.Errorf("%w: the plan was not made by Generate", ErrEdit)
	}
	di, si, err := p.findStop(ref)
	if err != nil {
		return err
	}
	stop := p.Days[di].Stops[si]
	if stop.Locked {
		return fmt.Errorf("%w: %s on %s is locked", ErrEdit, ref.EntityID, ref.Date.Format(time.DateOnly))
	}
	if toTeam == "" {
		toTeam = ref.TeamID
	}
	ti, ok := p.m.teamIdx[toTeam]
	if !ok {
		return fmt.Errorf("%w: no team %s", ErrEdit, toTeam)
	}
	to := dayNum(toDate)
	if !p.m.teams[ti].work.isWork(to) {
		return fmt.Errorf("%w: %s is not a working day of team %s in the period", ErrEdit, dateOf(to).Format(time.DateOnly), toTeam)
	}
	if dayNum(ref.Date) == to && ref.TeamID == toTeam {
		return nil
	}
	if dj := p.findDay(toTeam, to); dj >= 0 && slices.ContainsFunc(p.Days[dj].Stops, func(s Stop) bool { return s.EntityID == ref.EntityID }) {
		return fmt.Errorf("%w: team %s already visits %s on %s", ErrEdit, toTeam, ref.EntityID, dateOf(to).Format(time.DateOnly))
	}

	from := &p.Days[di]
	from.Stops = slices.Delete(from.Stops, si, si+1)
	if len(from.Stops) == 0 {
		p.Days = slices.Delete(p.Days, di, di+1)
	}
	stop.Late = to > dayNum(stop.Due)
	dj := p.findDay(toTeam, to)
	if dj < 0 {
		dj, _ = slices.BinarySearchFunc(p.Days, DayRef{toTeam, dateOf(to)}, func(d Day, r DayRef) int {
			if c := d.Date.Compare(r.Date); c != 0 {
				return c
			}
			return p.m.teamIdx[d.TeamID] - p.m.teamIdx[r.TeamID]
		})
		p.Days = slices.Insert(p.Days, dj, Day{Date: dateOf(to), TeamID: toTeam, Capacity: p.m.teams[ti].DailyMinutes})
	}
	p.Days[dj].Stops = append(p.Days[dj].Stops, stop)
	return nil
}

// Reorder sets the order of a day's stops (entity IDs, a permutation of
// the day's stops); Recompute then keeps it. A nil order hands the day back
// to the router.
func (p *Plan) Reorder(day DayRef, order []string) error {
	di := p.findDay(day.TeamID, dayNum(day.Date))
	if di < 0 {
		return fmt.Errorf("%w: team %s has no stops on %s", ErrEdit, day.TeamID, day.Date.Format(time.DateOnly))
	}
	d := &p.Days[di]
	if order == nil {
		d.Manual, d.routed = false, ""
		return nil
	}
	if len(order) != len(d.Stops) {
		return fmt.Errorf("%w: order has %d stops, the day has %d", ErrEdit, len(order), len(d.Stops))
	}
	stops := make([]Stop, 0, len(order))
	for _, id := range order {
		i := slices.IndexFunc(d.Stops, func(s Stop) bool { return s.EntityID == id })
		if i < 0 || slices.ContainsFunc(stops, func(s Stop) bool { return s.EntityID == id }) {
			return fmt.Errorf("%w: order is not a permutation of the day's stops (%s)", ErrEdit, id)
		}
		stops = append(stops, d.Stops[i])
	}
	d.Stops, d.Manual = stops, true
	return nil
}

// Lock pins a stop: it cannot be moved, and Recompute does not re-route its
// day (stops moved into the day are appended; Reorder places them).
func (p *Plan) Lock(ref StopRef) error { return p.setLock(ref, true) }

// Unlock releases a stop pinned by Lock.
func (p *Plan) Unlock(ref StopRef) error { return p.setLock(ref, false) }

func (p *Plan) setLock(ref StopRef, on bool) error {
	di, si, err := p.findStop(ref)
	if err != nil {
		return err
	}
	p.Days[di].Stops[si].Locked = on
	return nil
}

// Recompute brings the plan up to date after edits: days whose stops
// changed are re-routed by route.Tour unless they have a locked stop or a
// manual order; every day is re-timed; late flags, team sums, totals,
// reduction and coverage are recomputed; and the plan is verified. The
// error is Verify's: after edits it lists what the edits broke (an item
// now checked too late, a day over its working time). Overflow, Separate
// and Baseline stay as generated.
func (p *Plan) Recompute() error {
	if p.m == nil {
		return fmt.Errorf("%w: the plan was not made by Generate", ErrEdit)
	}
	for i := range p.Days {
		d := &p.Days[i]
		pinned := d.Manual || slices.ContainsFunc(d.Stops, func(s Stop) bool { return s.Locked })
		if !pinned && stopSet(d) != d.routed {
			p.m.route(d)
		}
		for j := range d.Stops {
			s := &d.Stops[j]
			s.Late = dayNum(d.Date) > dayNum(s.Due)
		}
		p.m.measure(d)
	}
	p.refresh()
	return p.Verify()
}

// Bind attaches the input a plan was generated from to a plan read back
// (from JSON, say), so that it can be edited, recomputed and verified
// again. Its days count as routed as they are.
func (p *Plan) Bind(in Input) error {
	m, err := prepare(&in)
	if err != nil {
		return err
	}
	if p.Period.Start.IsZero() || dayNum(p.Period.Start) != m.start || dayNum(p.Period.End) != m.end {
		return fmt.Errorf("%w: the plan's period is not the input's", ErrInput)
	}
	p.m = m
	for i := range p.Days {
		p.Days[i].routed = stopSet(&p.Days[i])
	}
	return nil
}

func (p *Plan) findDay(team string, day int) int {
	for i := range p.Days {
		if p.Days[i].TeamID == team && dayNum(p.Days[i].Date) == day {
			return i
		}
	}
	return -1
}

func (p *Plan) findStop(ref StopRef) (int, int, error) {
	di := p.findDay(ref.TeamID, dayNum(ref.Date))
	if di >= 0 {
		if si := slices.IndexFunc(p.Days[di].Stops, func(s Stop) bool { return s.EntityID == ref.EntityID }); si >= 0 {
			return di, si, nil
		}
	}
	return -1, -1, fmt.Errorf("%w: team %s does not visit %s on %s", ErrEdit, ref.TeamID, ref.EntityID, ref.Date.Format(time.DateOnly))
}
