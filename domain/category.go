package domain

// Category is a kind of case and the department that answers for it.
// The built-in list is the demo town's; the keyword dictionary that suggests
// a category from a caller's words lives with it.
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
}

// Categories is the built-in category list.
func Categories() []Category {
	return []Category{
		cat("city_appearance", "市容环境", "City appearance", "law", "department", "占道", "摆摊", "乱堆", "乱放", "广告", "招牌"),
		cat("illegal_building", "违章搭建", "Illegal building", "build", "department", "违建", "搭建", "违章", "加盖"),
		cat("garbage", "垃圾清运", "Garbage", "law", "333", "垃圾", "清运", "堆放", "异味"),
		cat("fire_hazard", "消防隐患", "Fire hazard", "fire", "333", "消防", "通道", "灭火器", "电线", "起火", "烟"),
		cat("gas_safety", "燃气安全", "Gas safety", "gas", "333", "燃气", "煤气", "液化气", "钢瓶", "漏气"),
		cat("food_safety", "食品安全", "Food safety", "market", "department", "食品", "过期", "变质", "卫生许可", "餐饮"),
		cat("noise", "噪声扰民", "Noise", "eco", "333", "噪声", "噪音", "施工", "扰民", "吵"),
		cat("fume", "油烟污染", "Kitchen fume", "eco", "department", "油烟", "排烟", "烧烤"),
		cat("dispute", "矛盾纠纷", "Dispute", "station", "135", "纠纷", "矛盾", "邻里", "欠薪", "争吵"),
		cat("work_safety", "安全生产", "Work safety", "safety", "department", "安全生产", "厂房", "机器", "化学品", "危化"),
		cat("road", "道路设施", "Roads and facilities", "build", "department", "路面", "井盖", "路灯", "坑洼"),
		cat("water", "河道水域", "Rivers and water", "eco", "department", "河道", "排污", "水面", "漂浮物"),
	}
}

func cat(key, name, en, dep, policy string, keywords ...string) Category {
	return Category{Key: key, Name: name, NameEn: en, Department: dep, Policy: policy, Keywords: keywords}
}

// CategoryByKey finds a built-in category.
func CategoryByKey(key string) (Category, bool) {
	for _, c := range Categories() {
		if c.Key == key {
			return c, true
		}
	}
	return Category{}, false
}
