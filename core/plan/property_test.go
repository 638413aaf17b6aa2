package plan

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"griddesk/domain"
)

// randomCase generates a catalog, entities, teams, last checks and a period.
// Tight cases give the teams too little time, so that overflow happens.
func randomCase(r *rand.Rand, tight bool) (Input, map[[2]string]time.Time) {
	kinds := []string{domain.KindShop, domain.KindEnterprise, domain.KindRental, domain.KindVenue}
	tags := []string{"gas", "food", "fume", "hazchem"}
	methods := []string{"look", "look", "document", "instrument", "", "sample"}
	freqs := []int{14, 30, 30, 60, 90, 90, 90, 180, 365}
	var cat []domain.CheckItem
	nd := 2 + r.IntN(5)
	for i := range 3 + r.IntN(12) {
		it := domain.CheckItem{
			ID: fmt.Sprintf("I%02d", i), Name: "item", Department: fmt.Sprintf("D%d", r.IntN(nd)),
			Method: methods[r.IntN(len(methods))], Minutes: 0.5 * float64(1+r.IntN(6)),
			FrequencyDays: freqs[r.IntN(len(freqs))], KeyDomain: r.IntN(2) == 0,
		}
		if r.IntN(10) == 0 {
			it.Minutes = 20 // too long to merge
		}
		if r.IntN(2) == 0 {
			it.Kinds = []string{kinds[r.IntN(len(kinds))], kinds[r.IntN(len(kinds))]}
		}
		if r.IntN(3) == 0 {
			it.Tags = []string{tags[r.IntN(len(tags))]}
		}
		cat = append(cat, it)
	}
	y := 2026
	if r.IntN(3) == 0 {
		y = 2025
	}
	start := date(y, time.Month(1+r.IntN(12)), 1+r.IntN(28))
	end := start.AddDate(0, 0, []int{6, 29, 90}[r.IntN(3)])
	codes := []string{domain.CodeGreen, domain.CodeGreen, domain.CodeYellow, domain.CodeRed}
	var ents []domain.Entity
	last := map[[2]string]time.Time{}
	for i := range 10 + r.IntN(140) {
		e := entity(fmt.Sprintf("E%03d", i), kinds[r.IntN(len(kinds))], codes[r.IntN(len(codes))],
			r.Float64()*4000-2000, r.Float64()*3000-1500)
		if r.IntN(2) == 0 {
			e.Tags = []string{tags[r.IntN(len(tags))]}
		}
		ents = append(ents, e)
		for _, it := range cat {
			if r.IntN(5) > 0 {
				last[[2]string{e.ID, it.ID}] = start.AddDate(0, 0, -r.IntN(400))
			}
		}
	}
	nt := 1 + r.IntN(3)
	teams := make([]Team, nt)
	for i := range teams {
		lon, lat := near(r.Float64()*2000-1000, r.Float64()*2000-1000)
		teams[i] = Team{ID: fmt.Sprintf("T%d", i+1), Name: "组", DailyMinutes: 420}
		teams[i].Base[0], teams[i].Base[1] = lon, lat
		if tight {
			teams[i].DailyMinutes = 30 + float64(r.IntN(60))
		}
	}
	for i, e := range ents {
		if tight || i%50 != 49 { // a few entities no team covers
			teams[i%nt].EntityIDs = append(teams[i%nt].EntityIDs, e.ID)
		}
	}
	in := Input{Start: start, End: end, Teams: teams, Entities: ents, Catalog: cat, Last: lastOf(last)}
	in.Options.IgnoreCodes = r.IntN(2) == 0
	if r.IntN(2) == 0 {
		in.Options.KeyDomain = KeyMerge
	}
	return in, last
}

