package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"griddesk/desk"
	"griddesk/domain/clock"
)

// notice is one announcement: a case came in, or became (nearly) overdue.
type notice struct {
	at      time.Time
	overdue bool
	c       desk.CaseRow
}

func (n notice) text() string {
	what := lang.L("New case")
	if n.overdue {
		what = lang.L("Overdue or about to be")
	}
	where := n.c.GridName
	if n.overdue && n.c.UnitName != "" {
		where = n.c.UnitName
	}
	return fmt.Sprintf("%s  %s · %s %s · %s", n.at.In(clock.Location()).Format("15:04"), what, n.c.No, n.c.Title, where)
}

// maxNotices is how many notices the list keeps (newest first).
const maxNotices = 200

// noticeBoard is the list of announcements behind the toolbar's bell: new
// and overdue cases pile up there, counted until read, and never replace
// the case the detail panel shows. A tap on one selects its case.
type noticeBoard struct {
	button *widget.Button
	list   []notice
	unread int
	win    fyne.Window
	pop    *widget.PopUp
	onPick func(c desk.CaseRow)
}

func newNoticeBoard(win fyne.Window) *noticeBoard {
	nb := &noticeBoard{win: win}
	nb.button = widget.NewButtonWithIcon(lang.L("Notices"), theme.MailComposeIcon(), nb.toggle)
	nb.render()
	return nb
}

// add puts notices on top of the list.
func (nb *noticeBoard) add(ns ...notice) {
	if len(ns) == 0 {
		return
	}
	nb.list = append(append([]notice(nil), ns...), nb.list...)
	if len(nb.list) > maxNotices {
		nb.list = nb.list[:maxNotices]
	}
	nb.unread += len(ns)
	nb.render()
	if nb.pop != nil {
		nb.open() // shown: show the new ones too
	}
}

func (nb *noticeBoard) render() {
	text := lang.L("Notices")
	if nb.unread > 0 {
		text += fmt.Sprintf(" (%d)", nb.unread)
		nb.button.Importance = widget.WarningImportance
	} else {
		nb.button.Importance = widget.MediumImportance
	}
	nb.button.SetText(text)
}

// toggle shows the list under the button, or hides it.
func (nb *noticeBoard) toggle() {
	if nb.pop != nil {
		nb.close()
		return
	}
	nb.open()
}

func (nb *noticeBoard) close() {
	if nb.pop != nil {
		nb.pop.Hide()
		nb.pop = nil
	}
}

func (nb *noticeBoard) open() {
	nb.close()
	nb.unread = 0
	nb.render()
	var body fyne.CanvasObject
	if len(nb.list) == 0 {
		body = widget.NewLabel(lang.L("No notices yet."))
	} else {
		list := newList(func() int { return len(nb.list) },
			func() fyne.CanvasObject {
				l := widget.NewLabel("")
				l.Truncation = fyne.TextTruncateEllipsis
				return l
			},
			func(i widget.ListItemID, o fyne.CanvasObject) {
				l := o.(*widget.Label)
				l.SetText(nb.list[i].text())
				l.Importance = widget.MediumImportance
				if nb.list[i].overdue {
					l.Importance = widget.DangerImportance
				}
				l.Refresh()
			})
		list.OnSelected = func(i widget.ListItemID) {
			c := nb.list[i].c
			nb.close()
			if nb.onPick != nil {
				nb.onPick(c)
			}
		}
		body = list
	}
	head := container.NewBorder(nil, nil, nil, widget.NewButtonWithIcon("", theme.CancelIcon(), nb.close),
		bold(lang.L("Notices")))
	nb.pop = widget.NewPopUp(container.NewBorder(head, nil, nil, nil, body), nb.win.Canvas())
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(nb.button)
	nb.pop.ShowAtPosition(pos.Add(fyne.NewPos(0, nb.button.Size().Height)))
	nb.pop.Resize(fyne.NewSize(560, 420))
}
