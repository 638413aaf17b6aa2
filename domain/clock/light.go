package clock

// Light is a clock's colour, ordered from harmless to worst.
type Light int

// Lights. LightNone is a clock not lit yet (135 in its first day) or not
// running.
const (
	LightNone Light = iota
	LightGreen
	LightYellow
	LightRed
)

// String returns "none", "green", "yellow" or "red".
func (l Light) String() string {
	switch l {
	case LightGreen:
		return "green"
	case LightYellow:
		return "yellow"
	case LightRed:
		return "red"
	}
	return "none"
}
