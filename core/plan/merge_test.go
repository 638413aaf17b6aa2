package plan

import (
	"slices"
	"testing"
	"time"

	"griddesk/domain"
)

// TestMergeRules checks 三相一就 on hand-made cases over Q2 2026 (April 1 to
// June 30; holidays April 4–6, May 1–5, June 19–21) whose answers are
// worked out by hand. Never-checked items count from March 31, so a 30-day
// item is due April 30, May 30 (a Saturday: May 29) and June 28 (a Sunday:
// June 26), and a 90-day item June 29.
func TestMergeRules(t *testing.T) {
	fire := item("FIRE", "fire", 90, true)
	food := item("FOOD", "market", 90, true)
	safe := item("SAFE", "safety", 90, true)
	city := item("CITY", "law", 30, false)
	hyg := item("HYG", "health", 90, false)
	lic := item("LIC", "market", 365, false)
	lab := item("LAB", "eco", 90, false)
	lab.Method = "sample"
	long := item("LONG", "build", 90, false)
	long.Minutes = 40

	tests := []struct {
		name     string
		items    []domain.CheckItem
		ent      domain.Entity
		last     map[[2]string]time.Time
		opt      Options
		team     int // merged team visits
		separate int // department visits that stay alone
		baseline int
		joint    int // joint key-domain visits
		dates    []string
		itemAt   map[string][]string // item → dates it is checked
	}{
		{
			name:  "fire 90 + food 90 + city 30 on one shop: 3 visits instead of 1+1+3",
			items: []domain.CheckItem{fire, food, city}, ent: entity("E1", domain.KindShop, domain.CodeGreen, 300, 200),
			team: 3, baseline: 5, joint: 1,
			dates:  []string{"2026-04-30", "2026-05-29", "2026-06-26"},
			itemAt: map[string][]string{"FIRE": {"2026-06-26"}, "FOOD": {"2026-06-26"}, "CITY": {"2026-04-30", "2026-05-29", "2026-06-26"}},
		},
		{
			name:  "a key department alone at an entity keeps its own visit (intersection)",
			items: []domain.CheckItem{fire, city}, ent: entity("E1", domain.KindShop, domain.CodeGreen, 300, 200),
			team: 3, separate: 1, baseline: 4,
			itemAt: map[string][]string{"FIRE": {"2026-06-29"}},
		},
		{
			name:  "under KeyMerge one team checks the lone key department too",
			items: []domain.CheckItem{fire, city}, ent: entity("E1", domain.KindShop, domain.CodeGreen, 300, 200),
			opt:  Options{KeyDomain: KeyMerge},
			team: 3, baseline: 4,
			itemAt: map[string][]string{"FIRE": {"2026-06-26"}},
		},
		{
			name:  "two key departments share an enterprise: one joint visit, general items in the union",
			items: []domain.CheckItem{fire, safe, hyg}, ent: entity("E1", domain.KindEnterprise, domain.CodeGreen, -500, 100),
			team: 1, baseline: 3, joint: 1,
			dates: []string{"2026-06-29"},
		},
		{
			name:  "a yearly item due in June rides on the May visit",
			items: []domain.CheckItem{city, lic}, ent: entity("E1", domain.KindShop, domain.CodeGreen, 300, 200),
			last: map[[2]string]time.Time{{"E1", "LIC"}: date(2025, 6, 5)}, // due 2026-06-05
			team: 3, baseline: 4,
			itemAt: map[string][]string{"LIC": {"2026-05-29"}},
		},
		{
			name:  "an item of another method stays its department's own visit",
			items: []domain.CheckItem{city, lab}, ent: entity("E1", domain.KindShop, domain.CodeGreen, 300, 200),
			team: 3, separate: 1, baseline: 4,
			itemAt: map[string][]string{"LAB": {"2026-06-29"}},
		},
		{
			name:  "a much longer item stays its department's own visit",
			items: []domain.CheckItem{city, long}, ent: entity("E1", domain.KindShop, domain.CodeGreen, 300, 200),
			team: 3, separate: 1, baseline: 4,
		},
		{
			name:  "a red entity is visited monthly, each colour-code visit checking everything",
			items: []domain.CheckItem{hyg}, ent: entity("E1", domain.KindEnterprise, domain.CodeRed, 300, 200),
			team: 3, baseline: 1,
			itemAt: map[string][]string{"HYG": {"2026-04-30", "2026-05-29", "2026-06-26"}},
		},
		{
			name:  "with colour codes ignored the same entity is visited once",
			items: []domain.CheckItem{hyg}, ent: entity("E1", domain.KindEnterprise, domain.CodeRed, 300, 200),
			opt:  Options{IgnoreCodes: true},
			team: 1, baseline: 1,
		},
		{
			name:  "half-yearly items checked in February are not due: no visit",
			items: []domain.CheckItem{item("B1", "build", 180, false), item("H1", "health", 180, false)},
			ent:   entity("E1", domain.KindEnterprise, domain.CodeGreen, 300, 200),
			opt:   Options{IgnoreCodes: true},
			last:  map[[2]string]time.Time{{"E1", "B1"}: date(2026, 2, 1), {"E1", "H1"}: date(2026, 2, 10)},
			team:  0, baseline: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := quarter(tt.items, tt.ent)
			in.Options = tt.opt
			if tt.last != nil {
				in.Last = lastOf(tt.last)
			}
			p := mustGenerate(t, in)
			team, joint := 0, 0
			for _, d := range p.Days {
				team += len(d.Stops)
				for _, s := range d.Stops {
					if s.Joint {
						joint++
					}
				}
			}
			if team != tt.team || len(p.Separate) != tt.separate || p.Baseline.Visits != tt.baseline || joint != tt.joint {
				t.Errorf("team %d, separate %d, baseline %d, joint %d; want %d, %d, %d, %d",
					team, len(p.Separate), p.Baseline.Visits, joint, tt.team, tt.separate, tt.baseline, tt.joint)
			}
			if p.Merged.Visits != team+len(p.Separate) {
				t.Errorf("merged visits %d, want team %d + separate %d", p.Merged.Visits, team, len(p.Separate))
			}
			if tt.dates != nil {
				if got := stopDates(p, "E1"); !slices.Equal(got, tt.dates) {
					t.Errorf("visits on %v, want %v", got, tt.dates)
				}
			}
			for id, want := range tt.itemAt {
				if got := dates(coverageOf(p, "E1", id)); !slices.Equal(got, want) {
					t.Errorf("%s checked on %v, want %v", id, got, want)
				}
			}
			for _, c := range p.Coverage {
				if !c.OK {
					t.Errorf("%s at %s: gap %d days > %d", c.ItemID, c.EntityID, c.MaxGapDays, c.FrequencyDays)
				}
			}
			if len(p.Overflow) != 0 {
				t.Errorf("overflow %+v", p.Overflow)
			}
		})
	}
}

// TestReductionOfTheFirstCase pins the totals of the brief's example: one
// shop, 3 merged visits against 5 department visits.
func TestReductionOfTheFirstCase(t *testing.T) {
	in := quarter([]domain.CheckItem{item("FIRE", "fire", 90, true), item("FOOD", "market", 90, true), item("CITY", "law", 30, false)},
		entity("E1", domain.KindShop, domain.CodeGreen, 300, 200))
	p := mustGenerate(t, in)
	if p.Reduction.Visits != 40 {
		t.Errorf("visit reduction %.2f%%, want 40%% (3 visits instead of 5)", p.Reduction.Visits)
	}
	// the baseline's 5 visits each take 5 + 1 minutes; the merged ones take
	// 5 + 1, 5 + 1 and 5 + 3 minutes
	if got, want := p.Baseline.ItemChecks, 5; got != want {
		t.Errorf("baseline item checks %d, want %d", got, want)
	}
	if got, want := p.Merged.ItemChecks, 5; got != want {
		t.Errorf("merged item checks %d, want %d", got, want)
	}
	var onSite float64
	for _, d := range p.Days {
		onSite += d.VisitMinutes
	}
	if onSite != 20 {
		t.Errorf("merged minutes on site %v, want 20", onSite)
	}
}
