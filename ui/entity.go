package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/core/command"
	"griddesk/desk"
	"griddesk/domain"
	"griddesk/domain/clock"
)

// showEntity opens an entity's page: details, QR token, code and its
// history with reasons, inspections, open hazards and cases.
func (dg *dialogs) showEntity(id string) {
	load(dg.br, func(ctx context.Context) (desk.EntityPage, error) { return dg.desk.EntityPage(ctx, id) }, dg.entityDialog)
}

func (dg *dialogs) entityDialog(p desk.EntityPage) {
	e := p.Entity
	body := container.NewVBox(
		container.NewHBox(legendDot(codeColor(e.Code), ""), bold(e.Name+" · "+lang.L(codeLabel[e.Code]))),
		widget.NewLabel(fmt.Sprintf("%s · %s · %s\n%s: %s · %s %s", lang.L(kindLabel[e.Kind]), e.Address, p.GridName, lang.L("QR token"), e.QRToken, lang.L("Number"), e.ID)),
		widget.NewSeparator(), bold(lang.L("Code history")))
	if len(p.CodeHistory) == 0 {
		body.Add(widget.NewLabel(lang.L("No change in the reviewed inspections.")))
	}
	for _, c := range p.CodeHistory {
		body.Add(widget.NewLabel(fmt.Sprintf("%s  %s → %s  %s", c.At.In(clock.Location()).Format("2006-01-02"), lang.L(codeLabel[c.From]), lang.L(codeLabel[c.To]), c.Reason)))
	}
	if len(p.Visits) > 0 {
		body.Add(widget.NewSeparator())
		body.Add(bold(lang.L("Planned visits")))
		for _, v := range p.Visits {
			text := fmt.Sprintf("%s · %s · %s · %.0f %s · %s", v.Day.In(clock.Location()).Format("2006-01-02"), v.PlanTitle,
				departmentNames(v.Departments), v.Minutes, lang.L("min"), lang.L(visitLabel[v.Status]))
			if v.Joint {
				text += " · " + lang.L("joint visit")
			}
			body.Add(widget.NewLabel(text))
		}
	}
	var d dialog.Dialog
	_, review := dg.desk.Snapshot()
	body.Add(widget.NewSeparator())
	body.Add(bold(lang.L("Open hazards")))
	now := time.Now()
	openN := 0
	for _, f := range p.Findings {
		if f.Status != domain.FindingOpen {
			continue
		}
		openN++
		f := f
		text := fmt.Sprintf("%s · %s · %s %s", p.Items[f.ItemID].Name, lang.L(severityLabel[f.Severity]), lang.L("deadline"), f.Deadline.In(clock.Location()).Format("2006-01-02"))
		if f.Deadline.Before(now) {
			text += " · " + lang.L("overdue")
		}
		if f.Description != "" {
			text += "\n" + f.Description
		}
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		rectified := widget.NewButton(lang.L("Rectified…"), func() {
			dg.rectifyHazard(f, p.Items[f.ItemID].Name, func() { d.Hide(); dg.showEntity(e.ID) })
		})
		if review {
			rectified.Disable()
		}
		body.Add(container.NewBorder(nil, nil, nil, rectified, l))
	}
	if openN == 0 {
		body.Add(widget.NewLabel(lang.L("None.")))
	}
	dg.rectifiedHazards(body, p)
	body.Add(widget.NewSeparator())
	body.Add(bold(lang.L("Inspections")))
	for i := len(p.Inspections) - 1; i >= 0; i-- {
		in := p.Inspections[i]
		failed := 0
		for _, r := range in.Results {
			if r.Result == domain.ResultFail {
				failed++
			}
		}
		text := fmt.Sprintf("%s · %s · %d %s, %d %s", in.At.In(clock.Location()).Format("2006-01-02 15:04"), lang.L(inspectionLabel[in.Status]),
			len(in.Results), lang.L("items"), failed, lang.L("failed"))
		if len(in.Photos) > 0 {
			text += fmt.Sprintf(" · %d %s", len(in.Photos), lang.L("photos"))
		}
		body.Add(container.NewBorder(nil, nil, nil, widget.NewButton(lang.L("Report PDF…"), func() {
			dg.saveTo(docName("inspection-report", "pdf", e.Name, in.At.In(clock.Location()).Format("2006-01-02")), func(ctx context.Context, w io.Writer) error { return dg.desk.InspectionPDF(ctx, w, in.ID) })
		}), widget.NewLabel(text)))
		if len(in.Photos) > 0 {
			body.Add(dg.photoStrip(in.Photos, thumbSide))
		}
	}
	if len(p.Cases) > 0 {
		body.Add(widget.NewSeparator())
		body.Add(bold(lang.L("Cases")))
		for _, c := range p.Cases {
			body.Add(widget.NewLabel(fmt.Sprintf("%s %s · %s · %s", c.No, c.Title, lang.L(statusLabel[c.Status]), c.ReportedAt.In(clock.Location()).Format("2006-01-02"))))
		}
	}
	buttons := container.NewHBox(
		widget.NewButton(lang.L("Record inspection…"), func() { d.Hide(); dg.recordInspection(p) }),
		widget.NewButton(lang.L("Rectification notice PDF…"), func() {
			dg.saveTo(docName("rectification-notice", "pdf", e.Name, time.Now().In(clock.Location()).Format("2006-01-02")), func(ctx context.Context, w io.Writer) error { return dg.desk.NoticePDF(ctx, w, e.ID) })
		}))
	if review {
		buttons.Objects[0].(*widget.Button).Disable()
	}
	d = dialog.NewCustom(e.Name, lang.L("Close"), container.NewBorder(nil, buttons, nil, nil, container.NewVScroll(body)), dg.win)
	d.Resize(fyne.NewSize(760, 600))
	keysOf(dg.win.Canvas()).track(d)
}

