package clock

import (
	"encoding/json"
	"io/fs"
	"slices"
	"testing"
	"time"
)

// cst parses "2006-01-02 15:04" or "2006-01-02 15:04:05" in Asia/Shanghai.
func cst(t testing.TB, s string) time.Time {
	t.Helper()
	for _, layout := range []string{time.DateTime, "2006-01-02 15:04", time.DateOnly} {
		if v, err := time.ParseInLocation(layout, s, shanghai); err == nil {
			return v
		}
	}
	t.Fatalf("bad test time %q", s)
	return time.Time{}
}

func TestIsWorkday(t *testing.T) {
	cal := China()
	tests := []struct {
		day  string
		want bool
		why  string
	}{
		{"2025-01-24", true, "ordinary Friday"},
		{"2025-01-25", false, "ordinary Saturday"},
		{"2025-01-26", true, "Sunday, 春节 make-up day"},
		{"2025-01-27", true, "Monday before 春节"},
		{"2025-01-28", false, "春节 eve, holiday"},
		{"2025-02-03", false, "Monday, 春节"},
		{"2025-02-04", false, "last day of 春节"},
		{"2025-02-05", true, "first day back"},
		{"2025-02-08", true, "Saturday, 春节 make-up day"},
		{"2025-02-09", false, "ordinary Sunday"},
		{"2025-09-28", true, "Sunday, 国庆 make-up day"},
		{"2025-09-30", true, "Tuesday before 国庆"},
		{"2025-10-01", false, "国庆"},
		{"2025-10-08", false, "Wednesday, last day of 国庆·中秋"},
		{"2025-10-09", true, "first day back"},
		{"2025-10-11", true, "Saturday, 国庆 make-up day"},
		{"2025-10-12", false, "ordinary Sunday"},
		{"2026-02-13", true, "Friday before 春节"},
		{"2026-02-14", true, "Saturday, 春节 make-up day"},
		{"2026-02-15", false, "Sunday, 春节"},
		{"2026-02-17", false, "Tuesday, 春节"},
		{"2026-02-23", false, "Monday, last day of 春节"},
		{"2026-02-24", true, "first day back"},
		{"2026-02-28", true, "Saturday, 春节 make-up day"},
		{"2026-03-01", false, "ordinary Sunday"},
		{"2026-09-20", true, "Sunday, 国庆 make-up day"},
		{"2026-09-25", false, "Friday, 中秋"},
		{"2026-09-28", true, "Monday between 中秋 and 国庆"},
		{"2026-10-01", false, "国庆"},
		{"2026-10-07", false, "Wednesday, last day of 国庆"},
		{"2026-10-08", true, "first day back"},
		{"2026-10-10", true, "Saturday, 国庆 make-up day"},
		{"2026-10-11", false, "ordinary Sunday"},
		{"2022-12-30", true, "Friday"},
		{"2023-01-02", false, "Monday, 元旦 2023"},
		{"2023-01-28", true, "Saturday, 春节 make-up day"},
		{"2031-01-01", true, "Wednesday in a year without data"},
		{"2031-10-01", true, "Wednesday 10-01 in a year without data"},
		{"2031-10-04", false, "Saturday in a year without data"},
		{"1985-06-03", true, "Monday before the table"},
		{"2150-06-01", true, "Monday after the table"},
		{"2150-06-06", false, "Saturday after the table"},
	}
	for _, tt := range tests {
		if got := cal.IsWorkday(cst(t, tt.day+" 12:00")); got != tt.want {
			t.Errorf("IsWorkday(%s) = %v, want %v (%s)", tt.day, got, tt.want, tt.why)
		}
	}
}

func TestIsWorkdayUsesShanghaiDate(t *testing.T) {
	cal := China()
	// 2025-01-27 17:00 UTC is 2025-01-28 01:00 in Beijing: 春节 eve.
	if cal.IsWorkday(time.Date(2025, 1, 27, 17, 0, 0, 0, time.UTC)) {
		t.Error("2025-01-27 17:00 UTC counted as a working day; it is 2025-01-28 (holiday) in Beijing")
	}
	// 2026-02-13 20:00 UTC is Saturday 2026-02-14 04:00 in Beijing: a make-up day.
	if !cal.IsWorkday(time.Date(2026, 2, 13, 20, 0, 0, 0, time.UTC)) {
		t.Error("2026-02-13 20:00 UTC not counted; it is the make-up Saturday 2026-02-14 in Beijing")
	}
}

