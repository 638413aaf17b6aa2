package desk

import (
	"context"
	"fmt"
	"slices"
	"time"

	"griddesk/core/command"
	"griddesk/core/duplicate"
	"griddesk/domain"
	"griddesk/domain/ladder"
	"griddesk/domain/workflow"
	"griddesk/store"
)

// repeatCounts maps the cases reported in the last RepeatDays to how often
// their address was reported then (repeat complaints only), and every case
// to the number of reports merged into it.
func (d *Desk) repeatCounts(ctx context.Context, rule domain.DuplicateRule, now time.Time) (map[string]int, map[string]int, error) {
	from := now.AddDate(0, 0, -rule.RepeatDays)
	recent, err := d.cache.CasesReported(ctx, store.Scope{All: true}, from, now.Add(time.Minute))
	if err != nil {
		return nil, nil, err
	}
	merged := map[string]int{}
	for _, c := range recent {
		if c.MergedInto != "" {
			merged[c.MergedInto]++
		}
	}
	return duplicate.Counts(duplicate.Repeats(rule, recent, from, now.Add(time.Minute))), merged, nil
}

// Duplicates are the open cases a report may repeat (same category, within
// the rule's radius and hours), with what the duty officer compares side by
// side: callers and photos.
func (d *Desk) Duplicates(ctx context.Context, c domain.Case) ([]Duplicate, error) {
	rule := d.Rules().Duplicates
	minLon, minLat, maxLon, maxLat := duplicate.Box(c.Lon, c.Lat, rule.RadiusM)
	window := time.Duration(rule.Hours * float64(time.Hour))
	cands, err := d.cache.CasesNear(ctx, minLon, minLat, maxLon, maxLat, c.ReportedAt.Add(-window), c.ReportedAt.Add(window+time.Millisecond))
	if err != nil {
		return nil, fmt.Errorf("desk: duplicates: %w", err)
	}
	names, err := d.cache.Names(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: duplicates: %w", err)
	}
	masked := !d.User().Role.SeesCallers()
	var out []Duplicate
	for _, m := range duplicate.Find(rule, c, cands) {
		more, err := d.CaseMore(ctx, m.Case.ID)
		if err != nil {
			return nil, fmt.Errorf("desk: duplicates: %w", err)
		}
		if masked {
			m.Case = m.Case.Masked()
		}
		out = append(out, Duplicate{Match: m, More: more, UnitName: names.Units[m.Case.UnitID], GridName: names.Grids[m.Case.GridID]})
	}
	return out, nil
}

// Duplicate is an open case a report may repeat.
type Duplicate struct {
	duplicate.Match
	More
	UnitName, GridName string
}

// More is what a case's page shows of the daily work: its callers and
// photos with those of the reports merged into it, the reports merged, its
// urges, what the ladder proposes.
type More struct {
	Callers []domain.Caller // the case's own, then the merged reports' (CaseID set)
	Photos  []string        // the timeline's photos, then the merged reports'
	Merged  []domain.Case   // reports merged into it
	Into    *domain.Case    // the case it was merged into
	Urges   []domain.Action // urges, oldest first
	Calls   []domain.Action // callbacks made, oldest first
}

// CaseMore reads a case's daily-work details. Callers' names and phones are
// masked unless the user may see them.
func (d *Desk) CaseMore(ctx context.Context, id string) (More, error) {
	var m More
	c, err := d.cache.Case(ctx, id)
	if err != nil {
		return m, fmt.Errorf("desk: case %s: %w", id, err)
	}
	tl, err := d.cache.Timeline(ctx, id)
	if err != nil {
		return m, fmt.Errorf("desk: case %s: %w", id, err)
	}
	m.Callers = append(m.Callers, c.Callers...)
	if c.Source == domain.SourcePublic && d.User().Role.SeesCallers() {
		// the phone a citizen left on a door plate's page stays on the
		// server (no feed carries it): asked for when online, else left out
		if phone, err := d.Contact(ctx, c.ID); err == nil && phone != "" {
			m.Callers = append(m.Callers, domain.Caller{Phone: phone, At: c.ReportedAt})
		}
	}
	for _, a := range tl {
		m.Photos = append(m.Photos, a.Photos...)
		switch a.Action {
		case workflow.Urge:
			m.Urges = append(m.Urges, a)
		case workflow.Callback, workflow.CallbackMissed, workflow.Reopen:
			m.Calls = append(m.Calls, a)
		}
	}
	if m.Merged, err = d.cache.MergedInto(ctx, id); err != nil {
		return m, fmt.Errorf("desk: case %s: %w", id, err)
	}
	for _, r := range m.Merged {
		for _, cl := range r.Callers {
			cl.CaseID = r.ID
			m.Callers = append(m.Callers, cl)
		}
		rtl, err := d.cache.Timeline(ctx, r.ID)
		if err != nil {
			return m, fmt.Errorf("desk: case %s: %w", r.ID, err)
		}
		for _, a := range rtl {
			m.Photos = append(m.Photos, a.Photos...)
		}
	}
	if c.MergedInto != "" {
		if into, err := d.cache.Case(ctx, c.MergedInto); err == nil {
			m.Into = &into
		}
	}
	if !d.User().Role.SeesCallers() {
		m.Callers = domain.MaskCallers(m.Callers)
		for i := range m.Merged {
			m.Merged[i] = m.Merged[i].Masked()
		}
	}
	m.Photos = slices.Compact(m.Photos)
	return m, nil
}

