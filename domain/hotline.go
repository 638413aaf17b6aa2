package domain

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// WorkOrder is what a 12345 hotline work order carries besides the case:
// the platform's own number and channel, the kind of appeal, and by when the
// caller must have an answer. The case keeps it and exports it back in the
// hotline's columns (core/hotline).
type WorkOrder struct {
	No         string     `json:"no"`                    // 工单号
	Channel    string     `json:"channel,omitempty"`     // 渠道: 电话, 网站, 微信, APP …
	AppealType AppealType `json:"appeal_type,omitempty"` // 诉求类型
	ReplyDue   time.Time  `json:"reply_due,omitzero"`    // 回复时限
}

// AppealType is a hotline appeal's kind 诉求类型.
type AppealType string

// Appeal types, as 12345 platforms sort them.
const (
	AppealConsult    AppealType = "consult"    // 咨询
	AppealHelp       AppealType = "help"       // 求助
	AppealComplaint  AppealType = "complaint"  // 投诉
	AppealReport     AppealType = "report"     // 举报
	AppealSuggestion AppealType = "suggestion" // 建议
	AppealPraise     AppealType = "praise"     // 表扬
)

// AppealTypes lists the appeal types in the platforms' order.
var AppealTypes = []AppealType{AppealConsult, AppealHelp, AppealComplaint, AppealReport, AppealSuggestion, AppealPraise}

var appealLabels = map[AppealType]string{AppealConsult: "咨询", AppealHelp: "求助", AppealComplaint: "投诉", AppealReport: "举报",
	AppealSuggestion: "建议", AppealPraise: "表扬"}

// Valid reports whether a is a known appeal type.
func (a AppealType) Valid() bool { _, ok := appealLabels[a]; return ok }

// Label is the appeal type's Chinese name.
func (a AppealType) Label() string { return appealLabels[a] }

// AppealTypeOf reads an appeal type from its key or its Chinese name.
func AppealTypeOf(s string) (AppealType, bool) {
	s = strings.TrimSpace(s)
	for k, v := range appealLabels {
		if s == string(k) || s == v {
			return k, true
		}
	}
	return "", false
}

// Caller is a person who reported a case: the hotline's caller, or the
// caller of a repeat report merged into it. Personal data: the name and
// phone are shown whole to duty officers and admins only (MaskCallers),
// and never logged.
type Caller struct {
	Name   string    `json:"name,omitempty"`
	Phone  string    `json:"phone,omitempty"`
	CaseID string    `json:"case_id,omitempty"` // the case they called about, when merged into this one
	At     time.Time `json:"at,omitzero"`       // when they called
}

// CheckPhone refuses a phone number that is not 5–20 digits, with an
// optional leading + and separators (space, -, parentheses).
func CheckPhone(p string) error {
	digits := 0
	for i, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '-', r == '(', r == ')':
		default:
			return fmt.Errorf("phone %q holds %q: only digits, +, -, spaces and parentheses", MaskPhone(p), r)
		}
	}
	if digits < 5 || digits > 20 {
		return fmt.Errorf("phone %s has %d digits, want 5 to 20", MaskPhone(p), digits)
	}
	return nil
}

// MaskPhone hides a phone number's middle digits: 138****5678. Numbers of
// seven digits or fewer keep only their last two. A masked number stays as
// it is.
func MaskPhone(p string) string {
	if strings.ContainsRune(p, '*') {
		return p
	}
	var ds []rune
	for _, r := range p {
		if r >= '0' && r <= '9' {
			ds = append(ds, r)
		}
	}
	switch n := len(ds); {
	case n == 0:
		return ""
	case n <= 7:
		return strings.Repeat("*", max(n-2, 1)) + string(ds[max(n-2, 1):])
	default:
		return string(ds[:3]) + strings.Repeat("*", n-7) + string(ds[n-4:])
	}
}

// MaskName keeps a person's surname (the first character): 张**.
func MaskName(n string) string {
	n = strings.TrimSpace(n)
	if n == "" || strings.ContainsRune(n, '*') {
		return n
	}
	r, size := utf8.DecodeRuneInString(n)
	rest := utf8.RuneCountInString(n[size:])
	if unicode.Is(unicode.Han, r) || rest > 0 {
		return string(r) + strings.Repeat("*", max(rest, 1))
	}
	return "*"
}

// SeesCallers reports whether a role sees callers' names and phones whole:
// duty officers, who call them back, and admins.
func (r Role) SeesCallers() bool { return r == RoleDutyOfficer || r == RoleAdmin }

// MaskCallers returns the callers with names and phones masked.
func MaskCallers(cs []Caller) []Caller {
	if cs == nil {
		return nil
	}
	out := make([]Caller, len(cs))
	for i, c := range cs {
		c.Name, c.Phone = MaskName(c.Name), MaskPhone(c.Phone)
		out[i] = c
	}
	return out
}

// Masked returns the case as a role that does not see callers reads it.
func (c Case) Masked() Case {
	c.Callers = MaskCallers(c.Callers)
	return c
}
