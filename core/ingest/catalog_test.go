package ingest_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"griddesk/core/ingest"
	"griddesk/domain"
	"griddesk/seed"
)

func TestCatalogRoundTrip(t *testing.T) {
	want := seed.Catalog()
	for _, format := range []string{"csv", "xlsx"} {
		var b bytes.Buffer
		var err error
		if format == "csv" {
			err = ingest.WriteCatalogCSV(&b, want)
		} else {
			err = ingest.WriteCatalogXLSX(&b, want)
		}
		if err != nil {
			t.Fatal(err)
		}
		got, errs, err := ingest.ReadCatalog(&b, "catalog."+format, ingest.Options{})
		if err != nil || len(errs) != 0 {
			t.Fatalf("%s: %v %v", format, err, errs)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d items, want %d", format, len(got), len(want))
		}
		for i := range want {
			w := want[i]
			w.UpdatedAt = got[i].UpdatedAt
			if !reflect.DeepEqual(got[i], w) {
				t.Fatalf("%s item %d:\n got %+v\nwant %+v", format, i, got[i], w)
			}
		}
	}
}

func TestCatalogBadRows(t *testing.T) {
	head := strings.Join(ingest.CatalogHeader, ",")
	file := head + "\n" +
		"F1,fire,消防安全,灭火器,商铺,,现场查看,1,90,是,消防法\n" +
		"F1,fire,消防安全,重复,商铺,,现场查看,1,90,是,\n" +
		"F2,police,治安,巡查,商铺,,现场查看,1,90,否,\n" +
		"F3,fire,消防安全,通道,城堡,,现场查看,abc,0,也许,\n"
	items, errs, err := ingest.ReadCatalog(strings.NewReader(file), "catalog.csv", ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`catalog.csv: row 3, column "编号"`, `row 4, column "部门"`, `row 5, column "用时(分钟)"`, `row 5, column "频次(天)"`,
		`row 5, column "重点领域"`, `row 5, column "适用对象"`,
	}
	all := errs.Error()
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("errors lack %q:\n%s", w, all)
		}
	}
	if len(items) != 1 || items[0].ID != "F1" || items[0].Kinds[0] != domain.KindShop || !items[0].KeyDomain {
		t.Errorf("good rows = %+v", items)
	}
	if _, _, err := ingest.ReadCatalog(strings.NewReader("编号,部门\nF1,fire\n"), "short.csv", ingest.Options{}); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("missing columns: %v", err)
	}
}
