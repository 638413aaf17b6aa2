package desk

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"griddesk/domain"
)

// CaseQuery finds cases among all the local copy holds, closed and
// evaluated ones too (the queue shows only open cases).
type CaseQuery struct {
	// Text: every word must occur in the case's number, title, the
	// caller's words, its grid, unit, category, entity (name and address)
	// or the reporter's name.
	Text string
	// States: any of these (none: every state).
	States []domain.CaseStatus
	// From, To: reported in [From, To) (zero: unbounded).
	From, To time.Time
	// Limit caps the rows returned (0: 500); Total still counts all.
	Limit int
}

// Admits reports whether a case is in the query's states and dates (its
// text is matched by whoever searches: the desk's copy or the server).
func (q CaseQuery) Admits(c domain.Case) bool {
	if len(q.States) > 0 && !slices.Contains(q.States, c.Status) {
		return false
	}
	return (q.From.IsZero() || !c.ReportedAt.Before(q.From)) && (q.To.IsZero() || c.ReportedAt.Before(q.To))
}

// CaseResults are a search's rows, newest report first, and how many
// matched in all.
type CaseResults struct {
	Rows  []CaseRow
	Total int
}

// SearchCases searches every case in the local copy. Open cases come with
// their clocks (as in the queue); closed ones with none.
func (d *Desk) SearchCases(ctx context.Context, q CaseQuery, now time.Time) (CaseResults, error) {
	cases, err := d.cache.Cases(ctx)
	if err != nil {
		return CaseResults{}, fmt.Errorf("desk: search cases: %w", err)
	}
	names, err := d.cache.Names(ctx)
	if err != nil {
		return CaseResults{}, fmt.Errorf("desk: search cases: %w", err)
	}
	words := strings.Fields(strings.ToLower(q.Text))
	var ents map[string]domain.Entity
	if len(words) > 0 {
		ents, err = d.entitiesOfCases(ctx, cases)
		if err != nil {
			return CaseResults{}, fmt.Errorf("desk: search cases: %w", err)
		}
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 500
	}
	var res CaseResults
	rm := d.rowMaker(names)
	var open map[string]CaseRow
	for _, c := range cases {
		if !q.Admits(c) {
			continue
		}
		r := rm.row(c)
		if len(words) > 0 {
			e := ents[c.EntityID]
			hay := strings.ToLower(strings.Join([]string{c.No, c.Title, c.Description, r.GridName, r.UnitName,
				r.CategoryInfo.Name, r.CategoryInfo.NameEn, e.Name, e.Address, names.Users[c.Reporter]}, " "))
			if !allIn(hay, words) {
				continue
			}
		}
		res.Total++
		if len(res.Rows) >= limit {
			continue
		}
		if c.Open() {
			if open == nil {
				rows, err := d.OpenCases(ctx, now)
				if err != nil {
					return CaseResults{}, fmt.Errorf("desk: search cases: %w", err)
				}
				open = make(map[string]CaseRow, len(rows))
				for _, o := range rows {
					open[o.ID] = o
				}
			}
			if o, ok := open[c.ID]; ok {
				r = o
			}
		}
		res.Rows = append(res.Rows, r)
	}
	sort.SliceStable(res.Rows, func(i, j int) bool { return res.Rows[i].ReportedAt.After(res.Rows[j].ReportedAt) })
	return res, nil
}

func allIn(hay string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// entitiesOfCases reads the entities cases name.
func (d *Desk) entitiesOfCases(ctx context.Context, cases []domain.Case) (map[string]domain.Entity, error) {
	out := map[string]domain.Entity{}
	for _, c := range cases {
		if c.EntityID == "" {
			continue
		}
		if _, done := out[c.EntityID]; done {
			continue
		}
		e, err := d.cache.Entity(ctx, c.EntityID)
		if err != nil {
			out[c.EntityID] = domain.Entity{}
			continue
		}
		out[c.EntityID] = e
	}
	return out, nil
}

// CaseRow reads one case as the queue shows it, whatever its state (an
// open case with its clocks).
func (d *Desk) CaseRow(ctx context.Context, id string, now time.Time) (CaseRow, error) {
	cd, err := d.Detail(ctx, id, now)
	if err != nil {
		return CaseRow{}, err
	}
	r := cd.Row
	if r.Open() {
		rows, err := d.OpenCases(ctx, now)
		if err != nil {
			return r, fmt.Errorf("desk: case row: %w", err)
		}
		for _, o := range rows {
			if o.ID == id {
				return o, nil
			}
		}
	}
	return r, nil
}
