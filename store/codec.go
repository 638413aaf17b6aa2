package store

import (
	"encoding/json"
	"time"
)

// ms converts a time to unix milliseconds; the zero time is 0.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS converts unix milliseconds back; 0 is the zero time.
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v)
}

// jsonText encodes a list column; nil slices become "[]".
func jsonText[T any](v []T) string {
	if v == nil {
		return "[]"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "[]" // slices of plain structs and strings cannot fail to encode
	}
	return string(b)
}

// fromJSONText decodes a list column.
func fromJSONText[T any](s string) ([]T, error) {
	var v []T
	if s == "" || s == "[]" {
		return nil, nil
	}
	err := json.Unmarshal([]byte(s), &v)
	return v, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// jsonObject encodes an optional object column; nil becomes "".
func jsonObject[T any](v *T) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "" // plain structs cannot fail to encode
	}
	return string(b)
}

// fromJSONObject decodes an optional object column ("" is nil).
func fromJSONObject[T any](s string) (*T, error) {
	if s == "" || s == "null" {
		return nil, nil
	}
	v := new(T)
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return nil, err
	}
	return v, nil
}
