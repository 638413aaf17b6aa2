package ingest

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"griddesk/domain"
)

// CategoryHeader is the case catalogue's file layout (权责清单, CSV or
// XLSX), as GB/T 30428.2 and CJ/T 315 lay out a city's list: every column
// is required.
var CategoryHeader = []string{"类型", "大类代码", "大类名称", "小类代码", "小类名称", "立案标准", "结案标准", "责任部门", "处置时限", "时限单位"}

// CategoryOptional are columns a catalogue may add: the keywords that
// suggest the 小类 from a caller's words, and the clock policy.
var CategoryOptional = []string{"关键词", "时限政策", "英文名称"}

var classValues = map[string]domain.CategoryClass{"部件": domain.ClassComponent, "component": domain.ClassComponent, "bj": domain.ClassComponent,
	"事件": domain.ClassEvent, "event": domain.ClassEvent, "sj": domain.ClassEvent}

var limitUnitValues = map[string]domain.LimitUnit{"工作日": domain.LimitWorkDays, "workdays": domain.LimitWorkDays, "个工作日": domain.LimitWorkDays,
	"工作时": domain.LimitWorkHours, "工作小时": domain.LimitWorkHours, "个工作时": domain.LimitWorkHours, "workhours": domain.LimitWorkHours,
	"小时": domain.LimitHours, "自然小时": domain.LimitHours, "个小时": domain.LimitHours, "hours": domain.LimitHours}

var policyValues = map[string]string{"333": "333", "135": "135", "部门": "department", "department": "department", "部门时限": "department"}

// CategoryOptions tune ReadCategories.
type CategoryOptions struct {
	Options
	// Departments maps what the 责任部门 column may say — a department's
	// key or its unit's name — to the department key.
	Departments map[string]string
	// Current is the catalogue in force: a row with the same class and 小类
	// code keeps its key (so stored cases keep resolving), and, where the
	// file leaves them out, its keywords, policy and English name.
	Current []domain.Category
}

// DepartmentNames maps every department key the units carry to itself and
// the department units' names to their keys, for
// CategoryOptions.Departments.
func DepartmentNames(units []domain.Unit) map[string]string {
	m := map[string]string{}
	for _, u := range units {
		if u.Department == "" {
			continue
		}
		m[u.Department] = u.Department
		if u.Kind == domain.UnitDepartment {
			m[u.Name] = u.Department
		}
	}
	return m
}

// ReadCategories reads a case catalogue file. Every bad row is named with
// file, row, column and why; with any bad row the returned catalogue must
// not be used (an import lands whole or not at all).
func ReadCategories(r io.Reader, name string, opts CategoryOptions) ([]domain.Category, Errors, error) {
	g, err := readTable(r, name, opts.Options)
	if err != nil {
		return nil, nil, err
	}
	head, cols, err := locateHeader(g.rows, CategoryHeader)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	for j, h := range g.rows[head] {
		for _, o := range CategoryOptional {
			if normHeader(h) == normHeader(o) {
				cols[o] = j
			}
		}
	}
	current := map[string]domain.Category{}
	for _, c := range opts.Current {
		current[string(c.Class)+c.Code] = c
	}
	depts := newValueMap(opts.Departments, nil)
	var out []domain.Category
	var errs Errors
	seen := map[string]int{}
	for i := head + 1; i < len(g.rows); i++ {
		row := g.rows[i]
		if blank(row) {
			continue
		}
		cell := func(h string) string {
			if j, ok := cols[h]; ok && j < len(row) {
				return strings.TrimSpace(row[j])
			}
			return ""
		}
		n := len(errs)
		bad := func(col, val, why string) {
			errs = append(errs, RowError{File: name, Row: i + 1, Column: col, Value: shorten(val), Reason: why})
		}
		var c domain.Category
		if v, ok := classValues[strings.ToLower(narrow(cell("类型")))]; ok {
			c.Class = v
		} else {
			bad("类型", cell("类型"), "not 部件 or 事件")
		}
		c.MajorCode, c.MajorName = narrow(cell("大类代码")), cell("大类名称")
		if len(c.MajorCode) == 1 {
			c.MajorCode = "0" + c.MajorCode // Excel drops the leading zero of 01
		}
		majorOK := true
		if _, err := strconv.Atoi(c.MajorCode); err != nil || len(c.MajorCode) != 2 {
			bad("大类代码", cell("大类代码"), "not a two-digit code")
			majorOK = false
		}
		if c.MajorName == "" {
			bad("大类名称", "", "missing")
		}
		c.Code, c.Name = narrow(cell("小类代码")), cell("小类名称")
		if len(c.Code) == 3 {
			c.Code = "0" + c.Code
		}
		if _, err := strconv.Atoi(c.Code); err != nil || len(c.Code) != 4 {
			bad("小类代码", cell("小类代码"), "not a four-digit code")
		} else if majorOK && !strings.HasPrefix(c.Code, c.MajorCode) {
			bad("小类代码", c.Code, "does not start with its 大类代码 "+c.MajorCode)
		} else if c.Class != "" {
			k := string(c.Class) + c.Code
			if first, dup := seen[k]; dup {
				bad("小类代码", c.Code, fmt.Sprintf("%s %s is also in row %d", c.Class.Label(), c.Code, first))
			} else {
				seen[k] = i + 1
			}
		}
		if c.Name == "" {
			bad("小类名称", "", "missing")
		}
		c.FileStandard, c.CloseStandard = cell("立案标准"), cell("结案标准")
		if c.FileStandard == "" {
			bad("立案标准", "", "missing: what makes it a case")
		}
		if c.CloseStandard == "" {
			bad("结案标准", "", "missing: what closes it")
		}
		if d, ok := depts.get(cell("责任部门")); ok {
			c.Department = d
		} else if cell("责任部门") == "" {
			bad("责任部门", "", "missing")
		} else {
			bad("责任部门", cell("责任部门"), "no department of that name or key ("+depts.allowed()+")")
		}
		c.Limit = readLimit(cell("处置时限"), cell("时限单位"), bad)
		cur, known := current[string(c.Class)+c.Code]
		c.Key = domain.CategoryKey(c.Class, c.Code)
		if known {
			c.Key, c.NameEn, c.Keywords, c.Policy, c.UrgentPolicy = cur.Key, cur.NameEn, cur.Keywords, cur.Policy, cur.UrgentPolicy
		}
		if en := cell("英文名称"); en != "" {
			c.NameEn = en
		}
		if kw := cell("关键词"); kw != "" {
			c.Keywords = splitTags(kw)
		} else if c.Keywords == nil && c.Name != "" {
			c.Keywords = []string{c.Name}
		}
		if p := cell("时限政策"); p != "" {
			if v, ok := policyValues[strings.ToLower(p)]; ok {
				c.Policy = v
			} else {
				bad("时限政策", p, "not 333, 135 or 部门")
			}
		} else if c.Policy == "" {
			c.Policy = "department"
		}
		c.Extension = c.MajorCode >= "11" || strings.HasSuffix(c.Code, "99")
		if len(errs) == n {
			if field, err := c.CheckEntry(); err != nil {
				bad(categoryColumn[field], "", err.Error())
			}
		}
		if len(errs) == n {
			out = append(out, c)
		}
	}
	if len(out) == 0 && len(errs) == 0 {
		return nil, nil, fmt.Errorf("%s: %w: no categories below the header", name, ErrFormat)
	}
	return out, errs, nil
}