// gaps measures, independently of the planner's own Coverage, the longest
// time each applicable item goes unchecked at each entity.
func gaps(t *testing.T, in Input, last map[[2]string]time.Time, p *Plan) map[[2]string]int {
	t.Helper()
	start, end := in.Start, in.End
	checked := map[[2]string][]time.Time{}
	for _, d := range p.Days {
		for _, s := range d.Stops {
			for _, id := range s.Items {
				checked[[2]string{s.EntityID, id}] = append(checked[[2]string{s.EntityID, id}], d.Date)
			}
		}
	}
	for _, v := range p.Separate {
		for _, id := range v.Items {
			checked[[2]string{v.EntityID, id}] = append(checked[[2]string{v.EntityID, id}], v.Date)
		}
	}
	eve := start.AddDate(0, 0, -1)
	days := func(a, b time.Time) int { return int(b.Sub(a).Round(24*time.Hour) / (24 * time.Hour)) }
	out := map[[2]string]int{}
	for _, e := range in.Entities {
		for _, it := range in.Catalog {
			if !Applies(it, &e) {
				if len(checked[[2]string{e.ID, it.ID}]) > 0 {
					t.Errorf("%s checked at %s where it does not apply", it.ID, e.ID)
				}
				continue
			}
			from := eve
			if l, ok := last[[2]string{e.ID, it.ID}]; ok && l.Before(start) && !l.AddDate(0, 0, it.FrequencyDays).Before(start) {
				from = l
			}
			ds := checked[[2]string{e.ID, it.ID}]
			slices.SortFunc(ds, func(a, b time.Time) int { return a.Compare(b) })
			g := 0
			for _, d := range ds {
				g = max(g, days(from, d))
				from = d
			}
			out[[2]string{e.ID, it.ID}] = max(g, days(from, end.AddDate(0, 0, 1)))
		}
	}
	return out
}

// propertyCases is the number of generated towns.
var propertyCases = 50

// TestPropertyRandomCatalogs: on 50 generated towns no item goes unchecked
// longer than its frequency unless the overflow says why, every day fits
// its team, merged visits never exceed the baseline's, and with room
// enough nothing overflows but what no team covers.
func TestPropertyRandomCatalogs(t *testing.T) {
	for seed := range uint64(propertyCases) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 7))
			tight := seed%5 == 4
			in, last := randomCase(r, tight)
			p, err := Generate(in)
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			if err := p.Verify(); err != nil {
				t.Fatalf("Verify: %v", err)
			}
			checkDays(t, p, in)
			over := map[string]Reason{}
			for _, o := range p.Overflow {
				over[o.EntityID] = o.Reason
				if o.Why == "" || len(o.Items) == 0 {
					t.Errorf("overflow without reason or items: %+v", o)
				}
			}
			g := gaps(t, in, last, p)
			freq := map[string]int{}
			for _, it := range in.Catalog {
				freq[it.ID] = it.FrequencyDays
			}
			for k, gap := range g {
				if _, ok := over[k[0]]; gap > freq[k[1]] && !ok {
					t.Errorf("entity %s: %s unchecked for %d days > %d, and not in the overflow", k[0], k[1], gap, freq[k[1]])
				}
			}
			if len(p.Coverage) != len(g) {
				t.Errorf("%d coverage rows, want %d", len(p.Coverage), len(g))
			}
			for _, c := range p.Coverage {
				if gap := g[[2]string{c.EntityID, c.ItemID}]; c.MaxGapDays != gap || c.OK != (gap <= c.FrequencyDays) {
					t.Errorf("coverage of %s at %s: gap %d OK %v, the independent check gives %d", c.ItemID, c.EntityID, c.MaxGapDays, c.OK, gap)
				}
			}
			if !tight {
				for e, r := range over {
					if r == ReasonCapacity {
						t.Errorf("entity %s overflows for capacity with a whole day of room", e)
					}
				}
			}
			if in.Options.IgnoreCodes && p.Merged.Visits > p.Baseline.Visits {
				t.Errorf("merged visits %d > baseline %d", p.Merged.Visits, p.Baseline.Visits)
			}
		})
	}
}
