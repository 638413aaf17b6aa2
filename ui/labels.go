package ui

import (
	"fmt"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/desk"
	"griddesk/domain"
	"griddesk/domain/clock"
)

// The names the screens give to domain values (English keys of lang.L) and
// the texts they describe entities and cases with.

var levelLabel = map[string]string{
	domain.LevelBase: "Base grid", domain.LevelMicro: "Micro grid", domain.LevelInspection: "Inspection grid", domain.LevelEnforcement: "Enforcement grid",
}

var kindLabel = map[string]string{
	domain.KindShop: "Shop", domain.KindEnterprise: "Enterprise", domain.KindRental: "Rental house", domain.KindVenue: "Small venue",
}

var codeLabel = map[string]string{domain.CodeGreen: "Green code", domain.CodeYellow: "Yellow code", domain.CodeRed: "Red code"}

var statusLabel = map[domain.CaseStatus]string{
	domain.StatusReported: "Reported", domain.StatusRegistered: "Registered", domain.StatusRejected: "Rejected",
	domain.StatusDispatched: "Dispatched", domain.StatusAccepted: "Accepted", domain.StatusOnSite: "On site",
	domain.StatusHandled: "Handled", domain.StatusClosed: "Closed", domain.StatusEvaluated: "Evaluated", domain.StatusDeferred: "Deferred",
}

var lightLabel = map[clock.Light]string{clock.LightNone: "No light", clock.LightGreen: "Green light", clock.LightYellow: "Yellow light", clock.LightRed: "Red light"}

func entityText(e domain.Entity) string {
	return fmt.Sprintf("%s\n%s · %s\n%s", e.Name, lang.L(kindLabel[e.Kind]), lang.L(codeLabel[e.Code]), e.Address)
}

func categoryName(c domain.Category) string {
	if chinese() || c.NameEn == "" {
		return c.Name
	}
	return c.NameEn
}

func caseText(c desk.CaseRow) string {
	lines := []string{c.No + "  " + c.Title,
		categoryName(c.CategoryInfo) + " · " + lang.L(statusLabel[c.Status]) + " · " + lang.L(lightLabel[c.Light])}
	var where []string // a case outside every grid, or with no unit yet, says nothing there
	for _, n := range []string{c.GridName, c.UnitName} {
		if n != "" {
			where = append(where, n)
		}
	}
	if len(where) > 0 {
		lines = append(lines, strings.Join(where, " · "))
	}
	lines = append(lines, lang.L("Reported")+": "+c.ReportedAt.In(clock.Location()).Format("2006-01-02 15:04"))
	return strings.Join(lines, "\n")
}

// clockText shows a duration as the desk's clocks do: H:MM:SS, or days.
func clockText(d time.Duration) string {
	d = d.Round(time.Second)
	if d >= 48*time.Hour {
		return lang.L("{{.D}} days", map[string]any{"D": int(d.Hours() / 24)})
	}
	h := int(d.Hours())
	m := int(d.Minutes()) % 60
	sec := int(d.Seconds()) % 60
	return fmt.Sprintf("%d:%02d:%02d", h, m, sec)
}

// legendDot is a coloured dot with a label (legends, clocks, codes).
func legendDot(c color.Color, label string) fyne.CanvasObject {
	dot := canvas.NewCircle(c)
	dot.StrokeColor = color.NRGBA{A: 0x80}
	dot.StrokeWidth = 1
	return container.NewHBox(container.NewCenter(container.NewGridWrap(fyne.NewSize(12, 12), dot)), widget.NewLabel(label))
}

func bold(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// sourceLabel names a case's source (a key of lang.L).
func sourceLabel(key string) string {
	for _, sc := range sourceChoices {
		if sc.key == key {
			return sc.label
		}
	}
	return key
}

// weekdayLabel names the days of the week (keys of lang.L).
var weekdayLabel = map[time.Weekday]string{
	time.Monday: "Monday", time.Tuesday: "Tuesday", time.Wednesday: "Wednesday", time.Thursday: "Thursday",
	time.Friday: "Friday", time.Saturday: "Saturday", time.Sunday: "Sunday",
}

// weekdayShort names the days of the week briefly (keys of lang.L).
var weekdayShort = map[time.Weekday]string{
	time.Monday: "Mon", time.Tuesday: "Tue", time.Wednesday: "Wed", time.Thursday: "Thu",
	time.Friday: "Fri", time.Saturday: "Sat", time.Sunday: "Sun",
}
