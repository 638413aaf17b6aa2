package clock

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"sync"
	"time"
)

// maxFileSize bounds a calendar file; holiday-cn's are about 5 KB.
const maxFileSize = 1 << 20

// Load adds a year of official data, or replaces it, from a holiday-cn file
// (https://github.com/NateScarlet/holiday-cn, YYYY.json):
//
//	{"year":2026,"days":[{"name":"元旦","date":"2026-01-01","isOffDay":true}, …]}
//
// isOffDay false marks a make-up working day. Dates must lie in the file's
// year, or within a week of it (holiday-cn lists 2022-12-31 under 2023's New
// Year). A file with no days is refused: holiday-cn publishes such empty
// placeholders before the State Council's notice. On error the calendar is
// unchanged.
func (c *Calendar) Load(r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return fmt.Errorf("clock: calendar file: read: %w", err)
	}
	if len(data) > maxFileSize {
		return fmt.Errorf("clock: calendar file: larger than %d bytes", maxFileSize)
	}
	f, err := parseFile(data)
	if err != nil {
		return err
	}
	if len(f.days) == 0 {
		return fmt.Errorf("clock: calendar file: year %d has no days (not yet published?)", f.year)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	files := maps.Clone(c.files)
	if files == nil {
		files = map[int]yearFile{}
	}
	files[f.year] = f
	c.files, c.tab = files, newTable(files)
	return nil
}

// jsonFile is the holiday-cn format; pointers tell missing fields from zeros.
type jsonFile struct {
	Year *int `json:"year"`
	Days []struct {
		Name     string `json:"name"`
		Date     string `json:"date"`
		IsOffDay *bool  `json:"isOffDay"`
	} `json:"days"`
}

// parseFile parses and checks one holiday-cn file. Days are numbered from 1
// in errors, as a person counts them.
func parseFile(data []byte) (yearFile, error) {
	var jf jsonFile
	if err := json.Unmarshal(data, &jf); err != nil {
		return yearFile{}, fmt.Errorf("clock: calendar file: not a holiday-cn JSON file: %w", err)
	}
	if jf.Year == nil {
		return yearFile{}, errors.New(`clock: calendar file: "year" is missing`)
	}
	y := *jf.Year
	if y < 1949 || y > 9998 {
		return yearFile{}, fmt.Errorf("clock: calendar file: year %d is out of range", y)
	}
	first, last := civil(y, 1, 1)-7, civil(y+1, 1, 1)+6
	f := yearFile{year: y, days: make([]day, 0, len(jf.Days))}
	seen := make(map[int]bool, len(jf.Days))
	for i, jd := range jf.Days {
		switch {
		case jd.Name == "":
			return yearFile{}, fmt.Errorf("clock: calendar file: day %d: name is missing", i+1)
		case jd.Date == "":
			return yearFile{}, fmt.Errorf("clock: calendar file: day %d (%s): date is missing", i+1, jd.Name)
		case jd.IsOffDay == nil:
			return yearFile{}, fmt.Errorf("clock: calendar file: day %d (%s): isOffDay is missing", i+1, jd.Name)
		}
		t, err := time.Parse(time.DateOnly, jd.Date)
		if err != nil {
			return yearFile{}, fmt.Errorf("clock: calendar file: day %d: date %q: %w", i+1, jd.Date, err)
		}
		n := civil(t.Date())
		if n < first || n > last {
			return yearFile{}, fmt.Errorf("clock: calendar file: day %d: date %q is not in %d", i+1, jd.Date, y)
		}
		if seen[n] {
			return yearFile{}, fmt.Errorf("clock: calendar file: day %d: date %q is listed twice", i+1, jd.Date)
		}
		seen[n] = true
		f.days = append(f.days, day{n: n, off: *jd.IsOffDay, name: jd.Name})
	}
	return f, nil
}

// holidays are the State Council's yearly notices as holiday-cn publishes
// them (© NateScarlet, MIT licence: holiday/LICENSE), one YYYY.json a year.
//
//go:embed holiday/*.json
var holidays embed.FS

// holidayFS returns the embedded YYYY.json files at the root of an FS.
func holidayFS() fs.FS {
	sub, err := fs.Sub(holidays, "holiday")
	if err != nil {
		panic(err) // the embed pattern above guarantees the directory
	}
	return sub
}

// embedded is the calendar of the embedded files, parsed once.
var embedded = sync.OnceValue(func() *Calendar {
	c, err := loadFS(holidayFS())
	if err != nil {
		panic(err) // the embedded data is part of the program; its test guards it
	}
	return c
})

// loadFS builds a calendar from the YYYY.json files at the root of fsys,
// skipping the empty placeholders of unpublished years.
func loadFS(fsys fs.FS) (*Calendar, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("clock: embedded calendar: %w", err)
	}
	files := map[int]yearFile{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("clock: embedded calendar: %w", err)
		}
		f, err := parseFile(data)
		if err != nil {
			return nil, fmt.Errorf("clock: embedded calendar %s: %w", name, err)
		}
		if want := fmt.Sprintf("%d.json", f.year); path.Base(name) != want {
			return nil, fmt.Errorf("clock: embedded calendar %s: holds year %d", name, f.year)
		}
		if len(f.days) > 0 {
			files[f.year] = f
		}
	}
	return &Calendar{files: files, tab: newTable(files)}, nil
}
