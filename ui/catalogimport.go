package ui

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/core/ingest"
	"griddesk/desk"
	"griddesk/domain"
)

// importCategories: choose the town's case catalogue 权责清单 (XLSX/CSV),
// preview what it adds, changes and retires, then send it whole. Any bad
// row, named with file, row and column, stops it: nothing lands.
func (dg *dialogs) importCategories() {
	dg.pickFile([]string{".csv", ".xlsx"}, func(path string) {
		load(dg.br, func(ctx context.Context) (desk.CategoryPreview, error) {
			f, err := os.Open(path)
			if err != nil {
				return desk.CategoryPreview{}, err
			}
			defer f.Close()
			return dg.desk.PreviewCategories(ctx, f, path, ingest.Options{})
		}, func(p desk.CategoryPreview) {
			summary := lang.L("{{.N}} categories: {{.A}} new, {{.C}} changed, {{.U}} unchanged, {{.R}} retired (kept for the cases that use them)",
				map[string]any{"N": len(p.Categories), "A": len(p.Diff.Added), "C": len(p.Diff.Changed), "U": p.Diff.Unchanged, "R": len(p.Diff.Retired)})
			dg.listPreview(summary, p.Errors, func(ctx context.Context) (int, error) {
				return len(p.Categories), dg.desk.ImportCategories(ctx, p)
			})
		})
	})
}

// exportCategories writes the catalogue in force as the import reads it.
func (dg *dialogs) exportCategories() {
	dg.saveTo("权责清单.xlsx", func(ctx context.Context, w io.Writer) error {
		var cats []domain.Category
		for _, c := range dg.desk.Categories() {
			if !c.Retired {
				cats = append(cats, c)
			}
		}
		if f, ok := w.(interface{ URI() fyne.URI }); ok && strings.EqualFold(f.URI().Extension(), ".csv") {
			return ingest.WriteCategoriesCSV(w, cats)
		}
		return ingest.WriteCategoriesXLSX(w, cats)
	})
}

// categoriesDialog lists the case catalogue: class, codes, name,
// department, time limit, and what makes and closes a case.
func (dg *dialogs) categoriesDialog() {
	var cats []domain.Category
	for _, c := range dg.desk.Categories() {
		if !c.Retired {
			cats = append(cats, c)
		}
	}
	list := widget.NewList(func() int { return len(cats) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Wrapping = fyne.TextWrapWord
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := cats[i]
			o.(*widget.Label).SetText(fmt.Sprintf("%s · %s %s · %s · %s\n%s: %s\n%s: %s", catalogueName(c), c.MajorCode, c.MajorName,
				lang.L(departmentLabel(c.Department)), limitText(c.Limit), lang.L("To file"), c.FileStandard, lang.L("To close"), c.CloseStandard))
		})
	d := dialog.NewCustom(lang.L("Case catalogue"), lang.L("Close"), container.NewBorder(
		widget.NewLabel(lang.L("GB/T 30428.2 部件 and 事件, with the town's extensions (大类 from 11)")), nil, nil, nil, list), dg.win)
	d.Resize(fyne.NewSize(820, 600))
	d.Show()
	// rows of several lines: the list sizes them once shown
	for i := range cats {
		list.SetItemHeight(i, 96)
	}
}

// limitText is a time limit in the user's language: "4 working hours".
func limitText(l domain.TimeLimit) string {
	if l.IsZero() {
		return lang.L("no time limit")
	}
	switch l.Unit {
	case domain.LimitWorkDays:
		return lang.L("{{.N}} working days", map[string]any{"N": l.N})
	case domain.LimitWorkHours:
		return lang.L("{{.N}} working hours", map[string]any{"N": l.N})
	}
	return lang.L("{{.N}} hours", map[string]any{"N": l.N})
}
