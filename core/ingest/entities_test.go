package ingest_test

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"griddesk/core/ingest"
	"griddesk/domain"
	"griddesk/domain/geo"
)

// shopsMapping maps the headers of testdata/shops_utf8bom.csv, a register
// as a town office keeps it in Excel.
var shopsMapping = ingest.EntityMapping{ID: "统一编码", Name: "名称", Kind: "类型", Address: "地址",
	Lon: "经度", Lat: "纬度", Tags: "标签", Code: "三色码"}

// shops is what the register holds, with the Excel row of each line (row
// 1 is a title, row 2 the header, row 6 blank).
var shops = []struct {
	row int
	e   domain.Entity
}{
	{3, domain.Entity{ID: "S0001", Name: "老街面馆", Kind: domain.KindShop, Address: "临浦镇临浦村东藩路12号",
		Lon: 120.2412, Lat: 30.0531, Tags: []string{"餐饮", "燃气"}, Code: domain.CodeGreen}},
	{4, domain.Entity{ID: "S0002", Name: "浦阳五金店", Kind: domain.KindShop, Address: "临浦镇临浦村人民路8号, 一楼",
		Lon: 120.2448, Lat: 30.0575, Code: domain.CodeYellow}},
	{5, domain.Entity{ID: "S0003", Name: "杭州浦阳纺织有限公司", Kind: domain.KindEnterprise, Address: "临浦镇峙山村工业园 3号厂房", /* the cell's line break, a space */
		Lon: 120.2571, Lat: 30.0512, Tags: []string{"纺织", "消防重点"}}},
	{7, domain.Entity{ID: "S0004", Name: "东藩村3号出租屋", Kind: domain.KindRental, Address: "临浦镇临浦村",
		Lon: 120.2473, Lat: 30.0588, Tags: []string{"battery"}, Code: domain.CodeRed}},
	{8, domain.Entity{ID: "S0005", Name: "小剧场", Kind: domain.KindVenue, Address: "临浦镇峙山村文化街1号",
		Lon: 120.2631, Lat: 30.0531, Tags: []string{"gas"}}},
}

func checkShops(t *testing.T, b ingest.Batch[domain.Entity]) {
	t.Helper()
	if len(b.Errors) > 0 {
		t.Fatalf("errors: %v", ingest.Errors(b.Errors))
	}
	if len(b.Records) != len(shops) {
		t.Fatalf("%d entities, want %d", len(b.Records), len(shops))
	}
	for i, w := range shops {
		if !reflect.DeepEqual(b.Records[i], w.e) {
			t.Errorf("entity %d:\n got %+v\nwant %+v", i, b.Records[i], w.e)
		}
		if b.Rows[i] != w.row {
			t.Errorf("entity %s from row %d, want Excel row %d", w.e.ID, b.Rows[i], w.row)
		}
	}
}

// shopsUTF8 is the register's text without the BOM, for re-encoding.
func shopsUTF8(t testing.TB) string {
	return strings.TrimPrefix(string(readFile(t, "shops_utf8bom.csv")), "\uFEFF")
}