// CallbackTask is a closed case whose callers are to be phoned back 回访.
type CallbackTask struct {
	Row      CaseRow
	Callers  []domain.Caller // the case's and its merged reports'
	Attempts int             // calls not answered so far
}

// Callbacks lists the closed cases with callers to phone back, longest
// closed first.
func (d *Desk) Callbacks(ctx context.Context) ([]CallbackTask, error) {
	closed, err := d.cache.CasesInState(ctx, domain.StatusClosed)
	if err != nil {
		return nil, fmt.Errorf("desk: callbacks: %w", err)
	}
	names, err := d.cache.Names(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: callbacks: %w", err)
	}
	rm := d.rowMaker(names)
	var out []CallbackTask
	for _, c := range closed {
		m, err := d.CaseMore(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		phones := 0
		for _, cl := range m.Callers {
			if cl.Phone != "" {
				phones++
			}
		}
		if phones == 0 {
			continue
		}
		t := CallbackTask{Row: rm.row(c), Callers: m.Callers}
		c = t.Row.Case
		for _, a := range m.Calls {
			if a.Action == workflow.CallbackMissed && !a.At.Before(c.ClosedAt) {
				t.Attempts++
			}
		}
		out = append(out, t)
	}
	slices.SortStableFunc(out, func(a, b CallbackTask) int { return a.Row.ClosedAt.Compare(b.Row.ClosedAt) })
	return out, nil
}

// Urge sends the unit working a case a message 催办.
func (d *Desk) Urge(ctx context.Context, c domain.Case, note string) error {
	_, err := d.Do(ctx, command.CaseUrge, command.CaseArgs{CaseID: c.ID, Note: note}, 0)
	return err
}

// Supervise puts a late case under a leader's oversight 督办 with a new
// deadline.
func (d *Desk) Supervise(ctx context.Context, c domain.Case, leader string, due time.Time, note string) error {
	_, err := d.Do(ctx, command.CaseSupervise, command.CaseArgs{CaseID: c.ID, Leader: leader, Due: due, Note: note}, c.Version)
	return err
}

// Merge merges a repeat report into the open case it repeats.
func (d *Desk) Merge(ctx context.Context, report domain.Case, into string, note string) error {
	_, err := d.Do(ctx, command.CaseMerge, command.CaseArgs{CaseID: report.ID, Into: into, Note: note}, report.Version)
	return err
}

// Unmerge undoes a wrong merge.
func (d *Desk) Unmerge(ctx context.Context, report domain.Case, note string) error {
	_, err := d.Do(ctx, command.CaseUnmerge, command.CaseArgs{CaseID: report.ID, Note: note}, report.Version)
	return err
}

// Callback records a call back to a closed case's caller; reopen sends a
// dissatisfied caller's case back to its unit.
func (d *Desk) Callback(ctx context.Context, c domain.Case, reached bool, s domain.Satisfaction, reopen bool, note string) error {
	_, err := d.Do(ctx, command.CaseCallback, command.CaseArgs{CaseID: c.ID, Reached: &reached, Satisfaction: s, Reopen: reopen, Note: note}, c.Version)
	return err
}

// Proposal is what the escalation ladder proposes for an open case now.
func (d *Desk) Proposal(ctx context.Context, c domain.Case, now time.Time) (ladder.Proposal, error) {
	tl, err := d.cache.Timeline(ctx, c.ID)
	if err != nil {
		return ladder.Proposal{}, fmt.Errorf("desk: ladder: %w", err)
	}
	p, ok := d.Policy(c)
	if !ok {
		return ladder.Proposal{}, nil
	}
	return ladder.Propose(d.Rules().Ladder, p.Evaluate(d.cal, events(tl), now), tl, c.Supervision, now), nil
}

// May reports whether the signed-in user may issue a command type on any
// target (the daily-work commands are the duty officers' and admins').
func (d *Desk) May(typ string) bool {
	if d.review != nil {
		return false
	}
	spec, ok := command.Lookup(typ)
	if !ok {
		return false
	}
	sc, ok := spec.ScopeOf(d.User().Role, nil)
	return ok && sc == command.Any
}

// UrgeNotice is an urge on a case of the user's unit.
type UrgeNotice struct {
	Case  domain.Case
	Urge  domain.Action
	Actor string // who urged, by name
}

// UrgesFor lists the urges and 督办 after since on the cases of the
// signed-in user's unit (for the unit's desk to announce), oldest first.
func (d *Desk) UrgesFor(ctx context.Context, since time.Time) ([]UrgeNotice, error) {
	u := d.User()
	if u.UnitID == "" {
		return nil, nil
	}
	acts, err := d.cache.Actions(ctx, since.Add(time.Millisecond), time.Now().Add(24*time.Hour), workflow.Urge, workflow.Supervise)
	if err != nil {
		return nil, fmt.Errorf("desk: urges: %w", err)
	}
	names, err := d.cache.Names(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: urges: %w", err)
	}
	parents := d.unitParents(ctx)
	var out []UrgeNotice
	for _, a := range acts {
		unit := ""
		if a.Detail != nil {
			unit = a.Detail.UnitID
		}
		in, _ := command.Within(func(id string) (string, bool, error) { p, ok := parents[id]; return p, ok, nil }, unit, u.UnitID)
		if !in {
			continue
		}
		c, err := d.cache.Case(ctx, a.CaseID)
		if err != nil {
			continue
		}
		out = append(out, UrgeNotice{Case: c.Masked(), Urge: a, Actor: names.Users[a.Actor]})
	}
	return out, nil
}
