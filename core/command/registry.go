package command

import (
	"griddesk/domain"
	"griddesk/domain/workflow"
	"griddesk/store"
)

// Actor is who issues a command, and for which unit and teams.
type Actor struct {
	ID     string
	Name   string
	Role   domain.Role
	UnitID string   // the user's unit (unit members, team leaders, grid workers)
	Teams  []string // teams granted besides the user's unit
}

// ActorOf is the actor a signed-in user is.
func ActorOf(u domain.User) Actor {
	return Actor{ID: u.ID, Name: u.Name, Role: u.Role, UnitID: u.UnitID, Teams: u.Teams}
}

// Options tune Execute.
type Options struct {
	// CheckVersion refuses a command whose base version is not the case's
	// (the server; the desk rebasing pending commands leaves it off).
	CheckVersion bool
	// Locate returns the grid holding a point (for cases registered at the desk).
	Locate func(lon, lat float64) string
	// Names resolves user and unit IDs for conflict messages (optional).
	UserName func(id string) string
	scope    Scope // the actor's scope for this command, set by Execute
}

// Spec is one command type: who may issue it within which scope, how its
// arguments are decoded and checked (once, before anything is read), and
// what it does.
type Spec struct {
	Type   string
	Grants []Grant
	// Grantable commands may be granted to more roles by an admin (setting
	// grant:<type>), within Scope Any.
	Grantable bool
	// Action is the workflow action a case command performs (the desk's
	// buttons), "" for the others.
	Action string

	decode func(domain.Command) (any, error)
	exec   func(tx *store.Tx, c domain.Command, args any, by Actor, opts Options) ([]domain.Ref, error)
}

// Roles lists the roles the registry lets issue the command.
func (s *Spec) Roles() []domain.Role {
	out := make([]domain.Role, len(s.Grants))
	for i, g := range s.Grants {
		out[i] = g.Role
	}
	return out
}

// ScopeOf returns the scope in which a role may issue the command; ok is
// false when it may not issue it at all. granted lists the roles an admin
// granted a grantable command.
func (s *Spec) ScopeOf(role domain.Role, granted []domain.Role) (Scope, bool) {
	for _, g := range s.Grants {
		if g.Role == role {
			return g.Scope, true
		}
	}
	if s.Grantable {
		for _, r := range granted {
			if r == role {
				return Any, true
			}
		}
	}
	return Any, false
}

// Allows reports whether a role may issue the command (in some scope),
// without grants.
func (s *Spec) Allows(role domain.Role) bool {
	_, ok := s.ScopeOf(role, nil)
	return ok
}

// def makes a Spec from typed decode and exec functions.
func def[A any](typ string, grants []Grant, action string,
	decode func(domain.Command) (A, error),
	exec func(*store.Tx, domain.Command, A, Actor, Options) ([]domain.Ref, error)) *Spec {
	return &Spec{Type: typ, Grants: grants, Action: action, Grantable: grantable[typ],
		decode: func(c domain.Command) (any, error) { return decode(c) },
		exec: func(tx *store.Tx, c domain.Command, a any, by Actor, o Options) ([]domain.Ref, error) {
			return exec(tx, c, a.(A), by, o)
		}}
}

// caseCmd is a case.* command: it performs one workflow action.
func caseCmd(typ, action string, grants ...Grant) *Spec {
	decode := func(c domain.Command) (CaseArgs, error) { return decodeCase(c, action) }
	exec := func(tx *store.Tx, c domain.Command, a CaseArgs, by Actor, o Options) ([]domain.Ref, error) {
		return executeCase(tx, c, action, a, by, o)
	}
	return def(typ, grants, action, decode, exec)
}

// grantable are the commands an admin may grant to more roles (setting
// grant:<type>): the registers' imports.
var grantable = map[string]bool{GridImport: true, EntityImport: true}

// The grants, role by role (DESIGN.md §3: authorization is the server's,
// one table; the README shows it).
var (
	duty   = []Grant{may(domain.RoleDutyOfficer, Any), may(domain.RoleAdmin, Any)}
	units  = []Grant{may(domain.RoleUnitMember, OwnUnit), may(domain.RoleDutyOfficer, Any), may(domain.RoleAdmin, Any)}
	leader = []Grant{may(domain.RoleTeamLeader, OwnTeam), may(domain.RoleAdmin, Any)}
	field  = []Grant{may(domain.RoleReporter, ServedGrids), may(domain.RoleTeamLeader, OwnTeam), may(domain.RoleAdmin, Any)}
	admin  = []Grant{may(domain.RoleAdmin, Any)}
)