// maxRectified is how many rectified hazards the entity page lists.
const maxRectified = 5

// rectifiedHazards lists the latest rectified hazards with when and the
// photos of the rectified site, the evidence a team leader checks.
func (dg *dialogs) rectifiedHazards(body *fyne.Container, p desk.EntityPage) {
	var done []domain.Finding
	for _, f := range p.Findings {
		if f.Status == domain.FindingRectified {
			done = append(done, f)
		}
	}
	if len(done) == 0 {
		return
	}
	sort.SliceStable(done, func(i, j int) bool { return done[i].RectifiedAt.After(done[j].RectifiedAt) })
	body.Add(widget.NewSeparator())
	body.Add(bold(lang.L("Rectified hazards ({{.N}})", map[string]any{"N": len(done)})))
	for _, f := range done[:min(len(done), maxRectified)] {
		l := widget.NewLabel(fmt.Sprintf("%s · %s · %s %s\n%s", p.Items[f.ItemID].Name, lang.L(severityLabel[f.Severity]),
			lang.L("rectified"), f.RectifiedAt.In(clock.Location()).Format("2006-01-02"), f.Description))
		l.Wrapping = fyne.TextWrapWord
		body.Add(l)
		if len(f.Photos) > 0 {
			body.Add(dg.photoStrip(f.Photos, thumbSide))
		}
	}
}

var visitLabel = map[domain.VisitStatus]string{domain.VisitPlanned: "Planned", domain.VisitDone: "Done", domain.VisitCancelled: "Cancelled"}

var severityLabel = map[domain.Severity]string{domain.SeverityGeneral: "General hazard", domain.SeverityMajor: "Major hazard"}

var inspectionLabel = map[domain.InspectionStatus]string{domain.InspectionSubmitted: "Awaiting review", domain.InspectionAccepted: "Approved", domain.InspectionReturned: "Sent back", domain.InspectionEnforcement: "Handed to enforcement"}

// rectifyHazard confirms a hazard rectified, with a note and photos of the
// rectified site; a refusal (no note and no photo) keeps the form.
func (dg *dialogs) rectifyHazard(f domain.Finding, itemName string, done func()) {
	note := newMultiLineEntry()
	note.SetPlaceHolder(lang.L("What was done"))
	photos := dg.newPhotoPicker()
	hazard := widget.NewLabel(itemName + " · " + f.Description)
	hazard.Wrapping = fyne.TextWrapWord
	fd := newFormDialog(dg.br, lang.L("Rectified…"), lang.L("OK"), []formField{
		field(lang.L("Hazard"), hazard), field(lang.L("Note"), note, "args.note"), field(lang.L("Photos"), photos.obj, "args.photos")})
	fd.check = func() error {
		if strings.TrimSpace(note.Text) == "" && len(photos.settledIDs()) == 0 {
			return refuse("args.note", refusalText("rectify_evidence", nil, ""))
		}
		return nil
	}
	fd.send = func(ctx context.Context) error {
		return dg.desk.RectifyHazard(ctx, f.ID, strings.TrimSpace(note.Text), photos.settledIDs())
	}
	fd.done = done
	fd.show(fyne.NewSize(640, 440))
}

// askNote asks for a note (field "args.note" of the command act issues),
// then runs act off the UI goroutine; a refusal keeps the note.
func (dg *dialogs) askNote(title string, act func(ctx context.Context, note string) error, done func()) *formDialog {
	note := newMultiLineEntry()
	note.SetMinRowsVisible(3)
	fd := newFormDialog(dg.br, title, lang.L("OK"), []formField{field(lang.L("Note"), note, "args.note")})
	fd.send = func(ctx context.Context) error { return act(ctx, note.Text) }
	fd.done = done
	fd.show(fyne.NewSize(520, 260))
	dg.lastForm = fd
	return fd
}

// inspectionForm is the paper form transcribed at the desk: every
// applicable item of the joint checklist, pass / fail / not applicable, a
// note, and a severity and rectification deadline for each failed item.
type inspectionForm struct {
	choices []string
	rows    []inspectionRow
	list    *fyne.Container
}

type inspectionRow struct {
	item     domain.CheckItem
	result   *widget.RadioGroup
	severity *keySelect
	note     *widget.Entry
	deadline *widget.Entry // YYYY-MM-DD; empty: 7 days, a major hazard 3
}