func TestImportEntitiesCSVUTF8BOM(t *testing.T) {
	b, err := ingest.ReadEntities(bytes.NewReader(readFile(t, "shops_utf8bom.csv")), "shops_utf8bom.csv", shopsMapping, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkShops(t, b)
}

func TestImportEntitiesCSVGBK(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(shopsUTF8(t)))
	if err != nil {
		t.Fatal(err)
	}
	for _, enc := range []string{"", "GBK", "gb18030"} {
		t.Run("encoding="+enc, func(t *testing.T) {
			b, err := ingest.ReadEntities(bytes.NewReader(gbk), "shops_gbk.csv", shopsMapping, ingest.Options{Encoding: enc})
			if err != nil {
				t.Fatal(err)
			}
			checkShops(t, b)
		})
	}
	t.Run("plain utf-8, tab separated", func(t *testing.T) {
		text := strings.NewReplacer(",", "\t").Replace(shopsUTF8(t))
		text = strings.ReplaceAll(text, "\"临浦镇临浦村人民路8号\t 一楼\"", "\"临浦镇临浦村人民路8号, 一楼\"")
		text = strings.ReplaceAll(text, "\"餐饮\t燃气\"", "\"餐饮,燃气\"")
		b, err := ingest.ReadEntities(strings.NewReader(text), "shops.txt", shopsMapping, ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkShops(t, b)
	})
}

// writeXLSX builds a workbook the way a register is kept: an instructions
// sheet first, the register on a named sheet with a title row, coordinates
// as numbers shown with two decimals.
func writeXLSX(t testing.TB, sheet string, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "说明")
	f.SetCellValue("说明", "A1", "请勿修改表头")
	if _, err := f.NewSheet(sheet); err != nil {
		t.Fatal(err)
	}
	style, err := f.NewStyle(&excelize.Style{NumFmt: 2}) // "0.00"
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if row == nil {
			continue
		}
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	f.SetColStyle(sheet, "E:F", style)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func shopRows() [][]any {
	rows := [][]any{{"临浦镇沿街商铺台账（2026年11月）"}, {"统一编码", "名称", "类型", "地址", "经度", "纬度", "标签", "三色码"}}
	for _, s := range shops {
		for len(rows) < s.row-1 {
			rows = append(rows, nil)
		}
		e := s.e
		code := map[string]string{domain.CodeGreen: "绿", domain.CodeYellow: "黄码", domain.CodeRed: "red"}[e.Code]
		kind := map[string]string{domain.KindShop: "商铺", domain.KindEnterprise: "企业", domain.KindRental: "出租屋", domain.KindVenue: "三小场所"}[e.Kind]
		rows = append(rows, []any{e.ID, e.Name, kind, e.Address, e.Lon, e.Lat, strings.Join(e.Tags, "、"), code})
	}
	return rows
}

func TestImportEntitiesXLSX(t *testing.T) {
	data := writeXLSX(t, "台账", shopRows())
	b, err := ingest.ReadEntities(bytes.NewReader(data), "台账.xlsx", shopsMapping, ingest.Options{Sheet: "台账"})
	if err != nil {
		t.Fatal(err)
	}
	checkShops(t, b)

	// The first sheet is the instructions: the header is not there.
	_, err = ingest.ReadEntities(bytes.NewReader(data), "台账.xlsx", shopsMapping, ingest.Options{})
	if !errors.Is(err, ingest.ErrMapping) {
		t.Errorf("first sheet: err = %v, want ErrMapping", err)
	}
	_, err = ingest.ReadEntities(bytes.NewReader(data), "台账.xlsx", shopsMapping, ingest.Options{Sheet: "Sheet9"})
	if !errors.Is(err, ingest.ErrMapping) || !strings.Contains(err.Error(), "台账") {
		t.Errorf("missing sheet: err = %v, want ErrMapping listing the sheets", err)
	}
}

// TestImportEntitiesCRS: GCJ-02 (Amap) and BD-09 (Baidu) coordinates are
// converted with geo, landing within a metre of the WGS-84 truth.
func TestImportEntitiesCRS(t *testing.T) {
	truth := []orb.Point{{120.2412, 30.0531}, {120.2571, 30.0512}, {121.4737, 31.2304}, {116.3975, 39.9087}}
	for _, tc := range []struct {
		crs     geo.CRS
		forward func(orb.Point) orb.Point
	}{
		{geo.GCJ02, geo.WGS84ToGCJ02},
		{geo.BD09, geo.WGS84ToBD09},
		{geo.WGS84, func(p orb.Point) orb.Point { return p }},
	} {
		t.Run(string(tc.crs), func(t *testing.T) {
			var b strings.Builder
			b.WriteString("编号,名称,经度,纬度\n")
			shifted := make([]orb.Point, len(truth))
			for i, p := range truth {
				shifted[i] = tc.forward(p)
				fmt.Fprintf(&b, "P%d,点%d,%.9f,%.9f\n", i, i, shifted[i][0], shifted[i][1])
			}
			m := ingest.EntityMapping{ID: "编号", Name: "名称", Lon: "经度", Lat: "纬度", FixedKind: "商铺", CRS: tc.crs}
			es, rowErrs, err := ingest.ImportEntities(strings.NewReader(b.String()), "crs.csv", m, ingest.Options{})
			if err != nil || len(rowErrs) > 0 {
				t.Fatal(err, rowErrs)
			}
			for i, e := range es {
				parsed := orb.Point{roundTo(shifted[i][0]), roundTo(shifted[i][1])}
				if want := geo.ToWGS84(tc.crs, parsed); e.Lon != want[0] || e.Lat != want[1] {
					t.Errorf("P%d = %v,%v, want geo.ToWGS84 = %v", i, e.Lon, e.Lat, want)
				}
				if d := geo.Haversine(orb.Point{e.Lon, e.Lat}, truth[i]); d > 1 {
					t.Errorf("P%d lands %.2f m from the truth", i, d)
				}
			}
		})
	}
}

// roundTo rounds like the %.9f the test file is written with.
func roundTo(v float64) float64 {
	var r float64
	fmt.Sscanf(fmt.Sprintf("%.9f", v), "%g", &r)
	return r
}

// TestImportEntitiesBadRows: every bad row is named by Excel row and
// column header with the reason; good rows still come back for the
// preview, and the plan refuses the whole import.
func TestImportEntitiesBadRows(t *testing.T) {
	src := "统一编码,名称,类型,地址,经度,纬度,标签,三色码\n" + // row 1
		"E1,好的,商铺,地址,120.25,30.06,,\n" + // 2: good
		"E2,坏经度,商铺,地址,abc,30.06,,\n" + // 3
		"E3,纬度越界,商铺,地址,120.25,95,,\n" + // 4
		"E4,对调了,商铺,地址,30.06,120.25,,\n" + // 5
		"E5,,商铺,地址,120.25,30.06,,\n" + // 6: no name
		"E6,类型不明,城堡,地址,120.25,30.06,,\n" + // 7
		"E1,重复,商铺,地址,120.25,30.06,,\n" + // 8
		"E8,颜色不明,商铺,地址,120.25,30.06,,紫\n" + // 9
		"E9,零点,商铺,地址,0,0,,\n" + // 10
		"E10,缺格,商铺\n" // 11: short row
	b, err := ingest.ReadEntities(strings.NewReader(src), "register.csv", shopsMapping, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		row    int
		column string
		reason string
	}{
		{3, "经度", "not a number"},
		{4, "纬度", "latitude 95 out of range"},
		{5, "纬度", "swapped"},
		{6, "名称", "empty"},
		{7, "类型", "not an entity kind"},
		{8, "统一编码", "duplicate ID, first used in row 2"},
		{9, "三色码", "not a colour code"},
		{10, "经度", "placeholder"},
		{11, "经度", "the row ends after 3 cells"},
		{11, "纬度", "the row ends after 3 cells"},
	}
	if len(b.Errors) != len(want) {
		t.Errorf("%d errors, want %d:\n%v", len(b.Errors), len(want), ingest.Errors(b.Errors))
	}
	for i, w := range want {
		if i >= len(b.Errors) {
			break
		}
		e := b.Errors[i]
		if e.File != "register.csv" || e.Row != w.row || e.Column != w.column || !strings.Contains(e.Reason, w.reason) {
			t.Errorf("error %d = %q, want row %d, column %q, %q", i, e.Error(), w.row, w.column, w.reason)
		}
	}
	if len(b.Records) != 1 || b.Records[0].ID != "E1" {
		t.Errorf("good rows = %+v", b.Records)
	}
	t.Log(ingest.Errors(b.Errors))
	d := ingest.PreviewEntities(nil, nil, b)
	if got, err := d.Plan(); got != nil || err == nil {
		t.Fatalf("Plan = %v, %v; want nothing and the errors", got, err)
	}
}

func TestImportEntitiesBadFiles(t *testing.T) {
	good := readFile(t, "shops_utf8bom.csv")
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(shopsUTF8(t)))
	xlsx := writeXLSX(t, "台账", shopRows())
	for _, tc := range []struct {
		name string
		data []byte
		file string
		m    ingest.EntityMapping
		opts ingest.Options
		want error
		word string
	}{
		{"missing columns", good, "a.csv", ingest.EntityMapping{ID: "统一编码", Name: "名字", Kind: "类型", Lon: "lng", Lat: "纬度"},
			ingest.Options{}, ingest.ErrMapping, `"名字", "lng" not found`},
		{"no id mapped", good, "a.csv", ingest.EntityMapping{Name: "名称", Kind: "类型", Lon: "经度", Lat: "纬度"},
			ingest.Options{}, ingest.ErrMapping, "ID"},
		{"no kind", good, "a.csv", ingest.EntityMapping{ID: "统一编码", Name: "名称", Lon: "经度", Lat: "纬度"},
			ingest.Options{}, ingest.ErrMapping, "FixedKind"},
		{"gbk read as utf-8", gbk, "a.csv", shopsMapping, ingest.Options{Encoding: "utf-8"}, ingest.ErrFormat, "GBK"},
		{"neither utf-8 nor gbk", append([]byte("统一编码,名称\n"), 0x81, 0x20, 0xff), "a.csv", shopsMapping,
			ingest.Options{}, ingest.ErrFormat, "neither UTF-8 nor GBK"},
		{"unknown encoding", good, "a.csv", shopsMapping, ingest.Options{Encoding: "ebcdic"}, ingest.ErrMapping, "ebcdic"},
		{"truncated xlsx", xlsx[:len(xlsx)/2], "a.xlsx", shopsMapping, ingest.Options{Sheet: "台账"}, ingest.ErrFormat, "XLSX"},
		{"old xls", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 rest"), "a.xls", shopsMapping, ingest.Options{}, ingest.ErrFormat, ".xlsx"},
		{"binary", []byte("\x00\x01\x02 GIF89a"), "a.csv", shopsMapping, ingest.Options{}, ingest.ErrFormat, "binary"},
		{"empty", nil, "a.csv", shopsMapping, ingest.Options{}, ingest.ErrFormat, "no rows"},
		{"header only", []byte("统一编码,名称,类型,地址,经度,纬度,标签,三色码\r\n"), "a.csv", shopsMapping, ingest.Options{}, ingest.ErrFormat, "no data rows"},
		{"duplicate header", []byte("统一编码,名称,名称,类型,经度,纬度\nA,b,c,商铺,120,30\n"), "a.csv",
			ingest.EntityMapping{ID: "统一编码", Name: "名称", Kind: "类型", Lon: "经度", Lat: "纬度"}, ingest.Options{}, ingest.ErrMapping, "more than once"},
		{"bad crs", good, "a.csv", ingest.EntityMapping{ID: "统一编码", Name: "名称", Kind: "类型", Lon: "经度", Lat: "纬度", CRS: "itrf"},
			ingest.Options{}, ingest.ErrMapping, "itrf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es, rowErrs, err := ingest.ImportEntities(bytes.NewReader(tc.data), tc.file, tc.m, tc.opts)
			if es != nil || rowErrs != nil || !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.word) ||
				!strings.HasPrefix(err.Error(), tc.file+": ") {
				t.Fatalf("ImportEntities = %d, %d, %v; want nothing and %v mentioning %q", len(es), len(rowErrs), err, tc.want, tc.word)
			}
			t.Log(err)
		})
	}
}