// registry is every command type, in the order the API lists them: the
// role × command × scope table.
var registry = []*Spec{
	caseCmd(CaseRegister, workflow.Register, duty...),
	caseCmd(CaseReject, workflow.Reject, duty...),
	caseCmd(CaseDispatch, workflow.Dispatch, duty...),
	caseCmd(CaseAccept, workflow.Accept, units...),
	caseCmd(CaseReturn, workflow.Return, units...),
	caseCmd(CaseArrive, workflow.Arrive, units...),
	caseCmd(CaseFeedback, workflow.Feedback, units...),
	caseCmd(CaseHandle, workflow.Handle, units...),
	caseCmd(CaseVerify, workflow.Close, duty...),
	caseCmd(CaseClose, workflow.Close, duty...),
	caseCmd(CaseDefer, workflow.Defer, duty...),
	caseCmd(CaseResume, workflow.Resume, duty...),
	caseCmd(CaseEscalate, workflow.Escalate, duty...),
	caseCmd(CaseEvaluate, workflow.Evaluate, duty...),
	daily(CaseUrge, workflow.Urge, urge),
	daily(CaseSupervise, workflow.Supervise, supervise),
	daily(CaseMerge, workflow.Merge, merge),
	daily(CaseUnmerge, workflow.Unmerge, unmerge),
	daily(CaseCallback, workflow.Callback, callback),

	def(InspectionRecord, field, "", decodeRecord, record),
	def(InspectionReview, leader, "", decodeReview, review),
	def(HazardRectify, field, "", decodeRectify, rectify),
	def(PlanPublish, leader, "", decodePlan, publish),
	def(GridImport, admin, "", decodeImport, importRecords),
	def(EntityImport, admin, "", decodeImport, importRecords),
	def(SettingPut, admin, "", decodeSetting, putSetting),
	def(CatalogPut, admin, "", decodeCatalog, putCatalog),
	def(CategoryImport, admin, "", decodeCategories, importCategories),
}

var byType = func() map[string]*Spec {
	m := make(map[string]*Spec, len(registry))
	for _, s := range registry {
		if m[s.Type] != nil {
			panic("command: " + s.Type + " registered twice")
		}
		m[s.Type] = s
	}
	return m
}()

// Lookup returns the spec of a command type.
func Lookup(typ string) (*Spec, bool) {
	s, ok := byType[typ]
	return s, ok
}

// Specs lists every command type's spec, in the registry's order.
func Specs() []*Spec { return append([]*Spec(nil), registry...) }

// Types lists every command type, in the registry's order.
func Types() []string {
	out := make([]string, len(registry))
	for i, s := range registry {
		out[i] = s.Type
	}
	return out
}

// Allowed reports whether a role may issue a command type (without grants).
func Allowed(role domain.Role, typ string) bool {
	s, ok := Lookup(typ)
	return ok && s.Allows(role)
}

// ForAction returns the case command that performs a workflow action (for
// verify, the passing one: case.verify; case.close is the same action
// without a verification).
func ForAction(action string) (*Spec, bool) {
	for _, s := range registry {
		if s.Action == action {
			return s, true
		}
	}
	if action == workflow.VerifyFail {
		return Lookup(CaseVerify)
	}
	return nil, false
}

// Decoded is a command whose envelope and arguments have been checked.
type Decoded struct {
	domain.Command
	Spec *Spec
	Args any // the type's argument struct (CaseArgs, InspectionArgs …)
}

// Decode checks a command's envelope and decodes its arguments strictly
// (unknown fields and wrong types are errors naming the field), once: its
// Execute runs on what Decode found.
func Decode(c domain.Command) (Decoded, error) {
	if err := validateEnvelope(c); err != nil {
		return Decoded{}, err
	}
	s, _ := Lookup(c.Type)
	a, err := s.decode(c)
	if err != nil {
		return Decoded{}, err
	}
	return Decoded{Command: c, Spec: s, Args: a}, nil
}

// Execute applies the command in tx for by, within the scope the registry
// gives by's role, and returns the rows it wrote. A role that may not issue
// it, a target outside its scope and any other refusal return an *Error;
// the transaction must then not be committed.
func (d Decoded) Execute(tx *store.Tx, by Actor, opts Options) ([]domain.Ref, error) {
	var granted []domain.Role
	if d.Spec.Grantable {
		var err error
		if granted, err = grantedRoles(tx, d.Type); err != nil {
			return nil, err
		}
	}
	sc, ok := d.Spec.ScopeOf(by.Role, granted)
	if !ok {
		return nil, forbidden("role", map[string]string{"role": string(by.Role), "type": d.Type},
			"role %s may not issue %s", by.Role, d.Type)
	}
	opts.scope = sc
	return d.Spec.exec(tx, d.Command, d.Args, by, opts)
}

// Execute decodes c and applies it in tx (see Decoded.Execute).
func Execute(tx *store.Tx, c domain.Command, by Actor, opts Options) ([]domain.Ref, error) {
	d, err := Decode(c)
	if err != nil {
		return nil, err
	}
	return d.Execute(tx, by, opts)
}
