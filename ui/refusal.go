package ui

import (
	"errors"

	"fyne.io/fyne/v2/lang"

	"griddesk/core/command"
	"griddesk/domain"
)

// refusal words a refused command in the user's language: a refusal with a
// message key (the desk's own check, or the server's problem code) is
// translated from "refused.<key>" with its values, their own codes
// translated too; any other error keeps its text.
func refusal(err error) string {
	var ce *command.Error
	if !errors.As(err, &ce) {
		return err.Error()
	}
	return refusalText(ce.Key, ce.Params, ce.Detail)
}

// refusalText translates a refusal's key and values, or keeps detail.
func refusalText(key string, params map[string]string, detail string) string {
	if key == "" {
		return detail
	}
	data := map[string]string{}
	for k, v := range params {
		switch k {
		case "action":
			v = lang.L(actionLabel[v])
		case "decision":
			v = lang.L(decisionLabel[domain.Decision(v)])
		}
		data[k] = v
	}
	id := "refused." + key
	out := lang.L(id, data)
	if out == id { // no translation: say it as the core did
		return detail
	}
	return out
}

// decisionLabel names the review decisions (translated with lang.L).
var decisionLabel = map[domain.Decision]string{
	domain.DecisionAccept: "Approve", domain.DecisionReturn: "Send back for re-inspection", domain.DecisionEnforcement: "Hand to enforcement",
}
