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
		{"2031-01-01", false, "Wednesday, 元旦 in a year without a notice: statutory"},
		{"2031-01-02", true, "Thursday after 元旦 in a year without a notice: no bridging day known"},
		{"2031-10-01", false, "Wednesday, 国庆 in a year without a notice: statutory"},
		{"2031-10-06", true, "Monday after 国庆 in a year without a notice"},
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
		{"2026-12-31 10:00", 1, "2027-01-04 10:00"}, // 2027 not published yet: 元旦 (Friday) statutory
		{"2026-03-02 10:00", 0, "2026-03-02 10:00"},
		{"2026-03-02 10:00", -3, "2026-03-02 10:00"},
		{"2026-03-02 10:00", 250, "2027-03-02 10:00"}, // checked with a separate script; 2027: 元旦, 春节 02-05 and 02-08 off
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
// of the JSON files (and, for the years without one, of the statutory days
// Holidays lists), and AddWorkdays against stepping day by day.
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
	cal := China()
	law := map[string]bool{} // statutory days of the years without a file
	for y := 2019; y < 2033; y++ {
		if !cal.Known(y) {
			for _, h := range cal.Holidays(y) {
				law[h.Date.Format(time.DateOnly)] = true
			}
		}
	}
	naive := func(d time.Time) bool {
		if w, ok := override[d.Format(time.DateOnly)]; ok {
			return w
		}
		if law[d.Format(time.DateOnly)] {
			return false
		}
		return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
	}
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

// 全国年节及纪念日放假办法 (from 2025): 元旦 1 day; 春节 4 days, 除夕 to 正月初三;
// 清明 1; 劳动节 May 1–2; 端午 1; 中秋 1; 国庆 Oct 1–3. Without the State
// Council's notice for a year these days are still off, marked provisional
// (its make-up working days unknown); a loaded notice replaces them.
// The lunar dates: 春节 2027-02-06 (除夕 02-05), 2028-01-26 (除夕 01-25);
// 端午 2027-06-09, 2028-05-28; 中秋 2027-09-15, 2028-10-03 (inside 国庆);
// 清明 (a solar term) 2027-04-05, 2028-04-04.
func TestStatutoryHolidaysWithoutNotice(t *testing.T) {
	law := map[int][]string{
		2027: {"2027-01-01 元旦", "2027-02-05 春节", "2027-02-06 春节", "2027-02-07 春节", "2027-02-08 春节", "2027-04-05 清明节",
			"2027-05-01 劳动节", "2027-05-02 劳动节", "2027-06-09 端午节", "2027-09-15 中秋节",
			"2027-10-01 国庆节", "2027-10-02 国庆节", "2027-10-03 国庆节"},
		2028: {"2028-01-01 元旦", "2028-01-25 春节", "2028-01-26 春节", "2028-01-27 春节", "2028-01-28 春节", "2028-04-04 清明节",
			"2028-05-01 劳动节", "2028-05-02 劳动节", "2028-05-28 端午节", "2028-10-01 国庆节", "2028-10-02 国庆节", "2028-10-03 国庆节"},
	}
	cal := China()
	for _, year := range []int{2027, 2028} {
		if cal.Known(year) || !cal.Provisional(year) {
			t.Errorf("%d: Known %v, Provisional %v; want no notice, provisional", year, cal.Known(year), cal.Provisional(year))
		}
		var got []string
		for _, h := range cal.Holidays(year) {
			got = append(got, h.Date.Format(time.DateOnly)+" "+h.Name)
			if !h.Provisional {
				t.Errorf("%d: %s %s not marked provisional", year, h.Date.Format(time.DateOnly), h.Name)
			}
			if cal.IsWorkday(h.Date.Add(10 * time.Hour)) {
				t.Errorf("%d: %s %s is a working day", year, h.Date.Format(time.DateOnly), h.Name)
			}
		}
		if !slices.Equal(got, law[year]) {
			t.Errorf("%d statutory holidays\n got  %q\n want %q", year, got, law[year])
		}
	}
	// a working Monday–Friday next to them stays one: no bridging day is guessed
	for _, d := range []string{"2027-02-09", "2027-10-04", "2028-01-24", "2028-05-29"} {
		if !cal.IsWorkday(cst(t, d+" 10:00")) {
			t.Errorf("%s counts as a day off; only the notice can say so", d)
		}
	}
	// the years with a notice keep it, and the law's days are off in it:
	// 2026 by the 2025 rules, 2024 by the earlier ones (春节 初一–初三, 劳动节 1 day)
	for year, days := range map[int][]string{
		2026: {"2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-04-05", "2026-05-01", "2026-05-02",
			"2026-06-19", "2026-09-25", "2026-10-01", "2026-10-02", "2026-10-03"},
		2024: {"2024-01-01", "2024-02-10", "2024-02-11", "2024-02-12", "2024-04-04", "2024-05-01", "2024-06-10", "2024-09-17",
			"2024-10-01", "2024-10-02", "2024-10-03"},
	} {
		if cal.Provisional(year) {
			t.Errorf("%d has its notice but is provisional", year)
		}
		off := map[string]bool{}
		for _, h := range cal.Holidays(year) {
			off[h.Date.Format(time.DateOnly)] = true
			if h.Provisional {
				t.Errorf("%d: notice day %s marked provisional", year, h.Date.Format(time.DateOnly))
			}
		}
		for _, d := range days {
			if !off[d] {
				t.Errorf("%d: statutory day %s is not a holiday of the notice", year, d)
			}
		}
	}
	// loading 2028's notice replaces the law: its make-up Saturday works
	if err := cal.Load(stringsReader(`{"year":2028,"days":[{"name":"春节","date":"2028-01-25","isOffDay":true},
		{"name":"春节","date":"2028-01-26","isOffDay":true},{"name":"春节","date":"2028-01-29","isOffDay":false}]}`)); err != nil {
		t.Fatal(err)
	}
	if cal.Provisional(2028) || !cal.IsWorkday(cst(t, "2028-01-29 10:00")) || !cal.IsWorkday(cst(t, "2028-01-27 10:00")) {
		t.Error("after loading 2028's notice: still provisional, or the law still overrides it")
	}
	var zero Calendar
	if zero.Provisional(2027) || len(zero.Holidays(2027)) != 0 {
		t.Error("the zero Calendar knows no law")
	}
}

// The lunar library's dates agree with the official notices: every year's
// statutory days (by the law's version in force then) are off in its notice.
func TestStatutoryDaysAreOffInEveryNotice(t *testing.T) {
	cal := China()
	for _, y := range cal.Years() {
		days := statutory(y)
		if len(days) < 10 { // 10 when 中秋 falls in 国庆 (2020)
			t.Errorf("%d: only %d statutory days", y, len(days))
		}
		for _, d := range days {
			if cal.snapshot().work(d.n) {
				t.Errorf("%d: statutory %s on %s is a working day in the notice", y, d.name, time.Unix(int64(d.n)*86400, 0).UTC().Format(time.DateOnly))
			}
		}
	}
}
