package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/text/language"
)

// Lang is a page's language: Chinese by default, English when the browser
// prefers it (or ?lang=en asks for it).
type Lang string

// The languages of the pages.
const (
	Zh Lang = "zh"
	En Lang = "en"
)

var matcher = language.NewMatcher([]language.Tag{language.Chinese, language.English})

// langOf picks the language of a request.
func langOf(r *http.Request) Lang {
	switch r.URL.Query().Get("lang") {
	case "en":
		return En
	case "zh":
		return Zh
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return Zh
	}
	_, i, conf := matcher.Match(tags...)
	if i == 1 && conf != language.No {
		return En
	}
	return Zh
}

// HTML is the html lang attribute.
func (l Lang) HTML() string {
	if l == En {
		return "en"
	}
	return "zh-CN"
}

// T returns the message key in l, filled with args (fmt verbs); an unknown
// key is returned as it is, so a missing message shows and a test finds it.
func (l Lang) T(key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	s := m[0]
	if l == En {
		s = m[1]
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// JSON is every message of the phone app in l, for its script.
func (l Lang) JSON() string {
	out := map[string]string{}
	for k, m := range messages {
		if strings.HasPrefix(k, "app.") || strings.HasPrefix(k, "err.") || strings.HasPrefix(k, "kind.") ||
			strings.HasPrefix(k, "code.") || strings.HasPrefix(k, "status.") || strings.HasPrefix(k, "clock.") {
			out[k] = m[0]
			if l == En {
				out[k] = m[1]
			}
		}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// messages are every string of the pages: key → {Chinese, English}.
var messages = map[string][2]string{
	"site":            {"网格指挥台", "GridDesk"},
	"other.lang":      {"English", "中文"},
	"other.lang.code": {"en", "zh"},

	"kind.shop":       {"商铺", "Shop"},
	"kind.enterprise": {"企业", "Enterprise"},
	"kind.rental":     {"出租屋", "Rental house"},
	"kind.venue":      {"三小场所", "Small venue"},

	"code.green":          {"绿码", "Green code"},
	"code.yellow":         {"黄码", "Yellow code"},
	"code.red":            {"红码", "Red code"},
	"code.title":          {"三色码", "Colour code"},
	"code.since":          {"%s 起", "since %s"},
	"code.initial":        {"登记时赋码，尚无审核通过的检查", "Given at registration; no reviewed inspection yet"},
	"code.meaning.green":  {"守法经营，常规检查", "In good standing: routine inspections"},
	"code.meaning.yellow": {"存在一般隐患，加密检查", "General hazards: inspected more often"},
	"code.meaning.red":    {"存在重大隐患或屡查屡犯，重点监管", "Major hazard or repeat offence: close supervision"},

	"rule.major_hazard":     {"检查发现重大隐患", "An inspection found a major hazard"},
	"rule.repeat_offence":   {"同一检查事项连续两次不合格", "The same item failed at two inspections in a row"},
	"rule.major_repeat":     {"发现重大隐患，且同一事项连续不合格", "A major hazard, and the same item failed again"},
	"rule.green_hazard":     {"检查发现一般隐患", "An inspection found general hazards"},
	"rule.yellow_hazard":    {"检查再次发现一般隐患", "An inspection found general hazards again"},
	"rule.red_hazard":       {"检查仍发现隐患", "An inspection still found hazards"},
	"rule.green_clean":      {"检查未发现隐患", "An inspection found no hazard"},
	"rule.yellow_one_clean": {"检查未发现隐患（再有一次即转绿码）", "An inspection found no hazard (one more turns it green)"},
	"rule.yellow_two_clean": {"连续两次检查未发现隐患", "Two inspections in a row found no hazard"},
	"rule.red_one_clean":    {"检查未发现隐患，由红码转为黄码", "An inspection found no hazard: red turned yellow"},

	"entity.address":      {"地址", "Address"},
	"entity.kind":         {"类型", "Kind"},
	"entity.grid":         {"所属网格", "Grid"},
	"entity.last":         {"最近一次检查", "Latest inspection"},
	"entity.never":        {"尚未检查", "Not inspected yet"},
	"entity.open":         {"待整改隐患", "Hazards to rectify"},
	"entity.open.n":       {"%d 项", "%d"},
	"entity.duties":       {"责任清单", "Responsibility list"},
	"entity.duties.intro": {"本店应当做到的检查事项及依据（综合查一次）", "What this place must keep in order, and the law behind each item (one joint inspection)"},
	"entity.basis":        {"依据：", "Basis: "},
	"entity.notfound":     {"未找到这块门牌", "This door plate is unknown"},
	"entity.notfound.why": {"二维码可能已失效或被替换。请联系所在村（社区）网格员。", "The code may be outdated or replaced. Please ask the grid worker of your village."},
	"entity.staff":        {"工作人员：开始检查", "Staff: start the inspection"},

	"form.title":         {"投诉或建议", "Complain or suggest"},
	"form.intro":         {"您反映的问题将直接进入镇指挥中心，由值班人员处理。", "What you write goes straight to the town's command center, where the officer on duty takes it up."},
	"form.category":      {"问题类型", "Kind of problem"},
	"form.category.auto": {"不确定（由工作人员判断）", "Not sure (staff decide)"},
	"form.text":          {"问题描述", "What happened"},
	"form.text.hint":     {"请写明问题和时间，2–500 字", "Say what and when, 2–500 characters"},
	"form.photo":         {"照片（可选）", "Photo (optional)"},
	"form.phone":         {"联系电话（可选）", "Phone (optional)"},
	"form.phone.hint":    {"仅工作人员可见，用于回访", "Seen only by staff, to call you back"},
	"form.send":          {"提交", "Send"},
	"form.sent":          {"已收到您的反映，编号 %s。感谢监督！", "Thank you: we received it as case %s."},
	"form.failed":        {"未能提交：请修改下面标出的内容。", "Not sent: please correct what is marked below."},
	"form.privacy":       {"本页不显示任何个人信息。", "This page shows no one's personal data."},

	"err.text.short":    {"请至少写两个字。", "Please write at least two characters."},
	"err.text.long":     {"描述最多 500 字。", "At most 500 characters, please."},
	"err.text.bad":      {"描述含有不能显示的字符。", "The text holds characters that cannot be shown."},
	"err.category":      {"请选择列表中的问题类型。", "Please choose a kind from the list."},
	"err.phone":         {"电话号码格式不对（5–20 位数字，可含 + 和 -）。", "That is not a phone number (5–20 digits, + and - allowed)."},
	"err.photo.type":    {"照片须为 JPEG、PNG 或 GIF 图片。", "The photo must be a JPEG, PNG or GIF image."},
	"err.photo.large":   {"照片太大（最大 16 MB）。", "The photo is too large (16 MB at most)."},
	"err.photo.bad":     {"照片无法读取，请换一张。", "The photo cannot be read; please choose another."},
	"err.body.large":    {"提交的内容太大。", "What you sent is too large."},
	"err.form":          {"表单无法读取，请重新填写。", "The form could not be read; please fill it in again."},
	"err.limit.address": {"提交太频繁，请一小时后再试。", "Too many submissions from here; please try again in an hour."},
	"err.limit.entity":  {"今天对这家单位的反映已很多，工作人员正在处理，请明天再试或拨打 12345。", "This place has had many reports today and staff are on it; please try tomorrow or call 12345."},
	"err.internal":      {"服务器暂时无法处理，请稍后再试。", "The server could not take it just now; please try again shortly."},

	"insp.title":         {"检查报告（公开摘要）", "Inspection report (public summary)"},
	"insp.date":          {"检查日期", "Date"},
	"insp.status":        {"状态", "Status"},
	"insp.items":         {"检查事项", "Items checked"},
	"insp.hazards":       {"发现隐患", "Hazards found"},
	"insp.code":          {"检查后三色码", "Colour code after it"},
	"insp.full":          {"完整报告仅对工作人员开放。", "The full report is for staff only."},
	"insp.notfound":      {"未找到这份检查报告", "This inspection report is unknown"},
	"inspst.submitted":   {"待审核", "Awaiting review"},
	"inspst.accepted":    {"已审核", "Reviewed"},
	"inspst.returned":    {"退回复查", "Returned for a new visit"},
	"inspst.enforcement": {"已移交执法", "Handed to enforcement"},

	"notice.title":   {"隐患整改进度", "Rectification progress"},
	"notice.open":    {"待整改 %d 项", "%d to rectify"},
	"notice.done":    {"已整改 %d 项", "%d rectified"},
	"notice.due":     {"整改期限", "Deadlines"},
	"notice.none":    {"目前没有待整改的隐患。", "Nothing is waiting to be rectified."},
	"notice.details": {"隐患详情见纸质整改通知书；复查请联系网格员。", "The details are on the paper notice; ask your grid worker for the re-inspection."},
	"back":           {"返回门牌页", "Back to the plate"},

	"app.title":       {"网格通", "Grid app"},
	"app.login":       {"登录", "Sign in"},
	"app.user":        {"用户名", "User name"},
	"app.password":    {"密码", "Password"},
	"app.logout":      {"退出", "Sign out"},
	"app.online":      {"在线", "Online"},
	"app.offline":     {"离线", "Offline"},
	"app.pending":     {"待发送 %d", "%d to send"},
	"app.refused":     {"被拒绝", "Refused"},
	"app.sent":        {"已全部发送", "All sent"},
	"app.today":       {"今日走访", "Today's visits"},
	"app.novisits":    {"今天没有计划的走访。扫门牌二维码可直接检查。", "No visits planned today. Scan a door plate to inspect."},
	"app.newcase":     {"上报事件", "Report a case"},
	"app.tasks":       {"本单位待办", "My unit's tasks"},
	"app.notasks":     {"没有待办任务。", "No open tasks."},
	"app.checklist":   {"检查清单", "Checklist"},
	"app.pass":        {"合格", "Pass"},
	"app.fail":        {"不合格", "Fail"},
	"app.na":          {"不适用", "N/A"},
	"app.note":        {"备注", "Note"},
	"app.hazard":      {"隐患", "Hazard"},
	"app.major":       {"重大隐患", "Major hazard"},
	"app.general":     {"一般隐患", "General hazard"},
	"app.photos":      {"照片", "Photos"},
	"app.submit":      {"提交检查", "Submit inspection"},
	"app.unchecked":   {"还有 %d 项未选择结果。", "%d items have no result yet."},
	"app.queued":      {"已保存，联网后自动发送。", "Saved; it is sent as soon as there is a connection."},
	"app.back":        {"返回", "Back"},
	"app.outscope":    {"该单位不在您服务的网格内，提交将被拒绝。", "This place is outside the grids you serve; the server will refuse it."},
	"app.openhazards": {"待整改隐患", "Open hazards"},
	"app.case.title":  {"标题", "Title"},
	"app.case.desc":   {"描述", "Description"},
	"app.case.cat":    {"类别", "Category"},
	"app.case.where":  {"位置", "Location"},
	"app.case.locate": {"获取当前位置", "Use my location"},
	"app.case.noloc":  {"请先获取位置。", "Please get the location first."},
	"app.case.send":   {"上报", "Report"},
	"app.accept":      {"接收", "Accept"},
	"app.return":      {"退回", "Return"},
	"app.arrive":      {"到场", "Arrived"},
	"app.feedback":    {"反馈", "Feedback"},
	"app.handle":      {"办结", "Handled"},
	"app.reason":      {"退回原因（至少两个字）", "Reason to return (two characters at least)"},
	"app.what":        {"处置情况", "What was done"},
	"app.deadline":    {"时限", "Deadline"},
	"app.left":        {"剩余 %s", "%s left"},
	"app.over":        {"超时 %s", "%s overdue"},
	"app.ontime":      {"按时完成", "done in time"},
	"app.late":        {"超时完成", "done late"},
	"app.signin.fail": {"用户名或密码错误。", "Wrong user name or password."},
	"app.role.other":  {"此账号的角色不使用手机端。", "This account's role has no phone app."},

	"status.reported":   {"待立案", "Reported"},
	"status.accepted":   {"已接收", "Accepted"},
	"status.registered": {"已立案", "Registered"},
	"status.dispatched": {"已派遣", "Dispatched"},
	"status.on_site":    {"已到场", "On site"},
	"status.handled":    {"已办结", "Handled"},
	"status.deferred":   {"挂账", "Deferred"},
	"clock.dispatch":    {"派遣", "Dispatch"},
	"clock.arrive":      {"到场", "On site"},
	"clock.feedback":    {"反馈", "Feedback"},
	"clock.close":       {"办结", "Close"},
	"clock.on_site":     {"核实", "Verify on site"},
}
