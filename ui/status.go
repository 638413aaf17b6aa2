package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/desk"
	"griddesk/desk/replica"
	"griddesk/domain/clock"
)

// statusBar is the line at the bottom of the desk: online or not, the last
// sync and the data's age, who is signed in, and the commands waiting or
// refused.
type statusBar struct {
	label   *widget.Label
	warn    *widget.Label     // the calendar's warning, on a line of its own (wrapped, never cut)
	obj     fyne.CanvasObject // the bar's lines
	desk    *desk.Desk
	state   replica.Status
	refused int    // refused commands already reported
	review  string // the snapshot under review, said instead of the sync state

	onCount  func(n int) // commands pending or refused (the Outbox button)
	relayout func()      // the window lays itself out again (the warning line came or went)
}

func newStatusBar(d *desk.Desk, onCount func(int)) *statusBar {
	sb := &statusBar{label: widget.NewLabel(""), warn: widget.NewLabel(""), desk: d, state: d.Status(), onCount: onCount}
	sb.label.Truncation = fyne.TextTruncateEllipsis
	sb.warn.Wrapping = fyne.TextWrapWord
	sb.warn.Importance = widget.WarningImportance
	sb.warn.Hide()
	sb.obj = container.NewVBox(sb.label, sb.warn)
	sb.refused = sb.state.Rejected
	return sb
}

// setState shows a new sync status; it reports whether the server refused
// more commands since the last one.
func (sb *statusBar) setState(s replica.Status) (refused bool) {
	sb.state = s
	sb.render()
	refused = s.Rejected > sb.refused
	sb.refused = s.Rejected
	return refused
}

// render writes the bar (the data's age moves, so it is rendered again now
// and then).
func (sb *statusBar) render() {
	s := sb.state
	if sb.review != "" {
		sb.label.SetText(sb.review + "   " + lang.L("Rows cached: {{.N}}", map[string]any{"N": s.Rows}))
		return
	}
	state := map[string]string{
		replica.StateConnecting: lang.L("Connecting…"), replica.StateSyncing: lang.L("Synchronizing…"),
		replica.StateOnline: lang.L("Online"), replica.StateOffline: lang.L("Offline"),
	}[s.State]
	last := lang.L("never")
	if !s.LastSync.IsZero() {
		last = s.LastSync.In(clock.Location()).Format("2006-01-02 15:04:05")
	}
	text := fmt.Sprintf("● %s   %s   %s", state,
		lang.L("Last sync: {{.T}}", map[string]any{"T": last}),
		lang.L("Rows cached: {{.N}}", map[string]any{"N": s.Rows}))
	if u := sb.desk.User(); u.Username != "" {
		text += "   " + lang.L("Signed in as {{.U}}", map[string]any{"U": u.Name})
	}
	if s.Pending > 0 {
		text += "   " + lang.L("Pending: {{.N}}", map[string]any{"N": s.Pending})
	}
	var warn []string
	for _, y := range sb.desk.CalendarWarning(time.Now()) {
		warn = append(warn, "⚠ "+lang.L("No holiday notice for {{.Y}} yet: statutory holidays only, make-up working days unknown", map[string]any{"Y": y}))
	}
	shown := sb.warn.Visible()
	if len(warn) > 0 {
		sb.warn.SetText(strings.Join(warn, "   "))
		sb.warn.Show()
	} else {
		sb.warn.Hide()
	}
	if sb.warn.Visible() != shown && sb.relayout != nil {
		sb.relayout() // a line more or less: the bar's height changed
	}
	if s.Rejected > 0 {
		text += "   " + lang.L("Refused: {{.N}}", map[string]any{"N": s.Rejected})
	}
	if s.State == replica.StateOffline {
		if !s.LastSync.IsZero() {
			text += "   " + lang.L("Data age: {{.A}}", map[string]any{"A": time.Since(s.LastSync).Round(time.Second).String()})
		}
		if s.Err != "" {
			text += "   " + lang.L("Reason: {{.E}}", map[string]any{"E": s.Err})
		}
	}
	sb.label.SetText(text)
	if sb.onCount != nil {
		sb.onCount(s.Pending + s.Rejected)
	}
}
