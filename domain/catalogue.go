package domain

import (
	"fmt"
	"regexp"
	"strings"
)

// The national case catalogue. GB/T 30428.2 (数字化城市管理信息系统 第2部分：
// 管理部件和事件) sorts what a city-management case is about into 部件
// (components: manhole covers, street furniture, greenery …) and 事件
// (events: garbage, illegal building, street order …), each in 大类 with
// two-digit codes and 小类 with two more; CJ/T 315 adds for each 小类 its
// 立案标准 (what makes it a case), 结案标准 (what closes it), the
// responsible department and a time limit. A town's own list of those
// (权责清单) is imported from XLSX/CSV (core/ingest.ReadCategories) and
// replaces the built-in one (setting catalogue:cases); the built-in entries
// whose keys stored cases use stay resolvable (CategoriesWith).
//
// The built-in catalogue below carries the standard's 大类 and the 小类 its
// published city lists commonly use; the town extends it with 大类 from 11
// for the matters of grid governance the standard does not cover.

// CategoryClass is 部件 or 事件.
type CategoryClass string

// Classes.
const (
	ClassComponent CategoryClass = "component" // 部件
	ClassEvent     CategoryClass = "event"     // 事件
)

// Valid reports whether c is a known class.
func (c CategoryClass) Valid() bool { return c == ClassComponent || c == ClassEvent }

// Prefix is the class's letters in catalogue keys: BJ (部件) or SJ (事件).
func (c CategoryClass) Prefix() string {
	if c == ClassComponent {
		return "BJ"
	}
	return "SJ"
}

// Label is the class's Chinese name.
func (c CategoryClass) Label() string {
	if c == ClassComponent {
		return "部件"
	}
	return "事件"
}

// CategoryKey is the key of a catalogue entry without a legacy key: its
// class's letters and its 小类 code, "SJ0103".
func CategoryKey(class CategoryClass, code string) string { return class.Prefix() + code }

// LimitUnit is what a catalogue time limit counts.
type LimitUnit string

// Limit units, as the catalogues write them.
const (
	LimitWorkDays  LimitUnit = "workdays"  // 工作日
	LimitWorkHours LimitUnit = "workhours" // 工作时: inside the working hours of working days
	LimitHours     LimitUnit = "hours"     // 小时: calendar hours, round the clock
)

// Valid reports whether u is a known unit.
func (u LimitUnit) Valid() bool { return u == LimitWorkDays || u == LimitWorkHours || u == LimitHours }

// Label is the unit's Chinese name.
func (u LimitUnit) Label() string {
	switch u {
	case LimitWorkDays:
		return "工作日"
	case LimitWorkHours:
		return "工作时"
	case LimitHours:
		return "小时"
	}
	return string(u)
}

// TimeLimit is a catalogue entry's 处置时限: N units.
type TimeLimit struct {
	N    float64   `json:"n"`
	Unit LimitUnit `json:"unit"`
}

// IsZero reports whether there is no limit.
func (l TimeLimit) IsZero() bool { return l.N <= 0 }

// String writes "4工作时", or "" for no limit.
func (l TimeLimit) String() string {
	if l.IsZero() {
		return ""
	}
	return fmt.Sprintf("%g%s", l.N, l.Unit.Label())
}

func workHours(n float64) TimeLimit     { return TimeLimit{n, LimitWorkHours} }
func workDays(n float64) TimeLimit      { return TimeLimit{n, LimitWorkDays} }
func calendarHours(n float64) TimeLimit { return TimeLimit{n, LimitHours} }

// in fills in a category's catalogue entry.
func (c Category) in(class CategoryClass, major, majorName, code string, limit TimeLimit, file, close string, ext bool) Category {
	c.Class, c.MajorCode, c.MajorName, c.Code, c.Limit, c.FileStandard, c.CloseStandard, c.Extension =
		class, major, majorName, code, limit, file, close, ext
	return c
}

var (
	majorCodeRE = regexp.MustCompile(`^[0-9]{2}$`)
	minorCodeRE = regexp.MustCompile(`^[0-9]{4}$`)
)

