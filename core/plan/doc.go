// Package plan plans a period's "inspect at most once" rounds 最多查一次
// (DESIGN.md §2): which entities each inspection team visits on which
// working day, in which order, with one merged checklist per visit, so that
// businesses are disturbed as little as possible and no department's
// required frequency is missed. It is plain Go over plain data (no Fyne,
// no store access), for a team leader's laptop.
//
// # Time
//
// An item with frequency F checked on day c is due on c+F: it must be
// checked again on or before that day. An item checked so long ago that it
// is already overdue when the period starts, or never checked, cannot be
// put right in the past; it is given one full interval from the eve of the
// period (Coverage.CatchUp, Coverage.Never) and comes first among visits
// due on the same day. Visits happen on working days of the team's
// calendar (clock.China by default: holidays 放假 off, make-up days 调休
// on), so a due date on a day off is met on the working day before it.
//
// # Baseline
//
// What each department would do alone: it visits every entity it has
// applicable items for, checking all its items each time, on the latest
// working day before the earliest of their due dates, so the next visit
// falls due one (minimum) interval later — the fewest visits a department
// alone needs. Each visit takes Options.VisitMinutes (5: "每条线1次，1次检查
// 5分钟") plus its items' minutes. Trips and kilometres assume a department
// goes out once a week per team area with that week's visits, in as many
// day-trips as its working time needs; their length is estimated by the
// Beardwood–Halton–Hammersley law (0.7124·√(nA) plus the legs from the
// base), scaled so that the same estimate matches the plan's own routed
// days.
//
// # Merging (三相一就)
//
// Same object, similar method and duration: one team visit per entity
// checks the items of every department whose method the team does
// (Options.JointMethods) and that are not much longer
// (Options.MaxItemMinutes). Key-domain items (CheckItem.KeyDomain: fire,
// gas, food, work safety …) follow Options.KeyDomain: under KeyJoint
// (Haining, the default) they join the visit only where two or more key
// departments share the entity — a joint key-domain visit (Stop.Joint) —
// while a key department alone at an entity keeps its own visits; under
// KeyMerge (Linpu's 综合查一次) the team checks them everywhere. General
// items join the visit everywhere (the union). Visits a department keeps
// are Plan.Separate; the team's items of that department ride on them, and
// such a department either leaves its other items to the team or keeps
// them, whichever needs fewer visits at that entity.
//
// Low-frequency items ride on high-frequency visits: a visit checks the
// items that set its due date and every item that would fall due before
// the entity's next regular visit, one visit interval later. The visit
// interval of an entity is the shortest of its items' frequencies and its
// colour code's (Options.Frequency: red 30, yellow 60, green 90 days;
// 倾斜性检查); a visit the colour code alone calls for checks everything.
//
// # Scheduling
//
// Each team's working days are planned in order. A day takes the visits
// the due dates force — earliest due date first, as many as keep every
// later due date within the working time left before it — and, up to the
// steadiest daily load that meets all due dates, the next most urgent
// visits (red entities as if due 5 days sooner, yellow 2), but only where
// taking a visit early costs no extra visit within the period. Visits are
// inserted where they add the least travel while the day's minutes (on
// site plus travel at the team's speed) fit its working time; the day is
// then ordered by route.Tour over great-circle metres from the team's
// base. A visit that cannot be paid by its due date — the days before it
// were full, or no working day lies between the last visit and the due
// date — is reported in Plan.Overflow with the reason, and paid on the
// first day with room.
//
// # Proof
//
// Plan.Coverage has one row per entity and applicable item: the planned
// check dates (team visits and separate ones) and the longest gap — from
// the last check (or the period's eve) to the first, between checks, and
// from the last to the day after the period — against the item's
// frequency. Plan.Verify re-derives all of it from the days and separate
// visits and also checks working days, daily minutes, kilometres, arrival
// times and totals; every gap over its frequency must be explained by an
// overflow entry of the entity. Generate verifies its own plan.
//
// # Editing
//
// MoveVisit, Reorder, Lock and Unlock change the days; Recompute re-routes
// the days whose stops changed (unless locked or ordered by hand), re-times
// and re-totals the plan, and returns Verify's verdict on the edited plan.
// A plan is plain data (JSON-ready); Bind attaches the input again to a
// plan read back from disk.
//
// # The demo town
//
// Linpu's demo town (seed.Town(1, …), 5,960 entities, 11 teams, the 28-item
// catalog of 8 departments, a quarter of history) over the second quarter
// of 2026 (61 working days), with the defaults:
//
//	                    baseline      merged   reduction
//	entity-visits 户次    32,985      18,548      43.8%
//	trips (crew-days)     1,279         788      38.4%
//	minutes             255,667     157,298      38.5%
//	km                    8,498       6,272      26.2%
//
// The merged plan is 16,522 team visits on 652 team-days and 2,026
// department visits kept alone (fire at the 2,026 entities where it is the
// only key department), with no overflow; 4,326 visits are joint key-domain
// visits. Under KeyMerge visits drop 49.8% and trips 49.5%; without the
// colour codes' extra visits, 44.8% and 38.3%.
//
// Haining's anchor is 24.05% fewer entity-visits and 15.07% fewer trips.
// Ours is larger because the demo catalog puts 4.65 departments on an
// average entity (fire and health everywhere, city appearance monthly on
// every shop, market, gas and fume on catering), so one visit replaces
// many; Haining's count covers all supervised entities, many of which only
// one or two departments inspect, and its departments already combined
// some inspections before 三相一就. Our baseline is also the most frugal a
// department could be (each visit exactly when due, no capacity limit),
// while the merged plan pays for colour-code visits of red and yellow
// entities and for levelling the load over working days. Trips fall less
// than visits, as in Haining: a merged visit takes longer on site, and a
// team goes out on nearly every working day (652 of its 671 team-days) to
// keep each visit within its due date, where a department's weekly round
// is counted in full days only as its minutes need.
package plan
