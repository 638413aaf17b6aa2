package domain

import "testing"

func TestMaskCallers(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"13812345678", "138****5678"}, {"+86 138-1234-5678", "861******5678"}, {"0571-82345678", "057*****5678"},
		{"1234567", "*****67"}, {"12345", "***45"}, {"", ""}, {"138****5678", "138****5678"},
	} {
		if got := MaskPhone(c.in); got != c.want {
			t.Errorf("MaskPhone(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{{"张小梅", "张**"}, {"欧阳", "欧*"}, {"Li Lei", "L*****"}, {"张", "张*"}, {"张**", "张**"}, {"", ""}} {
		if got := MaskName(c.in); got != c.want {
			t.Errorf("MaskName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, p := range []string{"13812345678", "+86 (571) 8234-5678", "12345"} {
		if err := CheckPhone(p); err != nil {
			t.Errorf("CheckPhone(%q): %v", p, err)
		}
	}
	for _, p := range []string{"1234", "call me", "138123456789012345678", "13812345678\n"} {
		if err := CheckPhone(p); err == nil {
			t.Errorf("CheckPhone(%q) accepted", p)
		}
	}
	if !RoleDutyOfficer.SeesCallers() || !RoleAdmin.SeesCallers() || RoleUnitMember.SeesCallers() || RoleAuditor.SeesCallers() {
		t.Error("who sees callers")
	}
}
