package colorcode

import "time"

const day = 24 * time.Hour

// FrequencyPolicy is the interval between routine inspections for each code
// (倾斜性检查: the worse the code, the more often). A zero or negative field
// means the default for that code.
type FrequencyPolicy struct {
	Red, Yellow, Green time.Duration
}

// DefaultFrequency returns the default policy: red monthly (30 days), yellow
// every two months (60 days), green quarterly (90 days).
func DefaultFrequency() FrequencyPolicy {
	return FrequencyPolicy{Red: 30 * day, Yellow: 60 * day, Green: 90 * day}
}

// Frequency returns the inspection interval for code c under p. An invalid
// code (an entity not graded yet) gets the red interval: it is inspected as
// soon as the riskiest entities.
func Frequency(c Code, p FrequencyPolicy) time.Duration {
	def := DefaultFrequency()
	pick := func(v, fallback time.Duration) time.Duration {
		if v > 0 {
			return v
		}
		return fallback
	}
	switch c {
	case Green:
		return pick(p.Green, def.Green)
	case Yellow:
		return pick(p.Yellow, def.Yellow)
	}
	return pick(p.Red, def.Red)
}

// NextDue returns when an entity with code c, last inspected at last, is due
// for its next routine inspection under p. For a never-inspected entity
// (zero last) the result lies in year 1, that is, overdue.
func NextDue(c Code, last time.Time, p FrequencyPolicy) time.Time {
	return last.Add(Frequency(c, p))
}
