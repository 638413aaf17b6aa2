package ui

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/domain/clock"
)

// channels are the 12345 platforms' intake channels 渠道.
var channels = []string{"电话", "网站", "微信", "APP", "信件", "其他"}

// appealLabel names the appeal types 诉求类型 (translated with lang.L).
var appealLabel = map[domain.AppealType]string{
	domain.AppealConsult: "Enquiry", domain.AppealHelp: "Request for help", domain.AppealComplaint: "Complaint",
	domain.AppealReport: "Report of wrongdoing", domain.AppealSuggestion: "Suggestion", domain.AppealPraise: "Praise",
}

// intake is the form for a 12345 work order: the hotline's fields (order
// number, channel, appeal type, reply deadline, caller), what the caller
// says, where (an address, and a click on the map or a grid), the category
// suggested from the words. Before it registers, it shows the open cases
// the call may repeat (duplicates.go).
func (dp *detailPanel) intake(at placer) {
	orderNo, address := widget.NewEntry(), widget.NewEntry()
	orderNo.SetPlaceHolder("GD" + time.Now().In(clock.Location()).Format("20060102") + "0001")
	channel := widget.NewSelect(channels, nil)
	channel.SetSelectedIndex(0)
	var appealNames []string
	for _, a := range domain.AppealTypes {
		appealNames = append(appealNames, lang.L(appealLabel[a]))
	}
	appeal := widget.NewSelect(appealNames, nil)
	appeal.SetSelectedIndex(2) // 投诉, the most common
	due := widget.NewEntry()
	due.SetText(dp.desk.Calendar().AddWorkdays(time.Now(), 5).In(clock.Location()).Format("2006-01-02 15:04"))
	callerName, callerPhone := widget.NewEntry(), widget.NewEntry()
	callerPhone.SetPlaceHolder("13800000000")
	title, desc := widget.NewEntry(), widget.NewMultiLineEntry()
	desc.SetMinRowsVisible(3)
	var cats []domain.Category
	for _, c := range dp.desk.Categories() {
		if !c.Retired {
			cats = append(cats, c)
		}
	}
	var catNames []string
	for _, c := range cats {
		catNames = append(catNames, catalogueName(c))
	}
	category := widget.NewSelect(catNames, nil)
	category.PlaceHolder = lang.L("Choose…")
	hint := widget.NewLabel("")
	suggest := func(string) {
		if c, ok := dp.desk.SuggestCategory(title.Text + " " + desc.Text); ok {
			for i, x := range cats {
				if x.Key == c.Key {
					category.SetSelectedIndex(i)
					hint.SetText(lang.L("Suggested from the caller's words"))
				}
			}
		}
	}
	title.OnChanged, desc.OnChanged = suggest, suggest
	urgent := widget.NewCheck(lang.L("Urgent"), nil)
	var place *orb.Point
	where := widget.NewLabel(lang.L("Not placed yet"))
	var d dialog.Dialog
	pick := widget.NewButton(lang.L("Pick on the map"), func() {
		d.Hide()
		dp.say(lang.L("Click the map where the caller is."))
		at.pick(func(p orb.Point) {
			place = &p
			where.SetText(fmt.Sprintf("%.5f, %.5f  %s", p[0], p[1], at.gridNameAt(p)))
			d.Show()
		})
	})
	var gridNames []string
	var gridAt []orb.Point
	for _, g := range at.gridsOf(layerBase, layerMicro) {
		c, _ := planar.CentroidArea(g.Geometry)
		gridNames, gridAt = append(gridNames, g.Name), append(gridAt, c)
	}
	byGrid := widget.NewSelectEntry(gridNames)
	byGrid.SetPlaceHolder(lang.L("or type a grid's name"))
	byGrid.OnChanged = func(text string) {
		for i, n := range gridNames {
			if n == text {
				p := gridAt[i]
				place = &p
				where.SetText(fmt.Sprintf("%.5f, %.5f  %s", p[0], p[1], n))
			}
		}
	}
	items := []*widget.FormItem{
		widget.NewFormItem(lang.L("Work order no."), orderNo),
		widget.NewFormItem(lang.L("Channel"), channel), widget.NewFormItem(lang.L("Appeal type"), appeal),
		widget.NewFormItem(lang.L("Reply by"), due),
		widget.NewFormItem(lang.L("Caller"), container.NewGridWithColumns(2, callerName, callerPhone)),
		widget.NewFormItem(lang.L("Title"), title), widget.NewFormItem(lang.L("Caller's report"), desc),
		widget.NewFormItem(lang.L("Address"), address),
		widget.NewFormItem(lang.L("Category"), container.NewVBox(category, hint)),
		widget.NewFormItem(lang.L("Location"), container.NewVBox(container.NewBorder(nil, nil, nil, pick, where), byGrid)),
		widget.NewFormItem("", urgent),
	}
	d = dialog.NewForm(lang.L("New 12345 work order"), lang.L("Register"), lang.L("Cancel"), items, func(ok bool) {
		at.pick(nil)
		if !ok {
			return
		}
		reply, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(due.Text), clock.Location())
		switch {
		case strings.TrimSpace(orderNo.Text) == "":
			dialog.ShowError(fmt.Errorf("%s", lang.L("The work order number is required.")), dp.br.win)
			return
		case err != nil:
			dialog.ShowError(fmt.Errorf("%s", lang.L("Reply by is not a time like 2026-07-01 17:00.")), dp.br.win)
			return
		case callerPhone.Text != "" && domain.CheckPhone(strings.TrimSpace(callerPhone.Text)) != nil:
			dialog.ShowError(fmt.Errorf("%s", lang.L("The phone number is not 5 to 20 digits.")), dp.br.win)
			return
		case title.Text == "":
			dialog.ShowError(fmt.Errorf("%s", lang.L("A title is required.")), dp.br.win)
			return
		case category.SelectedIndex() < 0:
			dialog.ShowError(fmt.Errorf("%s", lang.L("Choose a category.")), dp.br.win)
			return
		case place == nil:
			dialog.ShowError(fmt.Errorf("%s", lang.L("Place the case on the map.")), dp.br.win)
			return
		}
		n := &command.NewCase{Title: title.Text, Description: desc.Text, Category: cats[category.SelectedIndex()].Key,
			Source: domain.SourceHotline, Lon: place[0], Lat: place[1], Address: strings.TrimSpace(address.Text),
			Order: &domain.WorkOrder{No: strings.TrimSpace(orderNo.Text), Channel: channel.Selected,
				AppealType: domain.AppealTypes[max(appeal.SelectedIndex(), 0)], ReplyDue: reply}}
		if name, phone := strings.TrimSpace(callerName.Text), strings.TrimSpace(callerPhone.Text); name != "" || phone != "" {
			n.Caller = &domain.Caller{Name: name, Phone: phone}
		}
		if urgent.Checked {
			n.Priority = domain.PriorityUrgent
		}
		dp.registerChecked(command.CaseArgs{CaseID: uuid.NewString(), New: n})
	}, dp.br.win)
	d.Resize(fyne.NewSize(620, 680))
	d.Show()
}

