// Package report writes GridDesk's printable documents as A4 PDFs: the
// inspection report 检查报告 of a joint visit (综合查一次), the hazard
// rectification notice 隐患整改通知书 for an entity's open hazards, and sheets
// of QR door plates 一店一码 for the entities of a grid.
//
// The documents are drawn from plain data (store types plus names the caller
// has looked up); the package does no database or network access and does
// not import Fyne, so the desk and the server produce identical files. The
// same input gives the same bytes: the PDF dates come from the input and
// nothing depends on map order or the clock.
//
// Chinese text is set in the bundled Droid Sans Fallback, Latin letters and
// digits in the Go fonts; each document embeds only the glyphs it uses (see
// fonts.go). Times are printed in China Standard Time (UTC+8).
package report

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"griddesk/domain"
	"griddesk/domain/clock"
)

// Document kinds, for Filename.
const (
	KindInspection = "inspection" // 检查报告
	KindNotice     = "notice"     // 隐患整改通知书
	KindPlates     = "plates"     // 一店一码门牌
)

// ContentType is the media type of every document.
const ContentType = "application/pdf"

// Filename returns a portable file name for a document, such as
// "inspection-N000123.pdf". Characters other than ASCII letters, digits, '-'
// and '_' in id become '_'.
func Filename(kind, id string) string {
	clean := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, id)
	if clean == "" {
		clean = "unnamed"
	}
	return kind + "-" + clean + ".pdf"
}

// The QR codes are addresses on the server's public URL (server -public-url,
// kept in the setting PublicURLSetting so that every desk prints the same),
// which a phone camera or WeChat opens: the door plate's page for everyone
// (server/web). They name an entity by the random token on its plate, never
// by its register ID, and an inspection only together with that token, so
// that nothing can be listed by counting. Without a public URL the codes
// keep the old griddesk:// form, which only a desk opens (desk.OpenLink).

// PublicURLSetting is the setting holding the server's public URL (a JSON
// string such as "https://grid.linpu.gov.cn").
const PublicURLSetting = "public_url"

// EntityLink is the QR content of an entity's door plate: base/p/{token}.
func EntityLink(base, qrToken string) string {
	if base == "" {
		return "griddesk://entity/" + qrToken
	}
	return strings.TrimRight(base, "/") + "/p/" + qrToken
}

// InspectionLink is the QR content of an inspection report:
// base/p/{token}/i/{inspection}.
func InspectionLink(base, qrToken, inspectionID string) string {
	if base == "" || qrToken == "" {
		return "griddesk://inspection/" + inspectionID
	}
	return EntityLink(base, qrToken) + "/i/" + url.PathEscape(inspectionID)
}

// NoticeLink is the QR content of a rectification notice: base/p/{token}/notice.
func NoticeLink(base, qrToken string) string {
	if base == "" {
		return EntityLink("", qrToken)
	}
	return EntityLink(base, qrToken) + "/notice"
}

// PublicURLOf reads the public URL from settings ("" when none is set).
func PublicURLOf(settings []domain.Setting) string {
	for _, s := range settings {
		if s.ID == PublicURLSetting {
			var u string
			if json.Unmarshal(s.Value, &u) == nil {
				return u
			}
		}
	}
	return ""
}

// ShortLink is a link as printed under its code: without the scheme.
func ShortLink(link string) string {
	_, rest, ok := strings.Cut(link, "://")
	if !ok {
		return link
	}
	return rest
}

// cst is China Standard Time, the one clock of everything printed.
var cst = clock.Location()

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(cst).Format("2006-01-02")
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(cst).Format("2006-01-02 15:04")
}

// fmtDateCN formats a date the way official documents write it: 2026年11月20日.
func fmtDateCN(t time.Time) string {
	t = t.In(cst)
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// label returns names[key], or key itself when unknown.
func label[K ~string](names map[K]string, key K) string {
	if s, ok := names[key]; ok {
		return s
	}
	return string(key)
}

var kindNames = map[string]string{
	domain.KindShop:       "商铺",
	domain.KindEnterprise: "企业",
	domain.KindRental:     "出租屋",
	domain.KindVenue:      "三小场所",
}

var resultNames = map[domain.CheckResult]string{
	domain.ResultPass: "合格",
	domain.ResultFail: "不合格",
	domain.ResultNA:   "不适用",
	"":                "未检查",
}

var severityNames = map[domain.Severity]string{
	domain.SeverityGeneral: "一般隐患",
	domain.SeverityMajor:   "重大隐患",
}

var findingStatusNames = map[domain.FindingStatus]string{
	domain.FindingOpen:        "待整改",
	domain.FindingRectified:   "已整改",
	domain.FindingEnforcement: "已移交执法",
}

var inspectionStatusNames = map[domain.InspectionStatus]string{
	domain.InspectionSubmitted:   "待审核",
	domain.InspectionAccepted:    "已审核",
	domain.InspectionReturned:    "退回复查",
	domain.InspectionEnforcement: "已移交执法",
}

// codeLook returns a three-colour code's name and its badge colours.
func codeLook(code string) (name string, bg, fg rgb) {
	switch code {
	case domain.CodeRed:
		return "红码", rgb{0xd9, 0x2d, 0x20}, white
	case domain.CodeYellow:
		return "黄码", rgb{0xf5, 0xc2, 0x18}, black
	case domain.CodeGreen:
		return "绿码", rgb{0x1e, 0x9e, 0x4a}, white
	}
	return "未赋码", rgb{0x9a, 0xa1, 0xab}, white
}

// codeMeaning is what each code asks of the inspectors.
var codeMeaning = map[string]string{
	domain.CodeRed:    "重点监管",
	domain.CodeYellow: "加强监管",
	domain.CodeGreen:  "常规监管",
}

// itemIndex maps check item IDs to items.
func itemIndex(items []domain.CheckItem) map[string]*domain.CheckItem {
	m := make(map[string]*domain.CheckItem, len(items))
	for i := range items {
		m[items[i].ID] = &items[i]
	}
	return m
}
