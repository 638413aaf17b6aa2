package clock

import (
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

func TestLoadGood(t *testing.T) {
	cal := China()
	// A year without data: 国庆 2031 on Wednesday, make-up Saturday 10-04.
	err := cal.Load(stringsReader(`{"year":2031,"papers":[],"days":[
		{"name":"国庆节","date":"2031-10-01","isOffDay":true},
		{"name":"国庆节","date":"2031-10-02","isOffDay":true},
		{"name":"国庆节","date":"2031-10-04","isOffDay":false}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if !cal.Known(2031) {
		t.Error("Known(2031) = false after Load")
	}
	if want := []int{2020, 2021, 2022, 2023, 2024, 2025, 2026, 2031}; !slices.Equal(cal.Years(), want) {
		t.Errorf("Years() = %v, want %v", cal.Years(), want)
	}
	for day, want := range map[string]bool{"2031-09-30": true, "2031-10-01": false, "2031-10-02": false, "2031-10-03": true, "2031-10-04": true, "2031-10-05": false} {
		if got := cal.IsWorkday(cst(t, day)); got != want {
			t.Errorf("after Load: IsWorkday(%s) = %v, want %v", day, got, want)
		}
	}
	if got, want := cal.AddWorkdays(cst(t, "2031-09-30 09:00"), 2), cst(t, "2031-10-04 09:00"); !got.Equal(want) {
		t.Errorf("after Load: AddWorkdays = %s, want %s", got, want)
	}

	// Replacing 2026 drops its old days: 10-01 is an ordinary Thursday now.
	if err := cal.Load(stringsReader(`{"year":2026,"days":[{"name":"春节","date":"2026-02-16","isOffDay":true}]}`)); err != nil {
		t.Fatal(err)
	}
	for day, want := range map[string]bool{"2026-02-16": false, "2026-02-17": true, "2026-02-14": false, "2026-10-01": true} {
		if got := cal.IsWorkday(cst(t, day)); got != want {
			t.Errorf("after replacing 2026: IsWorkday(%s) = %v, want %v", day, got, want)
		}
	}
}

func TestLoadNeighbourYear(t *testing.T) {
	var cal Calendar
	// 2033's New Year holiday starting on Monday 2032-12-27 …
	if err := cal.Load(stringsReader(`{"year":2033,"days":[{"name":"元旦","date":"2032-12-27","isOffDay":true}]}`)); err != nil {
		t.Fatal(err)
	}
	if cal.IsWorkday(cst(t, "2032-12-27")) || cal.Known(2032) {
		t.Error("a date listed in next year's file is not applied")
	}
	// … but the date's own year has the last word.
	if err := cal.Load(stringsReader(`{"year":2032,"days":[{"name":"调休","date":"2032-12-27","isOffDay":false}]}`)); err != nil {
		t.Fatal(err)
	}
	if !cal.IsWorkday(cst(t, "2032-12-27")) {
		t.Error("the date's own year does not win over a neighbour's file")
	}
}

func TestLoadBad(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"not JSON", `year: 2026`, "clock: calendar file: not a holiday-cn JSON file: invalid character 'y' looking for beginning of value"},
		{"truncated", `{"year":2026,"days":[`, "clock: calendar file: not a holiday-cn JSON file: unexpected end of JSON input"},
		{"missing year", `{"days":[{"name":"元旦","date":"2026-01-01","isOffDay":true}]}`, `clock: calendar file: "year" is missing`},
		{"year out of range", `{"year":26,"days":[{"name":"元旦","date":"0026-01-01","isOffDay":true}]}`, "clock: calendar file: year 26 is out of range"},
		{"no days", `{"year":2028,"papers":[],"days":[]}`, "clock: calendar file: year 2028 has no days (not yet published?)"},
		{"bad date", `{"year":2026,"days":[{"name":"元旦","date":"2026-01-01","isOffDay":true},{"name":"元旦","date":"2026-01-02","isOffDay":true},{"name":"春节","date":"2026-13-01","isOffDay":true}]}`,
			`clock: calendar file: day 3: date "2026-13-01": parsing time "2026-13-01": month out of range`},
		{"wrong year", `{"year":2026,"days":[{"name":"国庆节","date":"2025-10-01","isOffDay":true}]}`, `clock: calendar file: day 1: date "2025-10-01" is not in 2026`},
		{"missing name", `{"year":2026,"days":[{"date":"2026-10-01","isOffDay":true}]}`, "clock: calendar file: day 1: name is missing"},
		{"missing date", `{"year":2026,"days":[{"name":"国庆节","isOffDay":true}]}`, "clock: calendar file: day 1 (国庆节): date is missing"},
		{"missing isOffDay", `{"year":2026,"days":[{"name":"国庆节","date":"2026-10-01"}]}`, "clock: calendar file: day 1 (国庆节): isOffDay is missing"},
		{"twice", `{"year":2026,"days":[{"name":"国庆节","date":"2026-10-01","isOffDay":true},{"name":"国庆节","date":"2026-10-01","isOffDay":false}]}`, `clock: calendar file: day 2: date "2026-10-01" is listed twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal := China()
			err := cal.Load(stringsReader(tt.file))
			if err == nil {
				t.Fatal("Load succeeded")
			}
			if err.Error() != tt.want {
				t.Errorf("error = %q\nwant    %q", err, tt.want)
			}
			// Unchanged: the same years, 2026's holidays as before.
			if want := []int{2020, 2021, 2022, 2023, 2024, 2025, 2026}; !slices.Equal(cal.Years(), want) {
				t.Errorf("Years() = %v after a failed Load", cal.Years())
			}
			if cal.IsWorkday(cst(t, "2026-10-01")) || !cal.IsWorkday(cst(t, "2026-10-10")) || cal.IsWorkday(cst(t, "2026-01-02")) {
				t.Error("2026 changed after a failed Load")
			}
		})
	}
}

func TestLoadTooLarge(t *testing.T) {
	var cal Calendar
	big := `{"year":2026,"papers":["` + strings.Repeat("x", maxFileSize) + `"],"days":[]}`
	if err := cal.Load(stringsReader(big)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("Load(huge) = %v, want a size error", err)
	}
}

func TestEmbeddedFiles(t *testing.T) {
	if _, err := loadFS(holidayFS()); err != nil {
		t.Fatalf("embedded holiday data: %v", err)
	}
	names, _ := fs.Glob(holidayFS(), "*.json")
	if len(names) < 8 {
		t.Errorf("embedded holiday files = %v, want 2020.json … 2027.json", names)
	}
	bad := fstest.MapFS{
		"2026.json": {Data: []byte(`{"year":2026,"days":[{"name":"x","date":"2026-02-30","isOffDay":true}]}`)},
	}
	if _, err := loadFS(bad); err == nil || !strings.Contains(err.Error(), `2026.json`) {
		t.Errorf("loadFS(broken) = %v, want an error naming 2026.json", err)
	}
	misnamed := fstest.MapFS{
		"2025.json": {Data: []byte(`{"year":2026,"days":[{"name":"x","date":"2026-02-03","isOffDay":true}]}`)},
	}
	if _, err := loadFS(misnamed); err == nil || !strings.Contains(err.Error(), "holds year 2026") {
		t.Errorf("loadFS(misnamed) = %v, want a year mismatch", err)
	}
}

func TestCalendarConcurrent(t *testing.T) {
	cal := China()
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for range 200 {
				if i == 0 {
					_ = cal.Load(stringsReader(`{"year":2031,"days":[{"name":"国庆节","date":"2031-10-01","isOffDay":true}]}`))
					continue
				}
				if cal.IsWorkday(cst(t, "2026-10-01")) {
					t.Error("2026-10-01 became a working day")
				}
				_ = cal.Years()
				_ = cal.AddWorkdays(cst(t, "2026-09-30 10:00"), 3)
			}
		})
	}
	wg.Wait()
}