// catalogueName names a category with its catalogue code: "事件0102 垃圾清运".
func catalogueName(c domain.Category) string {
	if c.Code == "" {
		return categoryName(c)
	}
	class := c.Class.Label()
	if !chinese() {
		class = map[domain.CategoryClass]string{domain.ClassComponent: "C", domain.ClassEvent: "E"}[c.Class]
	}
	return class + c.Code + " " + categoryName(c)
}

// exportWorkOrders writes the month's 12345 work orders back in the
// hotline's columns (XLSX, or CSV by the file's name).
func (dg *dialogs) exportWorkOrders() {
	month := widget.NewEntry()
	month.SetText(time.Now().In(clock.Location()).Format("2006-01"))
	dialog.ShowForm(lang.L("Export 12345 work orders"), lang.L("Choose file…"), lang.L("Cancel"),
		[]*widget.FormItem{widget.NewFormItem(lang.L("Month"), month)}, func(ok bool) {
			if !ok {
				return
			}
			from, err := time.ParseInLocation("2006-01", strings.TrimSpace(month.Text), clock.Location())
			if err != nil {
				dialog.ShowError(fmt.Errorf("%s", lang.L("The month is not like 2026-07.")), dg.win)
				return
			}
			dg.saveTo("12345工单回复-"+from.Format("2006-01")+".xlsx", func(ctx context.Context, w io.Writer) error {
				format := "xlsx"
				if f, ok := w.(interface{ URI() fyne.URI }); ok && strings.EqualFold(f.URI().Extension(), ".csv") {
					format = "csv"
				}
				_, err := dg.desk.ExportWorkOrders(ctx, w, format, from, from.AddDate(0, 1, 0))
				return err
			})
		}, dg.win)
}
