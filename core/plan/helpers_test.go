package plan

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"griddesk/domain"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, shanghai) }

// testBase is the test teams' base.
var testBase = orb.Point{120.25, 30.06}

// near returns the point east and north metres from testBase.
func near(east, north float64) (lon, lat float64) {
	const mPerDeg = orb.EarthRadius * math.Pi / 180
	return testBase[0] + east/(mPerDeg*math.Cos(testBase[1]*math.Pi/180)), testBase[1] + north/mPerDeg
}

func item(id, dept string, freq int, key bool) domain.CheckItem {
	return domain.CheckItem{ID: id, Department: dept, Name: id, Method: "look", Minutes: 1, FrequencyDays: freq, KeyDomain: key}
}

func entity(id, kind, code string, east, north float64) domain.Entity {
	lon, lat := near(east, north)
	return domain.Entity{ID: id, Kind: kind, Name: id, Code: code, Lon: lon, Lat: lat}
}

// quarter is an input for Q2 2026 with one team covering every entity.
func quarter(items []domain.CheckItem, ents ...domain.Entity) Input {
	ids := make([]string, len(ents))
	for i, e := range ents {
		ids[i] = e.ID
	}
	return Input{
		Start: date(2026, 4, 1), End: date(2026, 6, 30),
		Teams:    []Team{{ID: "T1", Name: "一组", Base: testBase, EntityIDs: ids}},
		Entities: ents, Catalog: items,
	}
}

// lastOf is a LastFunc over entity/item pairs.
func lastOf(m map[[2]string]time.Time) LastFunc {
	return func(e, i string) (time.Time, bool) {
		t, ok := m[[2]string{e, i}]
		return t, ok
	}
}

func mustGenerate(t *testing.T, in Input) *Plan {
	t.Helper()
	p, err := Generate(in)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return p
}

// stopDates returns the dates of the team visits to an entity.
func stopDates(p *Plan, entityID string) []string {
	var out []string
	for _, d := range p.Days {
		for _, s := range d.Stops {
			if s.EntityID == entityID {
				out = append(out, d.Date.Format(time.DateOnly))
			}
		}
	}
	return out
}

func coverageOf(p *Plan, entityID, itemID string) Coverage {
	i := slices.IndexFunc(p.Coverage, func(c Coverage) bool { return c.EntityID == entityID && c.ItemID == itemID })
	if i < 0 {
		return Coverage{}
	}
	return p.Coverage[i]
}

func dates(c Coverage) []string {
	out := make([]string, len(c.Dates))
	for i, d := range c.Dates {
		out[i] = d.Format(time.DateOnly)
	}
	return out
}
