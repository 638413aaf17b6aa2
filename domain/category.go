package domain

import (
	"slices"
	"sync"
)

// Category is a kind of case and the department that answers for it: one
// 小类 of the town's case catalogue (GB/T 30428.2 部件 and 事件, extended by
// the town's 权责清单; see catalogue.go). The keyword dictionary that
// suggests a category from a caller's words lives with it.
//
// Key is what a case stores (domain.Case.Category). The demo town's first
// twelve categories keep the keys their cases were stored with ("road",
// "garbage" …); each carries the class, 大类 and 小类 code it maps to in the
// catalogue. Other entries are keyed by class and code: "SJ0103" is 事件
// 0103, "BJ0101" 部件 0101 (CategoryKey).
type Category struct {
	Key        string   `json:"key"`
	Name       string   `json:"name"`    // Chinese
	NameEn     string   `json:"name_en"` // English
	Department string   `json:"department"`
	Policy     string   `json:"policy"` // default clock policy: 333, 135 or department
	Keywords   []string `json:"keywords,omitempty"`
	// UrgentPolicy is the clock policy of urgent cases ("" = Policy); set by
	// an admin's category setting.
	UrgentPolicy string `json:"urgent_policy,omitempty"`

	// The catalogue entry (GB/T 30428.2; CJ/T 315 for the standards and the
	// time limit).
	Class         CategoryClass `json:"class,omitempty"`          // 部件 or 事件
	MajorCode     string        `json:"major_code,omitempty"`     // 大类代码, two digits
	MajorName     string        `json:"major_name,omitempty"`     // 大类名称
	Code          string        `json:"code,omitempty"`           // 小类代码: 大类 + two digits
	FileStandard  string        `json:"file_standard,omitempty"`  // 立案标准: what makes it a case
	CloseStandard string        `json:"close_standard,omitempty"` // 结案标准: what closes it
	Limit         TimeLimit     `json:"limit,omitzero"`           // 处置时限, from dispatch to handled
	// Extension marks an entry of the town's own, not in GB/T 30428.2: a
	// 大类 numbered from 11 (网格化 matters the standard does not list:
	// fire, gas, food, work safety, disputes, environment) or a 小类 99
	// (其他) under a standard 大类.
	Extension bool `json:"extension,omitempty"`
	// Retired entries are kept so that stored cases still resolve; new
	// cases cannot take them.
	Retired bool `json:"retired,omitempty"`
}

// Categories is the built-in catalogue: the demo town's twelve categories
// first (their keys are what its cases store), then the rest of its
// catalogue by class and code.
func Categories() []Category { return slices.Clone(builtin()) }

// builtin is the built-in catalogue, made once and never changed.
var builtin = sync.OnceValue(func() []Category {
	legacy := []Category{
		cat("city_appearance", "市容环境", "City appearance", "law", "department", "占道", "摆摊", "乱堆", "乱放", "广告", "招牌").
			in(ClassEvent, "05", "街面秩序", "0504", workHours(4), "沿街店铺超出门窗外墙经营、占用道路或公共场所摆卖", "物品收回店内，占道清除", false),
		cat("illegal_building", "违章搭建", "Illegal building", "build", "department", "违建", "搭建", "违章", "加盖").
			in(ClassEvent, "01", "市容环境", "0101", workDays(20), "未经规划许可或超出许可内容私自搭建建筑物、构筑物", "停工并依法拆除或处罚，现场恢复", false),
		cat("garbage", "垃圾清运", "Garbage", "law", "333", "垃圾", "清运", "堆放", "异味").
			in(ClassEvent, "01", "市容环境", "0102", workHours(4), "道路、公共场所成堆成片或未入容器的生活垃圾", "垃圾彻底清理，地面无残留", false),
		cat("fire_hazard", "消防隐患", "Fire hazard", "fire", "333", "消防", "通道", "灭火器", "电线", "起火", "烟").
			in(ClassEvent, "11", "消防安全", "1101", workHours(8), "疏散通道堵塞、消防设施缺失损坏、电气线路私拉乱接等火灾隐患", "隐患消除，复查合格", true),
		cat("gas_safety", "燃气安全", "Gas safety", "gas", "333", "燃气", "煤气", "液化气", "钢瓶", "漏气").
			in(ClassEvent, "12", "燃气安全", "1201", calendarHours(2), "燃气泄漏、钢瓶违规存放使用、报警器缺失等燃气隐患", "险情排除，隐患整改到位", true),
		cat("food_safety", "食品安全", "Food safety", "market", "department", "食品", "过期", "变质", "卫生许可", "餐饮").
			in(ClassEvent, "13", "食品安全", "1301", workDays(5), "经营过期变质食品、无证经营、卫生条件不达标", "违法行为查处，整改复查合格", true),
		cat("noise", "噪声扰民", "Noise", "eco", "333", "噪声", "噪音", "施工", "扰民", "吵").
			in(ClassEvent, "15", "生态环境", "1501", workHours(2), "施工、经营、娱乐等噪声影响居民正常生活", "噪声源停止或降至标准以内", true),
		cat("fume", "油烟污染", "Kitchen fume", "eco", "department", "油烟", "排烟", "烧烤").
			in(ClassEvent, "15", "生态环境", "1502", workDays(5), "餐饮油烟未经净化直排或露天烧烤影响环境", "净化设施安装使用，直排停止", true),
		cat("dispute", "矛盾纠纷", "Dispute", "station", "135", "纠纷", "矛盾", "邻里", "欠薪", "争吵").
			in(ClassEvent, "16", "矛盾纠纷", "1601", workDays(5), "邻里、家庭、物业、劳资等需要调处的矛盾纠纷", "调解达成一致或依法导入诉讼仲裁渠道", true),
		cat("work_safety", "安全生产", "Work safety", "safety", "department", "安全生产", "厂房", "机器", "化学品", "危化").
			in(ClassEvent, "14", "安全生产", "1401", workDays(3), "生产经营单位存在设备防护缺失、违规作业、危化品管理混乱等隐患", "隐患整改完毕，复查合格", true),
		cat("road", "道路设施", "Roads and facilities", "build", "department", "路面", "井盖", "路灯", "坑洼").
			in(ClassComponent, "02", "道路交通", "0299", workDays(2), "路面坑洼破损、井盖缺失移位、路灯不亮等道路设施损坏", "设施修复，通行安全", true),
		cat("water", "河道水域", "Rivers and water", "eco", "department", "河道", "排污", "水面", "漂浮物").
			in(ClassEvent, "01", "市容环境", "0105", workHours(8), "河道水面漂浮垃圾、油污或有排污口异常排放", "水面清洁，排放查处", false),
	}
	return append(legacy, catalogue()...)
})

// TownCategories are the demo town's own twelve categories, the first of
// Categories: the keys its stored cases (seed history, the simulator's
// titles) use.
func TownCategories() []Category { return slices.Clone(builtin()[:12]) }

func cat(key, name, en, dep, policy string, keywords ...string) Category {
	return Category{Key: key, Name: name, NameEn: en, Department: dep, Policy: policy, Keywords: keywords}
}

// CategoryByKey finds a built-in category.
func CategoryByKey(key string) (Category, bool) {
	for _, c := range builtin() {
		if c.Key == key {
			return c, true
		}
	}
	return Category{}, false
}
