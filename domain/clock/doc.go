// Package clock times a case's response against a policy and lights it green,
// yellow or red (DESIGN.md §2 "Clocks and lights", §5).
//
// It has three parts:
//
//   - a China working-day calendar (Calendar, China) built from the official
//     holiday-cn data embedded here (holiday/), counting holidays 放假 and
//     make-up working days 调休, and, for a year whose notice is not loaded,
//     the statutory holidays of 全国年节及纪念日放假办法, marked provisional
//     (lunar dates from github.com/6tail/lunar-go);
//   - clock policies (Policy, Spec) with the built-in presets "333", "135" and
//     "department";
//   - evaluation of a case's timeline against a policy (Policy.Evaluate), and
//     the case-level summaries Worst and Due.
//
// All days are dates in China Standard Time (Asia/Shanghai), whatever the
// location of the time.Time values passed in. The package is pure Go with no
// I/O besides the embedded calendar, and safe for concurrent use.
package clock
