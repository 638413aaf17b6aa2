package command

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/store"
)

// SettingPut changes an admin setting every desk follows: a category's
// keyword dictionary and clock policies, or a newer holiday calendar.
const SettingPut = "setting.put"

// SettingArgs are the arguments of setting.put.
type SettingArgs struct {
	ID    string          `json:"id"`    // category:<key> or calendar:<year>
	Value json.RawMessage `json:"value"` // a store.CategorySetting, or a holiday-cn year file
}

func decodeSetting(c domain.Command) (SettingArgs, error) {
	var a SettingArgs
	if err := strictDecode(c, &a); err != nil {
		return a, err
	}
	if len(a.Value) > 1<<20 {
		return a, invalid("args.value", "a setting is at most 1 MB")
	}
	switch {
	case strings.HasPrefix(a.ID, "category:"):
		key := strings.TrimPrefix(a.ID, "category:")
		if err := checkID("args.id", key, false); err != nil {
			return a, err
		}
		var cs domain.CategorySetting
		dec := json.NewDecoder(bytes.NewReader(a.Value))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cs); err != nil {
			return a, invalid("args.value", "a category setting is {keywords, policy, urgent_policy}: %v", err)
		}
		for _, p := range []string{cs.Policy, cs.UrgentPolicy} {
			if _, ok := clock.PolicyByName(p); p != "" && !ok {
				return a, invalid("args.value.policy", "clock policy %q is not 333, 135 or department", p)
			}
		}
		if err := checkLen("args.value.keywords", len(cs.Keywords), maxKeywords); err != nil {
			return a, err
		}
		for i, k := range cs.Keywords {
			if strings.TrimSpace(k) == "" {
				return a, invalid(fmt.Sprintf("args.value.keywords[%d]", i), "a keyword is empty")
			}
			if err := checkText(fmt.Sprintf("args.value.keywords[%d]", i), k, domain.MaxShort); err != nil {
				return a, err
			}
		}
	case strings.HasPrefix(a.ID, "calendar:"):
		year, err := strconv.Atoi(strings.TrimPrefix(a.ID, "calendar:"))
		if err != nil || year < 2000 || year > 2100 {
			return a, invalid("args.id", "%q: want calendar:<year>", a.ID)
		}
		var head struct {
			Year int `json:"year"`
		}
		if err := json.Unmarshal(a.Value, &head); err != nil || head.Year != year {
			return a, invalid("args.value", "the calendar file is not for %d", year)
		}
		if err := clock.China().Load(bytes.NewReader(a.Value)); err != nil { // a copy: only checks it
			return a, invalid("args.value", "%v", err)
		}
	case strings.HasPrefix(a.ID, "grant:"):
		typ := strings.TrimPrefix(a.ID, "grant:")
		if !grantable[typ] {
			return a, invalid("args.id", "%q cannot be granted; grantable: grid.import, entity.import", typ)
		}
		var g GrantArgs
		dec := json.NewDecoder(bytes.NewReader(a.Value))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&g); err != nil {
			return a, invalid("args.value", "a grant is {roles}: %v", err)
		}
		for i, r := range g.Roles {
			if !r.Valid() {
				return a, invalid(fmt.Sprintf("args.value.roles[%d]", i), "role %q is unknown", r)
			}
		}
	case strings.HasPrefix(a.ID, "rule:"):
		if err := checkRule(a.ID, a.Value); err != nil {
			return a, err
		}
	default:
		return a, invalid("args.id", "setting %q: id must be category:<key>, calendar:<year>, grant:<command> or rule:<name>", a.ID)
	}
	return a, nil
}

// checkRule decodes a daily-work rule strictly and checks its bounds.
func checkRule(id string, raw json.RawMessage) error {
	strict := func(v any) error {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			return invalid("args.value", "%s: %v", id, err)
		}
		return nil
	}
	var err error
	switch id {
	case domain.RuleHours:
		var v domain.HoursRule
		if err = strict(&v); err == nil {
			if _, perr := clock.ParseHours(v.Windows); perr != nil {
				err = invalid("args.value.windows", "%v", perr)
			}
		}
	case domain.RuleLadder:
		var v domain.Ladder
		if err = strict(&v); err == nil {
			if verr := v.Validate(); verr != nil {
				err = invalid("args.value", "%v", verr)
			}
		}
	case domain.RuleDuplicates:
		var v domain.DuplicateRule
		if err = strict(&v); err == nil {
			if verr := v.Validate(); verr != nil {
				err = invalid("args.value", "%v", verr)
			}
		}
	case domain.RuleHotline:
		var v domain.HotlineRule
		if err = strict(&v); err == nil {
			err = checkLen("args.value.columns", len(v.Columns), 60)
			for i, c := range v.Columns {
				if err == nil {
					err = checkText(fmt.Sprintf("args.value.columns[%d]", i), c, domain.MaxShort)
				}
			}
		}
	case domain.RuleBulletin:
		var v domain.BulletinRule
		if err = strict(&v); err == nil {
			if v.FloorOnTime < 0 || v.FloorOnTime > 1 {
				err = invalid("args.value.floor_on_time", "floor_on_time %v is not between 0 and 1", v.FloorOnTime)
			} else {
				err = checkText("args.value.issuer", v.Issuer, domain.MaxName)
			}
		}
	default:
		return invalid("args.id", "rule %q: known rules are rule:hours, rule:ladder, rule:duplicates, rule:hotline, rule:bulletin", id)
	}
	return err
}

func putSetting(tx *store.Tx, c domain.Command, a SettingArgs, by Actor, _ Options) ([]domain.Ref, error) {
	if key, ok := strings.CutPrefix(a.ID, "category:"); ok {
		if _, ok := domain.CategoryIn(tx.Categories(), key); !ok {
			return nil, invalid("args.id", "category %q is unknown", key)
		}
	}
	s := domain.Setting{ID: a.ID, Value: a.Value, UpdatedBy: by.ID, UpdatedAt: c.IssuedAt}
	if err := tx.PutSetting(&s); err != nil {
		return nil, err
	}
	return []domain.Ref{{Kind: domain.KindSetting, ID: s.ID}}, nil
}

// GrantArgs is the value of a grant:<type> setting: the roles an admin
// lets issue a grantable command besides the registry's (imports of the
// registers, for example to team leaders).
type GrantArgs struct {
	Roles []domain.Role `json:"roles"`
}

// grantedRoles reads the roles granted a command type.
func grantedRoles(tx *store.Tx, typ string) ([]domain.Role, error) {
	st, ok, err := tx.Setting("grant:" + typ)
	if err != nil || !ok {
		return nil, err
	}
	var g GrantArgs
	if err := json.Unmarshal(st.Value, &g); err != nil {
		return nil, fmt.Errorf("command: setting grant:%s: %w", typ, err)
	}
	return g.Roles, nil
}