// CheckEntry checks a catalogue entry's own fields: a key, a name, a
// class, codes of two and four digits (the 小类 code starting with its
// 大类's), a department, a policy name, a limit with a known unit. It
// names the first field at fault.
func (c Category) CheckEntry() (field string, err error) {
	switch {
	case CheckID(c.Key) != nil:
		return "key", fmt.Errorf("key %q: %v", c.Key, CheckID(c.Key))
	case strings.TrimSpace(c.Name) == "":
		return "name", fmt.Errorf("a name is required")
	case !c.Class.Valid():
		return "class", fmt.Errorf("class %q is not 部件 (component) or 事件 (event)", c.Class)
	case !majorCodeRE.MatchString(c.MajorCode):
		return "major_code", fmt.Errorf("大类代码 %q is not two digits", c.MajorCode)
	case !minorCodeRE.MatchString(c.Code) || !strings.HasPrefix(c.Code, c.MajorCode):
		return "code", fmt.Errorf("小类代码 %q is not four digits starting with its 大类代码 %s", c.Code, c.MajorCode)
	case strings.TrimSpace(c.Department) == "":
		return "department", fmt.Errorf("a responsible department is required")
	case c.Policy != "333" && c.Policy != "135" && c.Policy != "department":
		return "policy", fmt.Errorf("clock policy %q is not 333, 135 or department", c.Policy)
	case c.Limit.N < 0 || c.Limit.N > 10000 || (!c.Limit.IsZero() && !c.Limit.Unit.Valid()):
		return "limit", fmt.Errorf("time limit %v %q is not a number of 工作日, 工作时 or 小时", c.Limit.N, c.Limit.Unit)
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{{"name", c.Name, MaxTitle}, {"name_en", c.NameEn, MaxTitle}, {"major_name", c.MajorName, MaxName}, {"department", c.Department, MaxShort},
		{"file_standard", c.FileStandard, MaxNote}, {"close_standard", c.CloseStandard, MaxNote}} {
		if err := CheckText(f.v, f.max); err != nil {
			return f.name, fmt.Errorf("%s %v", f.name, err)
		}
	}
	if len(c.Keywords) > 200 {
		return "keywords", fmt.Errorf("%d keywords, at most 200", len(c.Keywords))
	}
	for _, k := range c.Keywords {
		if strings.TrimSpace(k) == "" || CheckText(k, MaxShort) != nil {
			return "keywords", fmt.Errorf("keyword %q is empty or not a short text", k)
		}
	}
	return "", nil
}

// catalogue is the rest of the demo town's catalogue, by class and code.
func catalogue() []Category {
	type e struct {
		class                    CategoryClass
		major, majorName         string
		code, name, en, dep, pol string
		limit                    TimeLimit
		file, close              string
		ext                      bool
		keywords                 []string
	}
	list := []e{
		// 部件 01 公用设施
		{ClassComponent, "01", "公用设施", "0101", "上水井盖", "Water-main manhole cover", "build", "department", workHours(4),
			"井盖缺失、破损、移位或高差明显，影响通行安全", "井盖补齐或更换，安装平稳", false, []string{"上水井盖", "自来水井盖"}},
		{ClassComponent, "01", "公用设施", "0102", "污水井盖", "Sewer manhole cover", "build", "department", workHours(4),
			"井盖缺失、破损、移位或高差明显，影响通行安全", "井盖补齐或更换，安装平稳", false, []string{"污水井盖", "窨井盖"}},
		{ClassComponent, "01", "公用设施", "0103", "雨水井盖", "Storm-drain manhole cover", "build", "department", workHours(4),
			"井盖缺失、破损、移位或高差明显，影响通行安全", "井盖补齐或更换，安装平稳", false, []string{"雨水井盖"}},
		{ClassComponent, "01", "公用设施", "0104", "雨水篦子", "Storm-drain grate", "build", "department", workHours(8),
			"雨水篦子缺失、破损或被堵塞", "篦子补齐，排水畅通", false, []string{"雨水篦子", "下水口"}},
		{ClassComponent, "01", "公用设施", "0111", "燃气井盖", "Gas manhole cover", "gas", "department", workHours(4),
			"燃气井盖缺失、破损或移位", "井盖补齐或更换，安装平稳", false, []string{"燃气井盖"}},
		// 部件 02 道路交通
		{ClassComponent, "02", "道路交通", "0203", "公交站亭", "Bus shelter", "build", "department", workDays(3),
			"站亭破损、污损或设施缺失", "站亭修复，设施完好整洁", false, []string{"公交站", "站亭"}},
		{ClassComponent, "02", "道路交通", "0209", "交通标志牌", "Traffic sign", "build", "department", workDays(3),
			"标志牌缺失、倾斜、破损或被遮挡", "标志牌修复或更换，清晰可见", false, []string{"标志牌", "指示牌"}},
		{ClassComponent, "02", "道路交通", "0211", "道路护栏", "Road railing", "build", "department", workDays(3),
			"护栏缺失、断裂、倾倒", "护栏修复，安装牢固", false, []string{"护栏", "隔离栏"}},
		// 部件 03 市容环境
		{ClassComponent, "03", "市容环境", "0301", "公共厕所", "Public toilet", "law", "department", workHours(8),
			"公厕设施损坏、不洁或无故关闭", "设施修复，保洁到位，正常开放", false, []string{"公厕", "厕所"}},
		{ClassComponent, "03", "市容环境", "0304", "垃圾箱", "Litter bin", "law", "333", workHours(4),
			"垃圾箱破损、缺失或满溢", "垃圾箱修复更换，清运干净", false, []string{"垃圾箱", "垃圾桶", "满溢"}},
		{ClassComponent, "03", "市容环境", "0305", "广告牌匾", "Shop sign", "law", "department", workDays(5),
			"牌匾破损、脱落隐患或设置不规范", "牌匾修复或拆除，安全隐患消除", false, []string{"牌匾", "店招"}},
		// 部件 04 园林绿化
		{ClassComponent, "04", "园林绿化", "0401", "古树名木", "Old and notable tree", "build", "department", workDays(3),
			"古树名木受损、病虫害或保护设施损坏", "救护措施落实，保护设施修复", false, []string{"古树"}},
		{ClassComponent, "04", "园林绿化", "0402", "行道树", "Street tree", "build", "department", workDays(2),
			"行道树倒伏、枯死、断枝或缺株", "扶正、修剪或补植，隐患消除", false, []string{"行道树", "倒伏", "断枝"}},
		{ClassComponent, "04", "园林绿化", "0405", "绿地", "Green space", "build", "department", workDays(5),
			"绿地植被缺失枯死、黄土裸露或设施损坏", "补植复绿，设施修复", false, []string{"绿地", "草坪", "绿化带"}},
		// 事件 01 市容环境
		{ClassEvent, "01", "市容环境", "0103", "积存垃圾渣土", "Heaped refuse and spoil", "law", "department", workDays(2),
			"公共区域积存建筑垃圾、渣土", "清运干净，依法查处", false, []string{"渣土", "建筑垃圾"}},
		{ClassEvent, "01", "市容环境", "0104", "道路不洁", "Dirty road", "law", "333", workHours(2),
			"道路及公共场所有明显污物、积泥、油污", "路面清扫冲洗干净", false, []string{"路面脏", "污物", "泥土"}},
		{ClassEvent, "01", "市容环境", "0106", "绿地脏乱", "Littered green space", "build", "department", workHours(4),
			"绿地内有垃圾杂物、堆物", "杂物清理干净", false, []string{"绿地垃圾"}},
		// 事件 02 宣传广告
		{ClassEvent, "02", "宣传广告", "0201", "非法小广告", "Illegal small ads", "law", "department", workHours(8),
			"在建筑物、设施上张贴、喷涂、刻画的小广告", "小广告清除干净，无明显痕迹", false, []string{"小广告", "牛皮癣", "张贴"}},
		{ClassEvent, "02", "宣传广告", "0202", "违规户外广告", "Unlicensed outdoor ad", "law", "department", workDays(5),
			"未经批准设置户外广告、横幅或广告设施破损", "广告拆除或依法补办，设施安全", false, []string{"横幅", "户外广告"}},
		// 事件 03 施工管理
		{ClassEvent, "03", "施工管理", "0301", "施工扰民", "Construction disturbance", "eco", "333", workHours(2),
			"夜间或禁止时段施工产生噪声、强光影响居民", "违规施工停止，依法查处", false, []string{"夜间施工"}},
		{ClassEvent, "03", "施工管理", "0302", "工地扬尘", "Construction dust", "eco", "department", workHours(4),
			"工地未围挡、未覆盖、未洒水产生扬尘", "围挡覆盖洒水落实，扬尘控制", false, []string{"扬尘", "工地"}},
		{ClassEvent, "03", "施工管理", "0303", "道路遗撒", "Spillage on roads", "law", "333", workHours(2),
			"运输车辆遗撒泥土、渣土、砂石", "遗撒清理干净，责任车辆查处", false, []string{"遗撒", "抛洒"}},
		// 事件 04 突发事件
		{ClassEvent, "04", "突发事件", "0401", "路面塌陷", "Road collapse", "build", "333", calendarHours(2),
			"道路路面塌陷、空洞，影响通行安全", "围挡警示设置，路面修复", false, []string{"塌陷", "空洞"}},
		{ClassEvent, "04", "突发事件", "0402", "自来水管破裂", "Burst water main", "build", "333", calendarHours(2),
			"供水管道破裂跑水", "管道修复，路面恢复", false, []string{"水管破裂", "跑水", "爆管"}},
		{ClassEvent, "04", "突发事件", "0403", "燃气管道破裂", "Gas pipe rupture", "gas", "333", calendarHours(1),
			"燃气管道破损泄漏", "泄漏排除，管道修复", false, []string{"燃气泄漏", "管道漏气"}},
		{ClassEvent, "04", "突发事件", "0406", "道路积水", "Flooded road", "build", "333", calendarHours(2),
			"道路、下穿通道积水影响通行", "积水排除，通行恢复", false, []string{"积水", "内涝"}},
		// 事件 05 街面秩序
		{ClassEvent, "05", "街面秩序", "0501", "无照经营游商", "Unlicensed street vendor", "law", "department", workHours(4),
			"流动摊贩无照占道经营", "摊贩劝离或依法处理", false, []string{"游商", "流动摊贩"}},
		{ClassEvent, "05", "街面秩序", "0505", "机动车乱停放", "Illegal car parking", "law", "department", workHours(2),
			"机动车占用人行道、盲道、消防通道停放", "车辆驶离或依法处理", false, []string{"乱停车", "违停"}},
		{ClassEvent, "05", "街面秩序", "0506", "非机动车乱停放", "Disorderly bike parking", "law", "department", workHours(4),
			"非机动车占用人行道、盲道无序停放", "车辆归位摆放整齐", false, []string{"共享单车", "电动车乱停"}},
		// 事件 11–16: the town's extension for grid governance
		{ClassEvent, "11", "消防安全", "1102", "消防通道堵塞", "Blocked fire lane", "fire", "333", workHours(2),
			"消防车通道、疏散通道被占用堵塞", "通道清理畅通", true, []string{"消防通道", "堵塞"}},
		{ClassEvent, "11", "消防安全", "1103", "电动车违规停放充电", "E-bike charged indoors", "fire", "333", workHours(4),
			"电动自行车在楼道、室内违规停放或充电", "车辆移出，违规充电停止", true, []string{"电动车充电", "飞线充电"}},
		{ClassEvent, "12", "燃气安全", "1202", "瓶装液化气违规存放", "Gas bottles stored unsafely", "gas", "333", workHours(4),
			"液化气钢瓶超量存放、无报警器或存放在地下室", "钢瓶清退，报警装置安装", true, []string{"钢瓶存放"}},
		{ClassEvent, "13", "食品安全", "1302", "无证餐饮", "Unlicensed eatery", "market", "department", workDays(5),
			"无食品经营许可从事餐饮服务", "停止经营或依法取得许可", true, []string{"无证经营", "黑作坊"}},
		{ClassEvent, "14", "安全生产", "1402", "危化品违规储存", "Hazardous chemicals stored unsafely", "safety", "department", workDays(1),
			"危险化学品无专库、超量或混存", "危化品规范存放，台账完善", true, []string{"危化品", "化学品存放"}},
		{ClassEvent, "15", "生态环境", "1503", "违法排污", "Illegal discharge", "eco", "department", workDays(3),
			"企业或个人违法排放废水、废气、固废", "排放停止，依法查处", true, []string{"排污", "偷排"}},
		{ClassEvent, "16", "矛盾纠纷", "1602", "劳资纠纷", "Wage dispute", "station", "135", workDays(5),
			"拖欠工资等劳动关系纠纷", "工资兑付或导入仲裁", true, []string{"欠薪", "工资"}},
		{ClassEvent, "16", "矛盾纠纷", "1603", "物业纠纷", "Property-management dispute", "station", "135", workDays(5),
			"业主与物业服务企业之间的纠纷", "调解达成一致", true, []string{"物业"}},
	}
	out := make([]Category, len(list))
	for i, x := range list {
		out[i] = Category{Key: CategoryKey(x.class, x.code), Name: x.name, NameEn: x.en, Department: x.dep, Policy: x.pol,
			Keywords: x.keywords}.in(x.class, x.major, x.majorName, x.code, x.limit, x.file, x.close, x.ext)
	}
	return out
}
