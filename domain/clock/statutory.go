package clock

import (
	"sync"
	"time"

	"github.com/6tail/lunar-go/calendar"
)

// Statutory holidays 法定节假日 for the years whose State Council notice is
// not loaded. The days off themselves are fixed by 全国年节及纪念日放假办法;
// the yearly notice only adds the bridging arrangement (which days around
// them are off too, and which weekend days are worked instead, 调休). Without
// the notice a year keeps its statutory days off, marked provisional: its
// make-up working days are unknown until the notice is loaded.
//
// The rules by the version in force:
//
//	from 2025 (2024 revision): 元旦 1 day; 春节 4 days, 除夕 to 正月初三; 清明 1;
//	  劳动节 May 1–2; 端午 1; 中秋 1; 国庆 Oct 1–3
//	2014–2024 (2013 revision): 春节 3 days, 正月初一 to 初三; 劳动节 May 1;
//	  the others as above
//	2008–2013 (2007 revision): 春节 3 days, 除夕 to 正月初二; the others as
//	  2014–2024
//
// Years before 2008 or after statutoryLast have no statutory days here
// (Monday–Friday). Lunar dates (春节, 端午 五月初五, 中秋 八月十五) and the
// solar term 清明 come from github.com/6tail/lunar-go.

// The years statutory days are computed for.
const (
	statutoryFirst = 2008
	statutoryLast  = 2099
)

// statutoryCache holds each year's statutory days, computed once: the lunar
// conversions are the costly part of building a table.
var statutoryCache sync.Map // year → []day

// statutory returns year's statutory days off (named, in date order, each
// once: 中秋 falling within 国庆 is listed as 国庆).
func statutory(year int) []day {
	if year < statutoryFirst || year > statutoryLast {
		return nil
	}
	if v, ok := statutoryCache.Load(year); ok {
		return v.([]day)
	}
	var days []day
	seen := map[int]bool{}
	add := func(n int, name string) {
		if !seen[n] {
			seen[n] = true
			days = append(days, day{n: n, off: true, name: name})
		}
	}
	span := func(first, count int, name string) {
		for i := range count {
			add(first+i, name)
		}
	}
	solar := func(s *calendar.Solar) int { return civil(s.GetYear(), time.Month(s.GetMonth()), s.GetDay()) }
	lunar := func(m, d int) int { return solar(calendar.NewLunarFromYmd(year, m, d).GetSolar()) }

	span(civil(year, 1, 1), 1, "元旦")
	newYear := lunar(1, 1) // 正月初一
	switch {
	case year >= 2025:
		span(newYear-1, 4, "春节")
	case year >= 2014:
		span(newYear, 3, "春节")
	default:
		span(newYear-1, 3, "春节")
	}
	// 清明 is a solar term, not a lunar date: the lunar year's table has it
	// in April of the same Gregorian year.
	if qm, ok := calendar.NewSolarFromYmd(year, 4, 20).GetLunar().GetJieQiTable()["清明"]; ok && qm.GetYear() == year {
		span(solar(qm), 1, "清明节")
	}
	if year >= 2025 {
		span(civil(year, 5, 1), 2, "劳动节")
	} else {
		span(civil(year, 5, 1), 1, "劳动节")
	}
	span(lunar(5, 5), 1, "端午节")
	span(civil(year, 10, 1), 3, "国庆节")
	span(lunar(8, 15), 1, "中秋节")
	sortDays(days)
	statutoryCache.Store(year, days)
	return days
}
