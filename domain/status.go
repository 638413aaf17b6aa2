package domain

// The named states of GridDesk's rows. Every status a row carries has its
// own type, so a task's state cannot be compared with an inspection's by
// mistake, and every value a command may set is one of these constants.

// CaseStatus is where a case stands in the closed loop (DESIGN.md §5).
// "returned" is an action, not a state: a returned case goes back to
// registered.
type CaseStatus string

// Case states.
const (
	StatusReported   CaseStatus = "reported"
	StatusRegistered CaseStatus = "registered"
	StatusRejected   CaseStatus = "rejected"
	StatusDispatched CaseStatus = "dispatched"
	StatusAccepted   CaseStatus = "accepted"
	StatusOnSite     CaseStatus = "on_site"
	StatusHandled    CaseStatus = "handled"
	StatusClosed     CaseStatus = "closed"
	StatusEvaluated  CaseStatus = "evaluated"
	StatusDeferred   CaseStatus = "deferred"
	// StatusMerged: a repeat report 重复件 merged into an open case on the
	// same matter (case.merge); its callers and photos count with that
	// case. Not open; case.unmerge undoes it.
	StatusMerged CaseStatus = "merged"
)

// OpenStatuses are the states in which a case still needs someone.
var OpenStatuses = []CaseStatus{StatusReported, StatusRegistered, StatusDispatched, StatusAccepted, StatusOnSite, StatusHandled, StatusDeferred}

// CaseStatuses lists every case state in the order of the loop.
var CaseStatuses = []CaseStatus{StatusReported, StatusRegistered, StatusDispatched, StatusAccepted, StatusOnSite, StatusHandled,
	StatusDeferred, StatusClosed, StatusEvaluated, StatusRejected, StatusMerged}

// TaskStatus is where a unit's task for a case stands.
type TaskStatus string

// Task states.
const (
	TaskOpen      TaskStatus = "open"      // dispatched, not yet accepted
	TaskAccepted  TaskStatus = "accepted"  // the unit took it
	TaskReturned  TaskStatus = "returned"  // the unit gave it back (wrong unit)
	TaskDone      TaskStatus = "done"      // the unit handled the case
	TaskCancelled TaskStatus = "cancelled" // dispatched again elsewhere
)

// InspectionStatus is where an inspection report stands in review.
type InspectionStatus string

// Inspection states.
const (
	InspectionSubmitted   InspectionStatus = "submitted"   // waiting for review
	InspectionAccepted    InspectionStatus = "accepted"    // reviewed: counts for the colour code
	InspectionReturned    InspectionStatus = "returned"    // sent back: to be inspected again
	InspectionEnforcement InspectionStatus = "enforcement" // accepted and handed to enforcement 移交执法
)

// Counts reports whether a reviewed inspection counts for the colour code.
func (s InspectionStatus) Counts() bool {
	return s == InspectionAccepted || s == InspectionEnforcement
}

// FindingStatus is where a hazard stands.
type FindingStatus string

// Hazard states.
const (
	FindingOpen        FindingStatus = "open"        // to be rectified
	FindingRectified   FindingStatus = "rectified"   // rectified 已整改
	FindingEnforcement FindingStatus = "enforcement" // handed to enforcement
)

// Severity is how grave a hazard is.
type Severity string

// Hazard severities.
const (
	SeverityGeneral Severity = "general" // 一般隐患
	SeverityMajor   Severity = "major"   // 重大隐患
)

// Valid reports whether s is a known severity.
func (s Severity) Valid() bool { return s == SeverityGeneral || s == SeverityMajor }

// CheckResult is a check item's outcome at an inspection.
type CheckResult string

// Check item outcomes.
const (
	ResultPass CheckResult = "pass" // 合格
	ResultFail CheckResult = "fail" // 不合格
	ResultNA   CheckResult = "na"   // 不适用
)

// Valid reports whether r is a known outcome.
func (r CheckResult) Valid() bool { return r == ResultPass || r == ResultFail || r == ResultNA }

// Decision is a team leader's review of an inspection.
type Decision string

// Review decisions.
const (
	DecisionAccept      Decision = "accept"      // the colour code moves
	DecisionReturn      Decision = "return"      // inspect again
	DecisionEnforcement Decision = "enforcement" // accept and hand to enforcement (a case)
)

// Valid reports whether d is a known decision.
func (d Decision) Valid() bool {
	return d == DecisionAccept || d == DecisionReturn || d == DecisionEnforcement
}

// Satisfaction is the caller's verdict on a closed case (回访).
type Satisfaction string

// Satisfaction levels.
const (
	Satisfied          Satisfaction = "satisfied"    // 满意
	BasicallySatisfied Satisfaction = "basically"    // 基本满意
	Dissatisfied       Satisfaction = "dissatisfied" // 不满意
)

// Satisfactions lists the levels, best first.
var Satisfactions = []Satisfaction{Satisfied, BasicallySatisfied, Dissatisfied}

// Valid reports whether s is a known level.
func (s Satisfaction) Valid() bool {
	return s == Satisfied || s == BasicallySatisfied || s == Dissatisfied
}

// VisitStatus is where a planned inspection visit stands.
type VisitStatus string

// Visit states.
const (
	VisitPlanned   VisitStatus = "planned"   // published, to be made
	VisitDone      VisitStatus = "done"      // made: an inspection was recorded
	VisitCancelled VisitStatus = "cancelled" // called off
)

// OutboxState is where a command issued at a desk stands.
type OutboxState string

// Outbox states.
const (
	OutboxPending  OutboxState = "pending"  // waiting to be sent
	OutboxRejected OutboxState = "rejected" // the server refused it; kept for the user to read
)

// CommandStatus is the server's answer for one command.
type CommandStatus string

// Command results.
const (
	Applied   CommandStatus = "applied"
	Duplicate CommandStatus = "duplicate"
	Rejected  CommandStatus = "rejected"
)

// PhotoState is where a photo stands.
type PhotoState string

// Photo states: the server has it, it waits at this desk to be uploaded, or
// the server refused it.
const (
	PhotoStored  PhotoState = "stored"
	PhotoPending PhotoState = "pending"
	PhotoRefused PhotoState = "refused"
)

// Role is what a user does, and so what they may do (the server enforces it).
type Role string

// Roles.
const (
	RoleAdmin       Role = "admin"
	RoleDutyOfficer Role = "duty_officer"
	RoleTeamLeader  Role = "team_leader"
	RoleUnitMember  Role = "unit_member"
	RoleAuditor     Role = "auditor"
	RoleReporter    Role = "reporter"
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleDutyOfficer, RoleTeamLeader, RoleUnitMember, RoleAuditor, RoleReporter}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}