// TestImportEntitiesTruncatedCSV: a CSV cut inside a quoted cell is an
// unreadable file; one cut inside a row leaves that row short, which is
// reported. Neither imports anything.
func TestImportEntitiesTruncatedCSV(t *testing.T) {
	good := readFile(t, "shops_utf8bom.csv")
	cut := bytes.Index(good, []byte("工业园")) + len("工业园")
	_, _, err := ingest.ImportEntities(bytes.NewReader(good[:cut]), "cut.csv", shopsMapping, ingest.Options{})
	if !errors.Is(err, ingest.ErrFormat) || !strings.Contains(err.Error(), "line 5") || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("cut in a quoted cell: err = %v, want ErrFormat at line 5", err)
	}
	cut = bytes.Index(good, []byte("120.2631")) + 3
	b, err := ingest.ReadEntities(bytes.NewReader(good[:cut]), "cut.csv", shopsMapping, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Errors) != 1 || b.Errors[0].Row != 8 || b.Errors[0].Column != "纬度" {
		t.Fatalf("cut in a row: errors = %v", ingest.Errors(b.Errors))
	}
	if _, err := ingest.PreviewEntities(nil, nil, b).Plan(); err == nil {
		t.Fatal("plan accepted a truncated file")
	}
}

// TestImportEntitiesBareQuotes: a hand-edited CSV with a quote inside an
// unquoted cell (6"管) still reads.
func TestImportEntitiesBareQuotes(t *testing.T) {
	src := "编号,名称,经度,纬度\nP1,6\"水管店,120.25,30.06\n"
	es, rowErrs, err := ingest.ImportEntities(strings.NewReader(src), "q.csv",
		ingest.EntityMapping{ID: "编号", Name: "名称", Lon: "经度", Lat: "纬度", FixedKind: domain.KindShop}, ingest.Options{})
	if err != nil || len(rowErrs) > 0 || len(es) != 1 || es[0].Name != `6"水管店` {
		t.Fatalf("ImportEntities = %+v, %v, %v", es, rowErrs, err)
	}
}
