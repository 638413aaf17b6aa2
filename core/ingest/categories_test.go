package ingest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"griddesk/core/ingest"
	"griddesk/domain"
)

// townDepartments are the demo town's department units (seed/catalog.go).
func townDepartments(t *testing.T) map[string]string {
	t.Helper()
	var units []domain.Unit
	for key, name := range map[string]string{"fire": "消防救援站", "gas": "燃气安全办公室", "market": "市场监督管理所", "law": "综合行政执法队",
		"eco": "生态环境所", "health": "卫生健康办", "safety": "应急管理办", "build": "住房和城乡建设办"} {
		units = append(units, domain.Unit{ID: "D-" + key, Name: name, Kind: domain.UnitDepartment, Department: key})
	}
	units = append(units, domain.Unit{ID: "V01", Name: "浦南村网格工作站", Kind: domain.UnitStation, Department: "station"})
	return ingest.DepartmentNames(units)
}

// The built-in catalogue written out reads back the same, in both formats:
// the keys of the town's own categories ("road", "garbage") kept by class
// and code.
func TestCategoriesRoundTrip(t *testing.T) {
	want := domain.Categories()
	opts := ingest.CategoryOptions{Departments: townDepartments(t), Current: want}
	for _, format := range []string{"csv", "xlsx"} {
		var b bytes.Buffer
		var err error
		if format == "csv" {
			err = ingest.WriteCategoriesCSV(&b, want)
		} else {
			err = ingest.WriteCategoriesXLSX(&b, want)
		}
		if err != nil {
			t.Fatal(err)
		}
		got, errs, err := ingest.ReadCategories(&b, "权责清单."+format, opts)
		if err != nil || len(errs) != 0 {
			t.Fatalf("%s: %v %v", format, err, errs)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d categories, want %d", format, len(got), len(want))
		}
		for i := range want {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("%s entry %d:\n got %+v\nwant %+v", format, i, got[i], want[i])
			}
		}
		if d := ingest.PreviewCategories(want, got); len(d.Added)+len(d.Changed)+len(d.Retired) != 0 || d.Unchanged != len(want) {
			t.Fatalf("%s: preview of the same catalogue: %+v", format, d)
		}
	}
}

const catalogueHead = "类型,大类代码,大类名称,小类代码,小类名称,立案标准,结案标准,责任部门,处置时限,时限单位\n"

// A town's catalogue: the legacy key of a 小类 the built-in one maps is
// kept; a department may be named by its unit; a limit may carry its unit;
// Excel's dropped leading zeros are put back.
func TestCategoriesTownFile(t *testing.T) {
	file := catalogueHead +
		"事件,1,市容环境,102,暴露垃圾,公共场所成堆垃圾,清理干净,综合行政执法队,4,工作时\n" +
		"部件,01,公用设施,0101,上水井盖,井盖缺失破损,补齐更换,build,2工作日,\n" +
		"事件,17,社会治安,1701,治安隐患,可能引发治安案件的隐患,隐患消除,law,24,小时\n"
	got, errs, err := ingest.ReadCategories(strings.NewReader(file), "town.csv",
		ingest.CategoryOptions{Departments: townDepartments(t), Current: domain.Categories()})
	if err != nil || len(errs) > 0 {
		t.Fatal(err, errs)
	}
	want := []struct {
		key, code, dept string
		limit           domain.TimeLimit
		ext             bool
	}{
		{"garbage", "0102", "law", domain.TimeLimit{N: 4, Unit: domain.LimitWorkHours}, false},
		{"BJ0101", "0101", "build", domain.TimeLimit{N: 2, Unit: domain.LimitWorkDays}, false},
		{"SJ1701", "1701", "law", domain.TimeLimit{N: 24, Unit: domain.LimitHours}, true},
	}
	for i, w := range want {
		g := got[i]
		if g.Key != w.key || g.Code != w.code || g.Department != w.dept || g.Limit != w.limit || g.Extension != w.ext {
			t.Errorf("row %d: %s %s %s %v ext=%v; want %+v", i+2, g.Key, g.Code, g.Department, g.Limit, g.Extension, w)
		}
	}
	if got[0].Name != "暴露垃圾" || got[0].Policy != "333" || !reflect.DeepEqual(got[0].Keywords, []string{"垃圾", "清运", "堆放", "异味"}) {
		t.Errorf("garbage kept its keywords and policy? %+v", got[0])
	}
	d := ingest.PreviewCategories(domain.Categories(), got)
	if len(d.Added) != 1 || len(d.Changed) != 2 || len(d.Retired) != len(domain.Categories())-2 {
		t.Errorf("preview: %d added, %d changed, %d retired", len(d.Added), len(d.Changed), len(d.Retired))
	}
	// imported, the catalogue still resolves every built-in key (retired)
	raw, _ := json.Marshal(got)
	cats := domain.CategoriesWith([]domain.Setting{{ID: domain.CatalogueSetting, Value: raw}})
	road, ok := domain.CategoryIn(cats, "road")
	if !ok || !road.Retired {
		t.Errorf("road after the import: %+v, %v; want it kept, retired", road, ok)
	}
	if g, _ := domain.CategoryIn(cats, "garbage"); g.Retired || g.Name != "暴露垃圾" {
		t.Errorf("garbage after the import: %+v", g)
	}
}

