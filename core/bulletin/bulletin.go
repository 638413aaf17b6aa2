// Package bulletin makes the figures of the command centre's monthly
// bulletin 月度通报, as the towns' own bulletins give them: the month's
// intake and closures (部件/事件, by source, against the month before), each
// unit's 结案率, 按期结案率, 返工率, 延期率 and 满意率 with its rank (core/kpi),
// the units below the floor named, the ten 小类 reported most, the
// addresses reported again and again, and the urges, 督办 and callbacks.
// core/report draws it as an A4 PDF; WriteXLSX writes the same tables.
package bulletin

import (
	"cmp"
	"slices"
	"time"

	"griddesk/core/duplicate"
	"griddesk/core/kpi"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/domain/workflow"
)

// Input is what a month's bulletin is made from.
type Input struct {
	Month      time.Time                  // any moment of the month (China time)
	Cases      []domain.Case              // every case the month may concern: reported in it or before
	Timelines  map[string][]domain.Action // their timelines
	Units      []domain.Unit
	Categories []domain.Category
	Cal        *clock.Calendar // nil: the China calendar
	Rules      domain.Rules    // the floor, the issuer, the repeat rule
	Town       string          // the town's name, e.g. 临浦镇 (default Rules.Bulletin.Town)
	Issue      int             // the bulletin's number in the year (期); 0: the month's
}

// Figures are the bulletin's numbers.
type Figures struct {
	Month, End time.Time
	Town       string
	Issuer     string
	Issue      int
	Floor      float64 // 按期结案率 floor

	Intake         int            // 受理: reported in the month (merged repeat reports counted, rejected ones not)
	IntakeBefore   int            // the month before
	Components     int            // of the intake: 部件
	Events         int            // 事件
	BySource       map[string]int // by source
	Rejected       int            // not taken on
	Merged         int            // repeat reports merged into an open case
	Closed         int            // 结案: closed in the month (a close action in it)
	ClosedOnTime   int            // of the cases due in the month, closed on time
	Urges          int            // 催办次数
	Supervised     int            // 督办件
	ToCall, Called int            // 回访: closed with a caller, called back
	KPI            kpi.Report
	Below          []kpi.UnitRow // ranked units below the floor, worst first
	Top            []Count       // the ten 小类 reported most
	Repeats        []duplicate.Repeat
	Daily          []int // intake per day of the month
}

// Count is a 小类's intake in the month.
type Count struct {
	Category domain.Category
	N        int
	Share    float64
}

// Change is the intake against the month before, as a fraction (0.12 = up
// 12%); ok is false when the month before had none.
func (f Figures) Change() (float64, bool) {
	if f.IntakeBefore == 0 {
		return 0, false
	}
	return float64(f.Intake-f.IntakeBefore) / float64(f.IntakeBefore), true
}

// Compute makes the figures of the month.
func Compute(in Input) Figures {
	loc := clock.Location()
	y, m, _ := in.Month.In(loc).Date()
	start := time.Date(y, m, 1, 0, 0, 0, 0, loc)
	end := start.AddDate(0, 1, 0)
	before := start.AddDate(0, -1, 0)
	if in.Town == "" {
		in.Town = in.Rules.Bulletin.Town
	}
	f := Figures{Month: start, End: end, Town: in.Town, Issuer: in.Rules.Bulletin.Issuer, Issue: in.Issue, Floor: in.Rules.Bulletin.FloorOnTime,
		BySource: map[string]int{}, Daily: make([]int, end.AddDate(0, 0, -1).Day())}
	if f.Issue == 0 {
		f.Issue = int(m)
	}
	counts := map[string]int{}
	var month []domain.Case
	for _, c := range in.Cases {
		switch {
		case !c.ReportedAt.Before(before) && c.ReportedAt.Before(start) && c.Status != domain.StatusRejected:
			f.IntakeBefore++
		case !c.ReportedAt.Before(start) && c.ReportedAt.Before(end):
			if c.Status == domain.StatusRejected {
				f.Rejected++
				continue
			}
			month = append(month, c)
			f.Intake++
			f.BySource[c.Source]++
			f.Daily[c.ReportedAt.In(loc).Day()-1]++
			counts[c.Category]++
			if cat, ok := domain.CategoryIn(in.Categories, c.Category); ok && cat.Class == domain.ClassComponent {
				f.Components++
			} else {
				f.Events++
			}
			if c.Status == domain.StatusMerged {
				f.Merged++
			}
		}
		for _, a := range in.Timelines[c.ID] {
			if a.Action == workflow.Close && !a.At.Before(start) && a.At.Before(end) {
				f.Closed++
				break
			}
		}
	}
	for key, n := range counts {
		cat, ok := domain.CategoryIn(in.Categories, key)
		if !ok {
			cat = domain.Category{Key: key, Name: key}
		}
		f.Top = append(f.Top, Count{Category: cat, N: n, Share: float64(n) / float64(f.Intake)})
	}
	slices.SortFunc(f.Top, func(a, b Count) int {
		return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Category.Key, b.Category.Key))
	})
	if len(f.Top) > 10 {
		f.Top = f.Top[:10]
	}
	rule := in.Rules.Duplicates
	if rule.RepeatMin == 0 {
		rule = domain.DefaultDuplicateRule()
	}
	f.Repeats = duplicate.Repeats(rule, month, start, end)
	f.KPI = kpi.Compute(in.Cases, in.Timelines, in.Units, in.Cal, start)
	t := f.KPI.Total
	f.ClosedOnTime, f.Urges, f.Supervised, f.ToCall, f.Called = t.ClosedOnTime, t.Urges, t.Supervised, t.ToCall, t.Called
	for _, ur := range f.KPI.Ranking {
		if ur.OnTimeRate.Valid() && ur.OnTimeRate.Value() < f.Floor {
			f.Below = append(f.Below, ur)
		}
	}
	slices.SortStableFunc(f.Below, func(a, b kpi.UnitRow) int { return a.OnTimeRate.Compare(b.OnTimeRate) })
	return f
}