// dateLayout is how dates are typed at the desk.
const dateLayout = "2006-01-02"

func newInspectionForm(items []domain.CheckItem) *inspectionForm {
	f := &inspectionForm{choices: []string{lang.L("Pass"), lang.L("Fail"), lang.L("N/A")}, list: container.NewVBox()}
	for _, it := range items {
		r := inspectionRow{item: it, result: widget.NewRadioGroup(f.choices, nil),
			severity: newSelect([]string{lang.L("General hazard"), lang.L("Major hazard")}, nil), note: widget.NewEntry()}
		r.result.Horizontal = true
		r.result.SetSelected(f.choices[0])
		r.severity.SetSelectedIndex(0)
		r.severity.Hide()
		r.note.SetPlaceHolder(lang.L("Note (for a failed item: what was found)"))
		r.deadline = widget.NewEntry()
		r.deadline.SetPlaceHolder(lang.L("Deadline (default 7 days, major 3)"))
		deadline := container.NewGridWrap(fyne.NewSize(260, r.deadline.MinSize().Height), r.deadline)
		deadline.Hide()
		sev := r.severity
		r.result.OnChanged = func(s string) {
			if s == f.choices[1] {
				sev.Show()
				deadline.Show()
			} else {
				sev.Hide()
				deadline.Hide()
			}
		}
		f.rows = append(f.rows, r)
		f.list.Add(container.NewVBox(
			container.NewBorder(nil, nil, nil, container.NewHBox(r.result, r.severity), widget.NewLabel(fmt.Sprintf("%s · %s", it.Domain, it.Name))),
			container.NewBorder(nil, nil, nil, deadline, r.note)))
	}
	return f
}

// results reads the form: one result per item, and a hazard per failed item
// described by its note (or, with no note, by the item not being met) with
// the deadline typed (end of that day; not before the visit) or, left
// empty, the default.
func (f *inspectionForm) results(visit time.Time) ([]domain.ItemResult, []command.Hazard, error) {
	var res []domain.ItemResult
	var hazards []command.Hazard
	for _, r := range f.rows {
		v := map[string]domain.CheckResult{f.choices[0]: domain.ResultPass, f.choices[1]: domain.ResultFail, f.choices[2]: domain.ResultNA}[r.result.Selected]
		note := strings.TrimSpace(r.note.Text)
		res = append(res, domain.ItemResult{ItemID: r.item.ID, Result: v, Note: note})
		if v != domain.ResultFail {
			continue
		}
		sev := domain.SeverityGeneral
		if r.severity.SelectedIndex() == 1 {
			sev = domain.SeverityMajor
		}
		desc := note
		if desc == "" {
			desc = r.item.Name + lang.L(" not met")
		}
		h := command.Hazard{ItemID: r.item.ID, Severity: sev, Description: desc}
		if text := strings.TrimSpace(r.deadline.Text); text != "" {
			day, err := time.ParseInLocation(dateLayout, text, visit.Location())
			if err != nil {
				return nil, nil, errors.New(lang.L("{{.Item}}: the deadline {{.Text}} is not a date like 2026-11-30.", map[string]any{"Item": r.item.Name, "Text": text}))
			}
			h.Deadline = day.Add(24*time.Hour - time.Minute) // the end of the day
			if h.Deadline.Before(visit) {
				return nil, nil, errors.New(lang.L("{{.Item}}: the deadline {{.Text}} is before the visit.", map[string]any{"Item": r.item.Name, "Text": text}))
			}
		}
		hazards = append(hazards, h)
	}
	return res, hazards, nil
}

func (dg *dialogs) recordInspection(p desk.EntityPage) {
	form := newInspectionForm(p.Applicable)
	photos := dg.newPhotoPicker()
	when := newEntry()
	when.SetText(time.Now().In(clock.Location()).Format("2006-01-02 15:04"))
	list := container.NewVScroll(form.list)
	list.SetMinSize(fyne.NewSize(820, 380))
	fd := newFormDialog(dg.br, lang.L("Record inspection")+" — "+p.Entity.Name, lang.L("Submit"), []formField{
		field(lang.L("Visited at"), when, "args.at"), field(lang.L("Photos"), photos.obj, "args.photos"),
		field(lang.L("Items"), list, "args.results", "args.hazards")})
	var at time.Time
	var res []domain.ItemResult
	var hazards []command.Hazard
	fd.check = func() error {
		var err error
		at, err = time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(when.Text), clock.Location())
		if err != nil {
			return refuse("args.at", fmt.Sprintf("%s: %q", lang.L("The visit time is not like 2026-11-22 09:30"), when.Text))
		}
		if res, hazards, err = form.results(at); err != nil {
			return refuse("args.hazards", err.Error())
		}
		return nil
	}
	fd.send = func(ctx context.Context) error {
		return dg.desk.RecordInspection(ctx, p.Entity.ID, at, res, hazards, photos.settledIDs())
	}
	fd.show(fyne.NewSize(940, 680))
}
