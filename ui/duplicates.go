package ui

import (
	"griddesk/core/command"
)

// registerChecked registers a case taken from a call.
func (dp *detailPanel) registerChecked(args command.CaseArgs) {
	dp.issue(command.CaseRegister, args, 0)
}
