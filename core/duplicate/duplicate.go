// Package duplicate finds repeat reports 重复件 and repeat complaints
// 重复投诉. A new report may repeat an open case: the same category, within
// a radius (50 m) and a time window (72 h) of it — the duty officer sees
// them side by side and may merge the report into the case (case.merge). An
// address reported again and again over a month is a repeat complaint: the
// desk flags it and the bulletin counts it.
package duplicate

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/paulmach/orb"

	"griddesk/domain"
	"griddesk/domain/geo"
)

// Match is an open case a new report may repeat.
type Match struct {
	Case     domain.Case
	Distance float64       // metres
	Apart    time.Duration // between the two reports, either way
}

// Find returns the cases c may repeat: open (merged ones are not), of c's
// category, within rule.RadiusM metres and rule.Hours hours of it, never c
// itself; nearest first, then the most recent.
func Find(rule domain.DuplicateRule, c domain.Case, candidates []domain.Case) []Match {
	window := time.Duration(rule.Hours * float64(time.Hour))
	var out []Match
	for _, k := range candidates {
		if k.ID == c.ID || k.Category != c.Category || !k.Open() || k.MergedInto != "" {
			continue
		}
		apart := c.ReportedAt.Sub(k.ReportedAt)
		if apart < 0 {
			apart = -apart
		}
		if apart > window {
			continue
		}
		d := geo.Haversine(orb.Point{c.Lon, c.Lat}, orb.Point{k.Lon, k.Lat})
		if d > rule.RadiusM {
			continue
		}
		out = append(out, Match{Case: k, Distance: d, Apart: apart})
	}
	slices.SortFunc(out, func(a, b Match) int {
		return cmp.Or(cmp.Compare(a.Distance, b.Distance), b.Case.ReportedAt.Compare(a.Case.ReportedAt), cmp.Compare(a.Case.ID, b.Case.ID))
	})
	return out
}

// Box is the longitude/latitude box around c that holds every case within
// radius metres (for a store query), widened a little.
func Box(lon, lat, radius float64) (minLon, minLat, maxLon, maxLat float64) {
	dLat := radius / 111_000 * 1.1
	dLon := dLat / math.Max(math.Cos(lat*math.Pi/180), 0.01)
	return lon - dLon, lat - dLat, lon + dLon, lat + dLat
}

// Repeat is an address reported again and again: a repeat complaint.
type Repeat struct {
	Key     string   // the address as compared
	Address string   // as first written
	Cases   []string // case IDs, oldest first
	Nos     []string // their numbers
	First   time.Time
	Last    time.Time
}

// Count is how many reports the address had.
func (r Repeat) Count() int { return len(r.Cases) }

// AddressKey is what two reports must share to be of one address: the
// written address without spaces, punctuation and width differences; else
// the entity reported on; else a ~50 m cell of the location. "" when a case
// has none of them.
func AddressKey(c domain.Case) string {
	if a := normAddress(c.Address); a != "" {
		return a
	}
	if c.EntityID != "" {
		return "entity:" + c.EntityID
	}
	if c.Lon == 0 && c.Lat == 0 {
		return ""
	}
	return "cell:" + cell(c.Lon) + "," + cell(c.Lat)
}

// cell rounds a coordinate to 1/2000 of a degree (about 50 m).
func cell(v float64) string { return strconv.FormatFloat(math.Round(v*2000)/2000, 'f', 4, 64) }

// normAddress folds full-width characters and drops spaces and punctuation.
func normAddress(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r = r - 0xFF01 + '!'
		case r == 0x3000:
			continue
		}
		if unicode.IsSpace(r) || unicode.IsPunct(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Repeats returns the addresses reported at least rule.RepeatMin times
// among cases reported in [from, to), most reports first. Merged reports
// count: each was a call.
func Repeats(rule domain.DuplicateRule, cases []domain.Case, from, to time.Time) []Repeat {
	by := map[string]*Repeat{}
	var order []string
	sorted := slices.Clone(cases)
	slices.SortFunc(sorted, func(a, b domain.Case) int { return cmp.Or(a.ReportedAt.Compare(b.ReportedAt), cmp.Compare(a.ID, b.ID)) })
	for _, c := range sorted {
		if c.ReportedAt.Before(from) || !c.ReportedAt.Before(to) || c.Status == domain.StatusRejected {
			continue
		}
		k := AddressKey(c)
		if k == "" {
			continue
		}
		r := by[k]
		if r == nil {
			addr := c.Address
			if addr == "" {
				addr = c.Title
			}
			r = &Repeat{Key: k, Address: addr, First: c.ReportedAt}
			by[k] = r
			order = append(order, k)
		}
		r.Cases, r.Nos, r.Last = append(r.Cases, c.ID), append(r.Nos, c.No), c.ReportedAt
	}
	var out []Repeat
	for _, k := range order {
		if r := by[k]; r.Count() >= rule.RepeatMin {
			out = append(out, *r)
		}
	}
	slices.SortStableFunc(out, func(a, b Repeat) int { return cmp.Compare(b.Count(), a.Count()) })
	return out
}

// Counts maps each case ID to the number of reports of its address in the
// list (for the queue's flag).
func Counts(rs []Repeat) map[string]int {
	m := map[string]int{}
	for _, r := range rs {
		for _, id := range r.Cases {
			m[id] = r.Count()
		}
	}
	return m
}
