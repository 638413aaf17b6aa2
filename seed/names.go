package seed

// Word lists for realistic, deterministic Chinese names.

var villageNames = []string{
	"浦南村", "浦北村", "峙山村", "东藩村", "横一村", "横二村", "通一村", "通二村", "大庄村", "苎萝村",
	"新江村", "亭子头村", "欢潭村", "前山村", "后山村", "杨家村", "戴村", "凌家村", "塘头村", "江南村",
	"江北村", "下邵村", "上邵村", "詹家村", "祥里王村", "新发王村", "横山村", "义桥村", "湘南村", "湘北村",
	"白马村", "金浦村", "临江社区", "浦阳社区",
}

var roadNames = []string{"临浦大道", "浦阳路", "峙山路", "东藩路", "人民路", "解放路", "工业路", "兴浦路", "通济路", "萝苎路", "江滨路", "浦东路"}

var shopWords = []string{"老王", "阿兴", "浦阳", "临江", "小李", "好运", "金鑫", "阿芳", "萧然", "新民", "红梅", "长乐", "东方", "顺发", "永盛", "福满"}

var shopTypes = []struct {
	name string
	tags []string
}{
	{"面馆", []string{"catering", "gas", "fume"}},
	{"小吃店", []string{"catering", "gas", "fume"}},
	{"餐馆", []string{"catering", "gas", "fume"}},
	{"烧烤店", []string{"catering", "gas", "fume"}},
	{"早餐店", []string{"catering", "gas"}},
	{"奶茶店", []string{"catering", "food"}},
	{"便利店", []string{"food"}},
	{"超市", []string{"food"}},
	{"水果店", []string{"food"}},
	{"药店", nil},
	{"理发店", nil},
	{"五金店", nil},
	{"服装店", nil},
	{"手机店", nil},
	{"快递站", nil},
	{"电动车行", []string{"battery"}},
}

var firmWords = []string{"浦阳", "临浦", "峙山", "萧山", "恒通", "宏达", "金诚", "华盛", "永利", "天成", "联发", "富春", "钱塘", "新越", "兴业", "中泰"}

var firmTypes = []struct {
	name string
	tags []string
}{
	{"纺织有限公司", nil},
	{"机械制造有限公司", []string{"machinery"}},
	{"五金制品有限公司", []string{"machinery"}},
	{"电器有限公司", nil},
	{"印染有限公司", []string{"hazchem"}},
	{"化工有限公司", []string{"hazchem"}},
	{"塑料制品有限公司", nil},
	{"建材有限公司", []string{"construction"}},
	{"食品有限公司", []string{"food"}},
	{"电子科技有限公司", nil},
	{"包装有限公司", nil},
	{"家具有限公司", []string{"fume"}},
}

var venueTypes = []string{"棋牌室", "网吧", "KTV", "小旅馆", "足浴店", "小作坊"}

var surnames = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"}

var givenNames = []string{"伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞", "平", "刚", "桂英", "建华"}
