package clock

import (
	"testing"
	"time"
)

// BenchmarkEvaluate evaluates one open department case (three feedback
// rounds, a deferral, working days across 国庆) and one 333 case.
func BenchmarkEvaluate(b *testing.B) {
	cal := China()
	dept := append(departmentCase(b)[:7],
		ev(b, "2026-10-28 09:00", "defer", "deferred"),
		ev(b, "2026-10-30 17:00", "resume", "on_site"),
	)
	d := "2026-03-02 "
	fast := []Event{
		ev(b, d+"09:00:00", "report", "reported"),
		ev(b, d+"09:00:05", "register", "registered"),
		ev(b, d+"09:00:25", "dispatch", "dispatched"),
		ev(b, d+"09:02:40", "arrive", "on_site"),
	}
	pd, p3 := PresetDepartment(), Preset333()
	nowD, now3 := cst(b, "2026-11-03 16:00"), cst(b, d+"09:04:00")
	b.Run("department", func(b *testing.B) {
		for b.Loop() {
			_ = Worst(pd.Evaluate(cal, dept, nowD))
		}
	})
	b.Run("333", func(b *testing.B) {
		for b.Loop() {
			_ = Worst(p3.Evaluate(cal, fast, now3))
		}
	})
}

func BenchmarkAddWorkdays(b *testing.B) {
	cal := China()
	from := time.Date(2026, 9, 22, 10, 0, 0, 0, shanghai)
	for b.Loop() {
		_ = cal.AddWorkdays(from, 15)
	}
}
