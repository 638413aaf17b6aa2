package command_test

import (
	"os"
	"strings"
	"testing"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/domain/workflow"
)

// Every workflow action the desk can offer has the one command that
// performs it, and every command has roles.
func TestRegistryCoversTheWorkflow(t *testing.T) {
	for _, st := range domain.CaseStatuses {
		for _, action := range workflow.Allowed(st) {
			s, ok := command.ForAction(action)
			if !ok {
				t.Errorf("no command performs %s (from %s)", action, st)
				continue
			}
			if s.Action != action && !(action == workflow.VerifyFail && s.Type == command.CaseVerify) {
				t.Errorf("ForAction(%s) = %s, which performs %s", action, s.Type, s.Action)
			}
		}
	}
	seen := map[string]bool{}
	for _, s := range command.Specs() {
		if seen[s.Type] {
			t.Errorf("%s registered twice", s.Type)
		}
		seen[s.Type] = true
		if len(s.Roles()) == 0 {
			t.Errorf("%s: nobody may issue it", s.Type)
		}
		for _, r := range s.Roles() {
			if !r.Valid() {
				t.Errorf("%s: role %q is no role", s.Type, r)
			}
		}
	}
	if len(seen) != len(command.Types()) {
		t.Errorf("Types lists %d, the registry %d", len(command.Types()), len(seen))
	}
}

// The README shows the registry's role table as it is.
func TestREADMERoleTable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), command.RoleTable()) {
		t.Errorf("README.md lacks the current role table; put this in its place:\n%s", command.RoleTable())
	}
}
