package seed

import (
	"griddesk/domain"
)

// department is one of the town's functional departments 职能部门.
type department struct {
	key, id, name string
}

var departments = []department{
	{"fire", "D-FIRE", "消防救援站"},
	{"gas", "D-GAS", "燃气安全办公室"},
	{"market", "D-MARKET", "市场监督管理所"},
	{"law", "D-LAW", "综合行政执法队"},
	{"eco", "D-ECO", "生态环境所"},
	{"health", "D-HEALTH", "卫生健康办"},
	{"safety", "D-SAFETY", "应急管理办"},
	{"build", "D-BUILD", "住房和城乡建设办"},
}

// Catalog is the demo town's joint checklist 综合查一次 (ten domains, eight
// departments). Minutes and frequencies follow the seeds: one joint visit of
// 5–10 minutes replaces six 5-minute department visits.
func Catalog() []domain.CheckItem {
	shop := []string{domain.KindShop}
	firm := []string{domain.KindEnterprise}
	all := []string{domain.KindShop, domain.KindEnterprise, domain.KindRental, domain.KindVenue}
	shopVenue := []string{domain.KindShop, domain.KindVenue}
	return []domain.CheckItem{
		{ID: "FIRE-01", Department: "fire", Domain: "消防安全", Name: "灭火器配置且在有效期内", Kinds: all, Method: "look", Minutes: 0.5, FrequencyDays: 90, KeyDomain: true, LegalBasis: "《中华人民共和国消防法》第十六条"},
		{ID: "FIRE-02", Department: "fire", Domain: "消防安全", Name: "疏散通道、安全出口畅通", Kinds: all, Method: "look", Minutes: 0.5, FrequencyDays: 90, KeyDomain: true, LegalBasis: "《中华人民共和国消防法》第二十八条"},
		{ID: "FIRE-03", Department: "fire", Domain: "消防安全", Name: "电气线路无私拉乱接", Kinds: all, Method: "look", Minutes: 1, FrequencyDays: 90, KeyDomain: true, LegalBasis: "《中华人民共和国消防法》第二十七条"},
		{ID: "FIRE-04", Department: "fire", Domain: "消防安全", Name: "电动车不在室内停放充电", Kinds: []string{domain.KindShop, domain.KindRental}, Method: "look", Minutes: 0.5, FrequencyDays: 90, KeyDomain: true, LegalBasis: "《高层民用建筑消防安全管理规定》第三十七条"},
		{ID: "FIRE-05", Department: "fire", Domain: "消防安全", Name: "消防设施维保记录完整", Kinds: firm, Method: "document", Minutes: 2, FrequencyDays: 180, KeyDomain: true, LegalBasis: "《机关、团体、企业、事业单位消防安全管理规定》第二十七条"},
		{ID: "GAS-01", Department: "gas", Domain: "燃气安全", Name: "燃气报警器安装并正常工作", Kinds: shopVenue, Tags: []string{"gas"}, Method: "instrument", Minutes: 1, FrequencyDays: 90, KeyDomain: true, LegalBasis: "《城镇燃气管理条例》第二十八条"},
		{ID: "GAS-02", Department: "gas", Domain: "燃气安全", Name: "钢瓶与灶具间距符合要求", Kinds: shopVenue, Tags: []string{"gas"}, Method: "look", Minutes: 0.5, FrequencyDays: 90, KeyDomain: true, LegalBasis: "《城镇燃气管理条例》第二十八条"},
		{ID: "GAS-03", Department: "gas", Domain: "燃气安全", Name: "燃气软管无老化、无超长", Kinds: shopVenue, Tags: []string{"gas"}, Method: "look", Minutes: 0.5, FrequencyDays: 90, KeyDomain: true, LegalBasis: "《城镇燃气管理条例》第二十八条"},
		{ID: "FOOD-01", Department: "market", Domain: "食品安全", Name: "食品经营许可证在有效期内", Kinds: shop, Tags: []string{"catering", "food"}, Method: "document", Minutes: 0.5, FrequencyDays: 180, KeyDomain: true, LegalBasis: "《中华人民共和国食品安全法》第三十五条"},
		{ID: "FOOD-02", Department: "market", Domain: "食品安全", Name: "从业人员健康证齐全", Kinds: shop, Tags: []string{"catering", "food"}, Method: "document", Minutes: 1, FrequencyDays: 180, KeyDomain: true, LegalBasis: "《中华人民共和国食品安全法》第四十五条"},
		{ID: "FOOD-03", Department: "market", Domain: "食品安全", Name: "无过期变质食品", Kinds: shop, Tags: []string{"catering", "food"}, Method: "look", Minutes: 1, FrequencyDays: 90, KeyDomain: true, LegalBasis: "《中华人民共和国食品安全法》第三十四条"},
		{ID: "FOOD-04", Department: "market", Domain: "食品安全", Name: "生熟分开、留样记录", Kinds: shop, Tags: []string{"catering"}, Method: "look", Minutes: 1, FrequencyDays: 90, KeyDomain: true, LegalBasis: "《餐饮服务食品安全操作规范》"},
		{ID: "LIC-01", Department: "market", Domain: "证照经营", Name: "营业执照悬挂并与经营范围一致", Kinds: []string{domain.KindShop, domain.KindEnterprise, domain.KindVenue}, Method: "document", Minutes: 0.5, FrequencyDays: 365, LegalBasis: "《市场主体登记管理条例》第三十六条"},
		{ID: "CITY-01", Department: "law", Domain: "市容环境", Name: "门前无占道经营、无乱堆放", Kinds: shopVenue, Method: "look", Minutes: 0.5, FrequencyDays: 30, LegalBasis: "《城市市容和环境卫生管理条例》第十四条"},
		{ID: "CITY-02", Department: "law", Domain: "市容环境", Name: "户外招牌设置规范、牢固", Kinds: shopVenue, Method: "look", Minutes: 0.5, FrequencyDays: 90, LegalBasis: "《城市市容和环境卫生管理条例》第十一条"},
		{ID: "CITY-03", Department: "law", Domain: "市容环境", Name: "门前三包责任书落实", Kinds: shop, Method: "document", Minutes: 0.5, FrequencyDays: 180, LegalBasis: "《浙江省城市市容和环境卫生管理条例》"},
		{ID: "FUME-01", Department: "eco", Domain: "油烟污染", Name: "油烟净化设施安装并正常使用", Kinds: shop, Tags: []string{"fume"}, Method: "look", Minutes: 1, FrequencyDays: 90, LegalBasis: "《中华人民共和国大气污染防治法》第八十一条"},
		{ID: "FUME-02", Department: "eco", Domain: "油烟污染", Name: "油烟净化设施清洗记录", Kinds: shop, Tags: []string{"fume"}, Method: "document", Minutes: 0.5, FrequencyDays: 90, LegalBasis: "《饮食业油烟排放标准》GB 18483"},
		{ID: "HYG-01", Department: "health", Domain: "公共卫生", Name: "卫生许可证、消毒记录", Kinds: []string{domain.KindVenue}, Method: "document", Minutes: 1, FrequencyDays: 90, LegalBasis: "《公共场所卫生管理条例》第八条"},
		{ID: "HYG-02", Department: "health", Domain: "公共卫生", Name: "环境整洁、垃圾分类投放", Kinds: all, Method: "look", Minutes: 0.5, FrequencyDays: 90, LegalBasis: "《浙江省生活垃圾管理条例》"},
		{ID: "SAFE-01", Department: "safety", Domain: "安全生产", Name: "安全生产责任制及培训记录", Kinds: firm, Method: "document", Minutes: 2, FrequencyDays: 90, KeyDomain: true, LegalBasis: "《中华人民共和国安全生产法》第二十二条"},
		{ID: "SAFE-02", Department: "safety", Domain: "安全生产", Name: "机械设备防护装置完好", Kinds: firm, Tags: []string{"machinery"}, Method: "look", Minutes: 2, FrequencyDays: 90, KeyDomain: true, LegalBasis: "《中华人民共和国安全生产法》第三十六条"},
		{ID: "SAFE-03", Department: "safety", Domain: "安全生产", Name: "有限空间作业审批", Kinds: firm, Method: "document", Minutes: 1, FrequencyDays: 180, KeyDomain: true, LegalBasis: "《工贸企业有限空间作业安全规定》"},
		{ID: "CHEM-01", Department: "safety", Domain: "危险化学品", Name: "危化品专库存放、台账清楚", Kinds: firm, Tags: []string{"hazchem"}, Method: "document", Minutes: 3, FrequencyDays: 30, KeyDomain: true, LegalBasis: "《危险化学品安全管理条例》第二十四条"},
		{ID: "CHEM-02", Department: "safety", Domain: "危险化学品", Name: "可燃气体检测报警正常", Kinds: firm, Tags: []string{"hazchem"}, Method: "instrument", Minutes: 2, FrequencyDays: 30, KeyDomain: true, LegalBasis: "《危险化学品安全管理条例》第二十条"},
		{ID: "BUILD-01", Department: "build", Domain: "建筑施工", Name: "无违章搭建、加层", Kinds: []string{domain.KindEnterprise, domain.KindRental}, Method: "look", Minutes: 1, FrequencyDays: 180, LegalBasis: "《中华人民共和国城乡规划法》第六十四条"},
		{ID: "BUILD-02", Department: "build", Domain: "建筑施工", Name: "施工现场围挡及扬尘控制", Kinds: firm, Tags: []string{"construction"}, Method: "look", Minutes: 2, FrequencyDays: 30, LegalBasis: "《建设工程安全生产管理条例》第三十条"},
		{ID: "RENT-01", Department: "law", Domain: "出租房屋", Name: "租住人员登记、不超员", Kinds: []string{domain.KindRental}, Method: "document", Minutes: 1, FrequencyDays: 90, LegalBasis: "《浙江省流动人口居住登记条例》"},
	}
}

// Applies reports whether a check item applies to an entity.
func Applies(item domain.CheckItem, e *domain.Entity) bool {
	kindOK := len(item.Kinds) == 0
	for _, k := range item.Kinds {
		if k == e.Kind {
			kindOK = true
			break
		}
	}
	if !kindOK {
		return false
	}
	if len(item.Tags) == 0 {
		return true
	}
	for _, t := range item.Tags {
		for _, et := range e.Tags {
			if t == et {
				return true
			}
		}
	}
	return false
}