func TestAddWorkdays(t *testing.T) {
	cal := China()
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2025-01-24 10:00", 1, "2025-01-26 10:00"}, // Friday → make-up Sunday
		{"2025-01-24 10:00", 2, "2025-01-27 10:00"},
		{"2025-01-24 10:00", 3, "2025-02-05 10:00"}, // over 春节
		{"2025-01-24 10:00", 5, "2025-02-07 10:00"},
		{"2025-01-24 10:00", 6, "2025-02-08 10:00"}, // make-up Saturday
		{"2025-01-24 10:00", 7, "2025-02-10 10:00"},
		{"2025-09-30 16:00", 1, "2025-10-09 16:00"}, // over 国庆
		{"2025-09-30 16:00", 3, "2025-10-11 16:00"},
		{"2025-09-30 16:00", 4, "2025-10-13 16:00"},
		{"2025-10-03 12:00", 1, "2025-10-09 12:00"}, // from inside the holiday
		{"2026-02-13 09:30", 1, "2026-02-14 09:30"},
		{"2026-02-13 09:30", 2, "2026-02-24 09:30"}, // over 春节
		{"2026-02-13 09:30", 6, "2026-02-28 09:30"},
		{"2026-02-13 09:30", 7, "2026-03-02 09:30"},
		{"2026-09-24 08:00", 1, "2026-09-28 08:00"}, // over 中秋
		{"2026-09-30 23:59:59", 1, "2026-10-08 23:59:59"},
		{"2026-09-22 10:00", 15, "2026-10-20 10:00"},
		{"2031-10-03 10:00", 1, "2031-10-06 10:00"}, // no data: Monday–Friday
		{"2026-12-31 10:00", 1, "2027-01-01 10:00"}, // 2027 not published yet
		{"2026-03-02 10:00", 0, "2026-03-02 10:00"},
		{"2026-03-02 10:00", -3, "2026-03-02 10:00"},
		{"2026-03-02 10:00", 250, "2027-02-25 10:00"}, // checked with a separate script
	}
	for _, tt := range tests {
		from, want := cst(t, tt.from), cst(t, tt.want)
		if got := cal.AddWorkdays(from, tt.n); !got.Equal(want) {
			t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tt.from, tt.n, got.Format(time.DateTime), tt.want)
		}
	}
	// A time in another zone keeps its Beijing time of day.
	from := time.Date(2026, 2, 13, 20, 0, 0, 0, time.UTC) // Sat 2026-02-14 04:00 in Beijing
	if got, want := cal.AddWorkdays(from, 1), cst(t, "2026-02-24 04:00"); !got.Equal(want) {
		t.Errorf("AddWorkdays(UTC) = %s, want %s", got, want)
	}
}

func TestWorkdaysBetween(t *testing.T) {
	cal := China()
	tests := []struct {
		a, b string
		want int
	}{
		{"2026-02-13 18:00", "2026-02-24 08:00", 2},
		{"2026-02-24 08:00", "2026-02-13 18:00", -2},
		{"2026-02-13 08:00", "2026-02-13 18:00", 0},
		{"2025-09-30 10:00", "2025-10-12 10:00", 3},
		{"2026-10-09 09:00", "2026-10-13 17:00", 3},
		{"2031-10-03 10:00", "2031-10-10 10:00", 5},
	}
	for _, tt := range tests {
		if got := cal.WorkdaysBetween(cst(t, tt.a), cst(t, tt.b)); got != tt.want {
			t.Errorf("WorkdaysBetween(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestCalendarAgainstFiles checks every day 2019–2032 against a plain reading
// of the JSON files, and AddWorkdays against stepping day by day.
func TestCalendarAgainstFiles(t *testing.T) {
	fsys := holidayFS()
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		t.Fatal(err)
	}
	override := map[string]bool{} // date → working
	own := map[string]bool{}      // date listed in its own year's file
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			t.Fatal(err)
		}
		var f struct {
			Year int
			Days []struct {
				Date     string
				IsOffDay bool
			}
		}
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, d := range f.Days {
			isOwn := d.Date[:4] == name[:4]
			if own[d.Date] && !isOwn {
				continue
			}
			override[d.Date], own[d.Date] = !d.IsOffDay, isOwn
		}
	}
	naive := func(d time.Time) bool {
		if w, ok := override[d.Format(time.DateOnly)]; ok {
			return w
		}
		return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
	}
	cal := China()
	for d := cst(t, "2019-01-01 15:04:05"); d.Year() < 2033; d = d.AddDate(0, 0, 1) {
		if got, want := cal.IsWorkday(d), naive(d); got != want {
			t.Fatalf("IsWorkday(%s) = %v, want %v", d.Format(time.DateOnly), got, want)
		}
		next := d
		for n := 1; n <= 20; n++ {
			next = next.AddDate(0, 0, 1)
			for !naive(next) {
				next = next.AddDate(0, 0, 1)
			}
			got := cal.AddWorkdays(d, n)
			if !got.Equal(next) {
				t.Fatalf("AddWorkdays(%s, %d) = %s, want %s", d.Format(time.DateOnly), n, got, next)
			}
			if back := cal.WorkdaysBetween(d, got); back != n {
				t.Fatalf("WorkdaysBetween(%s, %s) = %d, want %d", d.Format(time.DateOnly), got.Format(time.DateOnly), back, n)
			}
		}
	}
}

func TestKnownAndYears(t *testing.T) {
	cal := China()
	want := []int{2020, 2021, 2022, 2023, 2024, 2025, 2026}
	if got := cal.Years(); !slices.Equal(got, want) {
		t.Errorf("Years() = %v, want %v", got, want)
	}
	for _, tt := range []struct {
		year int
		want bool
	}{{2019, false}, {2020, true}, {2025, true}, {2026, true}, {2027, false}, {2031, false}} {
		if got := cal.Known(tt.year); got != tt.want {
			t.Errorf("Known(%d) = %v, want %v", tt.year, got, tt.want)
		}
	}
}

func TestZeroCalendar(t *testing.T) {
	var cal Calendar
	if cal.IsWorkday(cst(t, "2026-10-01 10:00")) != true {
		t.Error("zero calendar: 2026-10-01 (Thursday) should count as a working day")
	}
	if got, want := cal.AddWorkdays(cst(t, "2026-10-02 10:00"), 1), cst(t, "2026-10-05 10:00"); !got.Equal(want) {
		t.Errorf("zero calendar: AddWorkdays = %s, want %s", got, want)
	}
	if cal.Known(2026) || len(cal.Years()) != 0 {
		t.Error("zero calendar knows a year")
	}
}

func TestChinaIsIndependent(t *testing.T) {
	a, b := China(), China()
	if err := a.Load(stringsReader(`{"year":2031,"days":[{"name":"国庆节","date":"2031-10-01","isOffDay":true}]}`)); err != nil {
		t.Fatal(err)
	}
	if !a.Known(2031) || b.Known(2031) || China().Known(2031) {
		t.Error("Load on one China() calendar leaked into another")
	}
}