// categoryColumn names the file column of a Category field.
var categoryColumn = map[string]string{"key": "小类代码", "name": "小类名称", "class": "类型", "major_code": "大类代码", "code": "小类代码",
	"department": "责任部门", "policy": "时限政策", "limit": "处置时限", "name_en": "英文名称", "major_name": "大类名称",
	"file_standard": "立案标准", "close_standard": "结案标准", "keywords": "关键词"}

// readLimit reads a time limit: a number in 处置时限 and its unit in
// 时限单位, or both in 处置时限 ("4工作时", "5个工作日").
func readLimit(n, unit string, bad func(col, val, why string)) domain.TimeLimit {
	n = strings.TrimSpace(narrow(n))
	num := strings.TrimRightFunc(n, func(r rune) bool { return !(r >= '0' && r <= '9' || r == '.') })
	if unit == "" {
		unit = strings.TrimSpace(strings.TrimPrefix(n, num))
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v <= 0 || v > 10000 {
		bad("处置时限", n, "not a number above 0 (at most 10000)")
		return domain.TimeLimit{}
	}
	u, ok := limitUnitValues[strings.ToLower(strings.TrimSpace(unit))]
	if !ok {
		bad("时限单位", unit, "not 工作日, 工作时 or 小时")
		return domain.TimeLimit{}
	}
	return domain.TimeLimit{N: v, Unit: u}
}

// CategoryDiff is what importing a catalogue changes.
type CategoryDiff struct {
	Added     []domain.Category // 小类 new to the catalogue
	Changed   []domain.Category // 小类 whose standards, department or limit changed
	Unchanged int
	// Retired are entries in force the file lacks: kept, not offered for
	// new cases (stored cases keep resolving).
	Retired []domain.Category
}

// PreviewCategories compares an imported catalogue with the one in force.
func PreviewCategories(current, imported []domain.Category) CategoryDiff {
	var d CategoryDiff
	cur := map[string]domain.Category{}
	for _, c := range current {
		if !c.Retired {
			cur[c.Key] = c
		}
	}
	for _, c := range imported {
		old, ok := cur[c.Key]
		delete(cur, c.Key)
		switch {
		case !ok:
			d.Added = append(d.Added, c)
		case old.Name != c.Name || old.MajorName != c.MajorName || old.FileStandard != c.FileStandard || old.CloseStandard != c.CloseStandard ||
			old.Department != c.Department || old.Limit != c.Limit || old.Policy != c.Policy || !slices.Equal(old.Keywords, c.Keywords):
			d.Changed = append(d.Changed, c)
		default:
			d.Unchanged++
		}
	}
	for _, c := range current {
		if _, gone := cur[c.Key]; gone {
			d.Retired = append(d.Retired, c)
		}
	}
	return d
}

func categoryRecord(c domain.Category) []string {
	return []string{c.Class.Label(), c.MajorCode, c.MajorName, c.Code, c.Name, c.FileStandard, c.CloseStandard, c.Department,
		strconv.FormatFloat(c.Limit.N, 'f', -1, 64), c.Limit.Unit.Label(), strings.Join(c.Keywords, "、"), policyLabel(c.Policy), c.NameEn}
}

func policyLabel(p string) string {
	if p == "department" {
		return "部门"
	}
	return p
}

// WriteCategoriesCSV writes a catalogue as ReadCategories reads it (UTF-8
// with a BOM, for Excel).
func WriteCategoriesCSV(w io.Writer, cats []domain.Category) error {
	return writeCSV(w, append(slices.Clone(CategoryHeader), CategoryOptional...), categoryRecords(cats))
}

// WriteCategoriesXLSX writes a catalogue as an Excel workbook.
func WriteCategoriesXLSX(w io.Writer, cats []domain.Category) error {
	return writeXLSX(w, "权责清单", append(slices.Clone(CategoryHeader), CategoryOptional...), categoryRecords(cats))
}

func categoryRecords(cats []domain.Category) [][]string {
	out := make([][]string, len(cats))
	for i, c := range cats {
		out[i] = categoryRecord(c)
	}
	return out
}
