package colorcode

import (
	"testing"
	"time"
)

func TestFrequency(t *testing.T) {
	const day = 24 * time.Hour
	custom := FrequencyPolicy{Red: 14 * day, Yellow: 45 * day, Green: 180 * day}
	partial := FrequencyPolicy{Yellow: 40 * day, Green: -day}
	tests := []struct {
		name string
		c    Code
		p    FrequencyPolicy
		want time.Duration
	}{
		{"default red monthly", Red, DefaultFrequency(), 30 * day},
		{"default yellow two months", Yellow, DefaultFrequency(), 60 * day},
		{"default green quarterly", Green, DefaultFrequency(), 90 * day},
		{"custom red", Red, custom, 14 * day},
		{"custom yellow", Yellow, custom, 45 * day},
		{"custom green", Green, custom, 180 * day},
		{"zero policy falls back", Green, FrequencyPolicy{}, 90 * day},
		{"partial: set field used", Yellow, partial, 40 * day},
		{"partial: zero field default", Red, partial, 30 * day},
		{"partial: negative field default", Green, partial, 90 * day},
		{"invalid code inspected like red", "", custom, 14 * day},
		{"unknown code inspected like red", "blue", DefaultFrequency(), 30 * day},
	}
	for _, tt := range tests {
		if got := Frequency(tt.c, tt.p); got != tt.want {
			t.Errorf("%s: Frequency(%q) = %v, want %v", tt.name, tt.c, got, tt.want)
		}
	}
}

func TestNextDue(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	last := time.Date(2024, 1, 15, 10, 30, 0, 0, cst)
	tests := []struct {
		c    Code
		want time.Time
	}{
		{Red, time.Date(2024, 2, 14, 10, 30, 0, 0, cst)},
		{Yellow, time.Date(2024, 3, 15, 10, 30, 0, 0, cst)}, // 2024 is a leap year
		{Green, time.Date(2024, 4, 14, 10, 30, 0, 0, cst)},
	}
	for _, tt := range tests {
		if got := NextDue(tt.c, last, DefaultFrequency()); !got.Equal(tt.want) {
			t.Errorf("NextDue(%q, %v) = %v, want %v", tt.c, last, got, tt.want)
		}
	}
	if due := NextDue(Green, time.Time{}, DefaultFrequency()); !due.Before(last) {
		t.Errorf("NextDue for a never-inspected entity = %v, want it overdue", due)
	}
}
