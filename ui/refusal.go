package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2/lang"

	"griddesk/core/command"
	"griddesk/domain"
)

// refusal words a refused command in the user's language: a refusal with a
// message key (the desk's own check, or the server's problem code) is
// translated from "refused.<key>" with its values, their own codes
// translated too; a form's own refusal is already worded; any other error
// keeps its text.
func refusal(err error) string {
	var fe *fieldError
	if errors.As(err, &fe) {
		return fe.msg
	}
	var ce *command.Error
	if !errors.As(err, &ce) {
		return err.Error()
	}
	return refusalText(ce.Key, ce.Params, ce.Detail)
}

// refusalKeys are the message keys the core and the server give refusals
// (core/command keyed(…) and forbidden(…), server problem codes); a test
// checks that each has a translation, and that the core uses no other.
var refusalKeys = []string{
	"title", "location", "reason", "review_reason", "satisfaction", "rectify_evidence",
	"other_unit", "no_unit", "other_team", "no_team", "other_grid", "no_grid", "own_inspection", "role",
	"too_many_attempts", "id_reused",
	"merge_self", "merge_closed", "not_mergeable", "not_merged", "not_urgeable", "not_closed", "leader", "due",
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
		case "what":
			v = refusedThing(v)
		case "unit", "own", "team":
			if v == "no unit" {
				v = lang.L("no unit")
			}
		case "role":
			v = lang.L(roleLabel[domain.Role(v)])
		case "status":
			if l, ok := statusLabel[domain.CaseStatus(v)]; ok {
				v = lang.L(l)
			}
		case "type":
			v = lang.L(commandLabel(v))
		case "value":
			if l, ok := satisfactionLabel[domain.Satisfaction(v)]; ok {
				v = lang.L(l)
			}
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

// refusedThing translates what a scope refusal is about: the core names it
// "case 2026-0421", "entity 城北便利店", "hazard …", "inspection …" or
// "team …" (an English word, then the thing's name).
func refusedThing(what string) string {
	word, name, ok := strings.Cut(what, " ")
	if !ok {
		return what
	}
	if l, known := thingLabel[word]; known {
		return lang.L(l) + " " + name
	}
	return what
}

var thingLabel = map[string]string{"case": "case", "entity": "entity", "hazard": "hazard", "inspection": "inspection", "team": "team"}

// commandLabel names a command type for the user (the outbox, refusals).
func commandLabel(typ string) string {
	if spec, ok := command.Lookup(typ); ok && spec.Action != "" {
		if l, ok := actionLabel[spec.Action]; ok {
			return l
		}
	}
	if l, ok := commandLabels[typ]; ok {
		return l
	}
	return typ
}

var commandLabels = map[string]string{
	command.InspectionRecord: "Record inspection", command.InspectionReview: "Review inspection",
	command.HazardRectify: "Rectify hazard", command.PlanPublish: "Publish plan",
	command.GridImport: "Import grid boundaries", command.EntityImport: "Import entity register",
	command.SettingPut: "Change a setting", command.CatalogPut: "Change the check catalog",
}

// decisionLabel names the review decisions (translated with lang.L).
var decisionLabel = map[domain.Decision]string{
	domain.DecisionAccept: "Approve", domain.DecisionReturn: "Send back for re-inspection", domain.DecisionEnforcement: "Hand to enforcement",
}
