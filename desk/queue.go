package desk

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"griddesk/domain"
	"griddesk/domain/clock"
)

// Filter narrows the case queue; empty fields match everything.
type Filter struct {
	Text     string // in number, title, description, grid, unit or category
	Status   domain.CaseStatus
	Category string
	GridID   string
	UnitID   string
	Source   string
	Light    *clock.Light
	GridName string // a grid's name (what the desk shows)
	UnitName string
}

// Sort orders of the queue.
const (
	SortLight    = "light"    // worst light first, then oldest
	SortNewest   = "newest"   // newest report first
	SortOldest   = "oldest"   // oldest report first
	SortDeadline = "deadline" // nearest deadline first
)

// Match reports whether a row passes the filter.
func (f Filter) Match(r CaseRow) bool {
	switch {
	case f.Status != "" && r.Status != f.Status,
		f.Category != "" && r.Category != f.Category,
		f.GridID != "" && r.GridID != f.GridID,
		f.UnitID != "" && r.UnitID != f.UnitID,
		f.Source != "" && r.Source != f.Source,
		f.Light != nil && r.Light != *f.Light,
		f.GridName != "" && r.GridName != f.GridName,
		f.UnitName != "" && r.UnitName != f.UnitName:
		return false
	}
	if q := strings.TrimSpace(f.Text); q != "" {
		hay := strings.ToLower(strings.Join([]string{r.No, r.Title, r.Description, r.GridName, r.UnitName,
			r.CategoryInfo.Name, r.CategoryInfo.NameEn}, " "))
		for _, w := range strings.Fields(strings.ToLower(q)) {
			if !strings.Contains(hay, w) {
				return false
			}
		}
	}
	return true
}

// Arrange filters and sorts queue rows (a new slice; rows is untouched).
func Arrange(rows []CaseRow, f Filter, order string) []CaseRow {
	out := make([]CaseRow, 0, len(rows))
	for _, r := range rows {
		if f.Match(r) {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch order {
		case SortNewest:
			return a.ReportedAt.After(b.ReportedAt)
		case SortOldest:
			return a.ReportedAt.Before(b.ReportedAt)
		case SortDeadline:
			da, db := a.NextDeadline, b.NextDeadline
			if da.IsZero() != db.IsZero() {
				return !da.IsZero()
			}
			return da.Before(db)
		default:
			if a.Light != b.Light {
				return a.Light > b.Light
			}
			return a.ReportedAt.Before(b.ReportedAt)
		}
	})
	return out
}

// SuggestCategory guesses a case's category from a caller's words with the
// keyword dictionary: the category with the most (and longest) matching
// keywords. ok is false when no keyword matches.
func SuggestCategory(text string) (domain.Category, bool) {
	return SuggestCategoryIn(domain.Categories(), text)
}

// SuggestCategoryIn is SuggestCategory over a given category list.
func SuggestCategoryIn(cats []domain.Category, text string) (domain.Category, bool) {
	best, bestScore := domain.Category{}, 0
	for _, c := range cats {
		score := 0
		for _, k := range c.Keywords {
			if strings.Contains(text, k) {
				score += len([]rune(k))
			}
		}
		if score > bestScore {
			best, bestScore = c, score
		}
	}
	return best, bestScore > 0
}

// TimelineEntry is one step of a case's history, with names resolved.
type TimelineEntry struct {
	domain.Action
	ActorName string
}

// CaseDetail is everything the case page shows.
type CaseDetail struct {
	Row      CaseRow
	Timeline []TimelineEntry
	Clocks   []clock.Status
	Entity   *domain.Entity
	// Archived: read from the server's archive (a closed case past the
	// retention window that the desk no longer keeps), read-only.
	Archived bool
}

// Detail reads one case with its timeline, clocks and entity.
func (d *Desk) Detail(ctx context.Context, id string, now time.Time) (CaseDetail, error) {
	var cd CaseDetail
	c, err := d.cache.Case(ctx, id)
	if err != nil {
		return cd, fmt.Errorf("desk: case detail: %w", err)
	}
	names, err := d.cache.Names(ctx)
	if err != nil {
		return cd, fmt.Errorf("desk: case detail: %w", err)
	}
	tl, err := d.cache.Timeline(ctx, id)
	if err != nil {
		return cd, fmt.Errorf("desk: case detail: %w", err)
	}
	return d.detailOf(ctx, c, tl, names, now), nil
}

// detailOf puts a case's page together from the case and its timeline.
func (d *Desk) detailOf(ctx context.Context, c domain.Case, tl []domain.Action, names domain.Names, now time.Time) CaseDetail {
	cd := CaseDetail{Row: d.rowMaker(names).row(c)}
	c = cd.Row.Case
	for _, a := range tl {
		cd.Timeline = append(cd.Timeline, TimelineEntry{Action: a, ActorName: names.Users[a.Actor]})
	}
	if p, ok := d.Policy(c); ok {
		cd.Clocks = p.Evaluate(d.cal, events(tl), now)
		cd.Row.Light = clock.Worst(cd.Clocks)
	}
	if c.EntityID != "" {
		if e, err := d.cache.Entity(ctx, c.EntityID); err == nil {
			cd.Entity = &e
		}
	}
	return cd
}
