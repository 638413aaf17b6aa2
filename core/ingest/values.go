package ingest

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"griddesk/domain"
)

// narrow folds full-width ASCII (１２０．５, ＡＢＣ, the ideographic space)
// to plain ASCII, as Chinese input methods often leave it in registers.
// Other characters, CJK punctuation included, stay as they are.
func narrow(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFF01 + '!'
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}

// parseCoord reads a longitude or latitude: a decimal number, allowing
// full-width digits, surrounding spaces, a trailing degree sign and a
// decimal comma.
func parseCoord(s string) (float64, error) {
	t := strings.TrimSpace(narrow(s))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "°"), "度")
	if strings.Count(t, ",") == 1 && !strings.Contains(t, ".") {
		t = strings.Replace(t, ",", ".", 1)
	}
	if t == "" {
		return 0, fmt.Errorf("empty")
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("not a number")
	}
	return v, nil
}

// valueMap looks up user-facing values (Chinese names, English keys, the
// store's constants) case- and width-insensitively.
type valueMap map[string]string

func newValueMap(defaults, extra map[string]string) valueMap {
	m := valueMap{}
	for k, v := range defaults {
		m[normValue(k)] = v
	}
	for k, v := range extra {
		m[normValue(k)] = v
	}
	return m
}

func normValue(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(narrow(s)), ""))
}

func (m valueMap) get(s string) (string, bool) {
	v, ok := m[normValue(s)]
	return v, ok
}

// allowed lists the values a map accepts, for messages.
func (m valueMap) allowed() string {
	keys := slices.Sorted(maps.Keys(m))
	if len(keys) > 12 {
		keys = append(keys[:12], "…")
	}
	return strings.Join(keys, ", ")
}

// DefaultLevelValues maps grid level names as GIS files spell them.
var DefaultLevelValues = map[string]string{
	domain.LevelBase: domain.LevelBase, "基础网格": domain.LevelBase, "基础": domain.LevelBase, "网格": domain.LevelBase,
	domain.LevelMicro: domain.LevelMicro, "微网格": domain.LevelMicro, "微": domain.LevelMicro,
	domain.LevelInspection: domain.LevelInspection, "检查网格": domain.LevelInspection, "检查": domain.LevelInspection,
	domain.LevelEnforcement: domain.LevelEnforcement, "执法保障网格": domain.LevelEnforcement, "执法网格": domain.LevelEnforcement,
	"执法": domain.LevelEnforcement,
}

// DefaultKindValues maps entity kinds as registers spell them.
var DefaultKindValues = map[string]string{
	domain.KindShop: domain.KindShop, "商铺": domain.KindShop, "店铺": domain.KindShop, "门店": domain.KindShop, "沿街商铺": domain.KindShop,
	domain.KindEnterprise: domain.KindEnterprise, "企业": domain.KindEnterprise, "工厂": domain.KindEnterprise,
	"公司": domain.KindEnterprise, "工业企业": domain.KindEnterprise,
	domain.KindRental: domain.KindRental, "出租屋": domain.KindRental, "出租房": domain.KindRental, "出租房屋": domain.KindRental,
	domain.KindVenue: domain.KindVenue, "三小场所": domain.KindVenue, "小场所": domain.KindVenue,
}

// DefaultCodeValues maps three-colour codes.
var DefaultCodeValues = map[string]string{
	domain.CodeGreen: domain.CodeGreen, "绿": domain.CodeGreen, "绿码": domain.CodeGreen, "绿色": domain.CodeGreen,
	domain.CodeYellow: domain.CodeYellow, "黄": domain.CodeYellow, "黄码": domain.CodeYellow, "黄色": domain.CodeYellow,
	domain.CodeRed: domain.CodeRed, "红": domain.CodeRed, "红码": domain.CodeRed, "红色": domain.CodeRed,
}

// splitTags splits a tag cell on the separators registers use.
func splitTags(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case ',', ';', '、', '|', '/', '，', '；', '｜', '／':
			return true
		}
		return false
	})
	var out []string
	for _, t := range f {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}