// Every malformed row is named with file, row and column, and nothing of
// the file may land.
func TestCategoriesBadRows(t *testing.T) {
	cases := []struct {
		row         string
		column, why string
	}{
		{"物件,01,公用设施,0101,上水井盖,a,b,build,4,工作时", "类型", "not 部件 or 事件"},
		{"部件,A1,公用设施,0101,上水井盖,a,b,build,4,工作时", "大类代码", "two-digit"},
		{"部件,01,公用设施,0201,上水井盖,a,b,build,4,工作时", "小类代码", "does not start with"},
		{"部件,01,公用设施,010,上水井盖,a,b,build,4,工作时", "小类代码", "0010"},
		{"部件,01,公用设施,0101,,a,b,build,4,工作时", "小类名称", "missing"},
		{"部件,01,公用设施,0101,上水井盖,,b,build,4,工作时", "立案标准", "missing"},
		{"部件,01,公用设施,0101,上水井盖,a,,build,4,工作时", "结案标准", "missing"},
		{"部件,01,公用设施,0101,上水井盖,a,b,水务局,4,工作时", "责任部门", "no department"},
		{"部件,01,公用设施,0101,上水井盖,a,b,build,四,工作时", "处置时限", "not a number"},
		{"部件,01,公用设施,0101,上水井盖,a,b,build,0,工作时", "处置时限", "above 0"},
		{"部件,01,公用设施,0101,上水井盖,a,b,build,4,天", "时限单位", "not 工作日"},
	}
	good := "事件,01,市容环境,0102,暴露垃圾,a,b,law,4,工作时\n"
	for _, c := range cases {
		file := catalogueHead + good + c.row + "\n"
		got, errs, err := ingest.ReadCategories(strings.NewReader(file), "bad.csv",
			ingest.CategoryOptions{Departments: townDepartments(t)})
		if err != nil {
			t.Fatalf("%s: %v", c.row, err)
		}
		if len(errs) != 1 {
			t.Fatalf("%s: %d errors %v, want 1", c.row, len(errs), errs)
		}
		e := errs[0]
		msg := e.Error()
		if e.File != "bad.csv" || e.Row != 3 || e.Column != c.column || !strings.Contains(msg, c.why) {
			t.Errorf("%s: %q; want bad.csv row 3 column %s (%s)", c.row, msg, c.column, c.why)
		}
		if len(got) != 1 {
			t.Errorf("%s: %d good rows read", c.row, len(got))
		}
	}
	// a duplicated 小类 names the row it repeats
	file := catalogueHead + good + good
	_, errs, _ := ingest.ReadCategories(strings.NewReader(file), "dup.csv", ingest.CategoryOptions{Departments: townDepartments(t)})
	if len(errs) != 1 || errs[0].Row != 3 || !strings.Contains(errs[0].Error(), "row 2") {
		t.Errorf("duplicate: %v", errs)
	}
	// a missing column is the whole file's fault
	_, _, err := ingest.ReadCategories(strings.NewReader("类型,大类代码\n部件,01\n"), "short.csv", ingest.CategoryOptions{})
	if !errors.Is(err, ingest.ErrMapping) || !strings.Contains(err.Error(), "小类代码") {
		t.Errorf("missing columns: %v", err)
	}
}
