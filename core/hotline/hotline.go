// Package hotline writes the 12345 work orders a command centre worked back
// to the hotline platform: one row per work order, in the platform's column
// order (setting rule:hotline), as XLSX or CSV. The caller's name and phone
// go out whole only for a reader who may see them (duty officers, admins);
// every other export masks them.
package hotline

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"griddesk/domain"
	"griddesk/domain/clock"
)

// Columns are the columns the export knows, in the default order (the
// order most 12345 platforms' 工单回复 import takes).
var Columns = []string{"工单号", "渠道", "诉求类型", "来电人", "联系电话", "事发地址", "诉求标题", "诉求内容", "问题分类", "分类代码",
	"承办单位", "受理时间", "回复时限", "办理状态", "办结时间", "办理结果", "满意度", "并案主件", "案件编号"}

// Row is one work order with what the export needs besides the case.
type Row struct {
	Case         domain.Case
	Category     domain.Category
	UnitName     string
	Result       string // the closing (else the last handling) note
	MergedIntoNo string // the number of the case it was merged into
}

var statusNames = map[domain.CaseStatus]string{
	domain.StatusReported: "待受理", domain.StatusRegistered: "已受理", domain.StatusRejected: "不予受理", domain.StatusDispatched: "已派遣",
	domain.StatusAccepted: "办理中", domain.StatusOnSite: "办理中", domain.StatusHandled: "待核查", domain.StatusDeferred: "挂账",
	domain.StatusClosed: "已办结", domain.StatusEvaluated: "已办结", domain.StatusMerged: "已并案",
}

var satisfactionNames = map[domain.Satisfaction]string{domain.Satisfied: "满意", domain.BasicallySatisfied: "基本满意", domain.Dissatisfied: "不满意"}

// Check refuses a column order naming a column the export does not know.
func Check(columns []string) error {
	for _, c := range columns {
		if !slices.Contains(Columns, c) {
			return fmt.Errorf("hotline: column %q is not one of %s", c, strings.Join(Columns, "、"))
		}
	}
	return nil
}

// Record is a row's cells in the given column order. mask hides the
// caller's name and phone.
func Record(r Row, columns []string, mask bool) []string {
	c := r.Case
	o := domain.WorkOrder{}
	if c.Order != nil {
		o = *c.Order
	}
	callers := c.Callers
	if mask {
		callers = domain.MaskCallers(callers)
	}
	var names, phones []string
	for _, cl := range callers {
		names, phones = append(names, cl.Name), append(phones, cl.Phone)
	}
	at := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(clock.Location()).Format("2006-01-02 15:04:05")
	}
	out := make([]string, len(columns))
	for i, col := range columns {
		var v string
		switch col {
		case "工单号":
			v = o.No
		case "渠道":
			v = o.Channel
		case "诉求类型":
			v = o.AppealType.Label()
		case "来电人":
			v = strings.Join(names, "、")
		case "联系电话":
			v = strings.Join(phones, "、")
		case "事发地址":
			v = c.Address
		case "诉求标题":
			v = c.Title
		case "诉求内容":
			v = c.Description
		case "问题分类":
			v = r.Category.Name
		case "分类代码":
			if r.Category.Code != "" {
				v = r.Category.Class.Label() + r.Category.Code
			}
		case "承办单位":
			v = r.UnitName
		case "受理时间":
			v = at(c.ReportedAt)
		case "回复时限":
			v = at(o.ReplyDue)
		case "办理状态":
			v = statusNames[c.Status]
		case "办结时间":
			v = at(c.ClosedAt)
		case "办理结果":
			v = r.Result
		case "满意度":
			v = satisfactionNames[c.Satisfaction]
		case "并案主件":
			v = r.MergedIntoNo
		case "案件编号":
			v = c.No
		}
		out[i] = v
	}
	return out
}

// WriteCSV writes the rows as CSV, UTF-8 with a byte-order mark (Excel
// and the platforms' importers read it).
func WriteCSV(w io.Writer, rows []Row, columns []string, mask bool) error {
	if err := Check(columns); err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return fmt.Errorf("hotline: csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.Write(columns)
	for _, r := range rows {
		cw.Write(Record(r, columns, mask))
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("hotline: csv: %w", err)
	}
	return nil
}

// WriteXLSX writes the rows as a workbook with one sheet, 工单回复, every
// cell text (a work order number must not turn into a number).
func WriteXLSX(w io.Writer, rows []Row, columns []string, mask bool) error {
	if err := Check(columns); err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "工单回复"
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return fmt.Errorf("hotline: xlsx: %w", err)
	}
	put := func(y int, rec []string) error {
		for x, v := range rec {
			cell, _ := excelize.CoordinatesToCellName(x+1, y)
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				return err
			}
		}
		return nil
	}
	if err := put(1, columns); err != nil {
		return fmt.Errorf("hotline: xlsx: %w", err)
	}
	for i, r := range rows {
		if err := put(i+2, Record(r, columns, mask)); err != nil {
			return fmt.Errorf("hotline: xlsx: %w", err)
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("hotline: xlsx: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("hotline: xlsx: %w", err)
	}
	return nil
}
