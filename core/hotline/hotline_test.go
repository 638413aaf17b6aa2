package hotline_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"griddesk/core/hotline"
	"griddesk/domain"
	"griddesk/domain/clock"
)

func workOrder() hotline.Row {
	at := time.Date(2026, 3, 2, 9, 15, 0, 0, clock.Location())
	cat, _ := domain.CategoryByKey("garbage")
	return hotline.Row{Case: domain.Case{ID: "c1", No: "2026-0042", Title: "小区门口垃圾堆积", Description: "三天没人清运",
		Status: domain.StatusClosed, ReportedAt: at, ClosedAt: at.Add(5 * time.Hour), Address: "临浦镇峙山路18号",
		Satisfaction: domain.BasicallySatisfied,
		Order:        &domain.WorkOrder{No: "GD20260302001", Channel: "电话", AppealType: domain.AppealComplaint, ReplyDue: at.AddDate(0, 0, 5)},
		Callers:      []domain.Caller{{Name: "张小梅", Phone: "13812345678"}}},
		Category: cat, UnitName: "城南西执法中队", Result: "已清运完毕"}
}

// The work order goes back in the platform's column order, the caller's
// name and phone masked unless the reader may see them.
func TestWorkOrderRecord(t *testing.T) {
	r := workOrder()
	cols := []string{"工单号", "联系电话", "来电人", "办理状态", "满意度", "分类代码", "受理时间", "回复时限", "办理结果"}
	got := hotline.Record(r, cols, false)
	want := []string{"GD20260302001", "13812345678", "张小梅", "已办结", "基本满意", "事件0102", "2026-03-02 09:15:00", "2026-03-07 09:15:00", "已清运完毕"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("record:\n got %q\nwant %q", got, want)
	}
	masked := hotline.Record(r, cols, true)
	if masked[1] != "138****5678" || masked[2] != "张**" {
		t.Errorf("masked: phone %q name %q", masked[1], masked[2])
	}
	if err := hotline.Check([]string{"工单号", "身份证号"}); err == nil {
		t.Error("an unknown column was accepted")
	}
}

func TestWorkOrderFiles(t *testing.T) {
	rows := []hotline.Row{workOrder()}
	var x bytes.Buffer
	if err := hotline.WriteXLSX(&x, rows, hotline.Columns, true); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all, err := f.GetRows("工单回复")
	if err != nil || len(all) != 2 {
		t.Fatalf("rows %v %v", len(all), err)
	}
	if strings.Join(all[0], ",") != strings.Join(hotline.Columns, ",") || all[1][0] != "GD20260302001" || all[1][4] != "138****5678" {
		t.Errorf("xlsx: %q / %q", all[0], all[1])
	}
	var c bytes.Buffer
	if err := hotline.WriteCSV(&c, rows, []string{"工单号", "联系电话"}, false); err != nil {
		t.Fatal(err)
	}
	if got := c.String(); got != "\ufeff工单号,联系电话\nGD20260302001,13812345678\n" {
		t.Errorf("csv %q", got)
	}
}
