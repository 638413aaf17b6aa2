package desk

import (
	"context"
	"fmt"
	"io"
	"time"

	"griddesk/core/hotline"
	"griddesk/domain"
	"griddesk/domain/workflow"
	"griddesk/store"
)

// WorkOrders are the 12345 work orders reported in [from, to), with what
// the hotline export needs: category, unit, the result and the case a
// repeat call was merged into.
func (d *Desk) WorkOrders(ctx context.Context, from, to time.Time) ([]hotline.Row, error) {
	cases, err := d.cache.CasesReported(ctx, store.Scope{All: true}, from, to)
	if err != nil {
		return nil, fmt.Errorf("desk: work orders: %w", err)
	}
	names, err := d.cache.Names(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: work orders: %w", err)
	}
	cats := d.Categories()
	var rows []hotline.Row
	numbers := map[string]string{}
	for _, c := range cases {
		numbers[c.ID] = c.No
	}
	for _, c := range cases {
		if c.Order == nil {
			continue
		}
		r := hotline.Row{Case: c, UnitName: names.Units[c.UnitID]}
		r.Category, _ = domain.CategoryIn(cats, c.Category)
		if c.MergedInto != "" {
			r.MergedIntoNo = numbers[c.MergedInto]
			if r.MergedIntoNo == "" {
				if into, err := d.cache.Case(ctx, c.MergedInto); err == nil {
					r.MergedIntoNo = into.No
				}
			}
		}
		tl, err := d.cache.Timeline(ctx, c.ID)
		if err != nil {
			return nil, fmt.Errorf("desk: work orders: %w", err)
		}
		for _, a := range tl {
			if (a.Action == workflow.Close || a.Action == workflow.Handle || a.Action == workflow.MergedClosed) && a.Note != "" {
				r.Result = a.Note
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// ExportWorkOrders writes the work orders reported in [from, to) back to
// the hotline's format ("xlsx" or "csv"), in the column order of the
// setting rule:hotline (hotline.Columns by default). Callers' names and
// phones go out whole only from a duty officer's or an admin's desk.
func (d *Desk) ExportWorkOrders(ctx context.Context, w io.Writer, format string, from, to time.Time) (int, error) {
	rows, err := d.WorkOrders(ctx, from, to)
	if err != nil {
		return 0, err
	}
	cols := d.Rules().Hotline.Columns
	if len(cols) == 0 {
		cols = hotline.Columns
	}
	mask := !d.User().Role.SeesCallers()
	if format == "csv" {
		return len(rows), hotline.WriteCSV(w, rows, cols, mask)
	}
	return len(rows), hotline.WriteXLSX(w, rows, cols, mask)
}
