package command

import (
	"strings"
	"time"

	"griddesk/domain"
)

// checkIntake checks what a 12345 call brings besides the case: the
// address, the work order (number, channel, appeal type, reply deadline)
// and the caller (name, phone). Phone numbers never appear in a refusal
// whole (domain.CheckPhone masks them).
func checkIntake(prefix, address string, o *domain.WorkOrder, caller *domain.Caller, issued time.Time) error {
	if err := checkText(prefix+".address", address, domain.MaxAddress); err != nil {
		return err
	}
	if o != nil {
		if err := firstError(checkText(prefix+".order.no", o.No, domain.MaxShort), checkText(prefix+".order.channel", o.Channel, domain.MaxShort)); err != nil {
			return err
		}
		switch {
		case strings.TrimSpace(o.No) == "":
			return invalid(prefix+".order.no", "a work order needs its number 工单号")
		case o.AppealType != "" && !o.AppealType.Valid():
			return invalid(prefix+".order.appeal_type", "appeal type %q is not consult, help, complaint, report, suggestion or praise", o.AppealType)
		case !o.ReplyDue.IsZero() && (o.ReplyDue.Before(issued.Add(-maxVisitAge)) || o.ReplyDue.After(issued.Add(maxAhead))):
			return invalid(prefix+".order.reply_due", "reply_due %s is not within 90 days before and a year after the call", o.ReplyDue.Format(time.RFC3339))
		}
	}
	if caller != nil {
		if err := checkText(prefix+".caller.name", caller.Name, domain.MaxName); err != nil {
			return err
		}
		if caller.Phone != "" {
			if err := domain.CheckPhone(caller.Phone); err != nil {
				return invalid(prefix+".caller.phone", "%v", err)
			}
		}
		if caller.CaseID != "" || !caller.At.IsZero() {
			return invalid(prefix+".caller", "a caller is a name and a phone; the case and time are the case's")
		}
	}
	return nil
}
