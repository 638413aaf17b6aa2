package server

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"griddesk/domain"
)

// TestChangesEncoding: the feed's own encoder writes what encoding/json
// would (but for the HTML escapes of <, > and & inside a row's data, which
// the journal's rows have already: json.Marshal wrote them).
func TestChangesEncoding(t *testing.T) {
	for _, r := range []ChangesResponse{
		{Changes: []domain.Change{}, LastSeq: 7, ServerID: "abc"},
		{Changes: []domain.Change{
			{Seq: 1, Kind: domain.KindCase, ID: `K"1</script>`, Op: domain.OpUpsert, Data: json.RawMessage(`{"title":"井盖 <缺失> & \"x\""}`)},
			{Seq: 2, Kind: domain.KindUnit, ID: "u", Op: domain.OpDelete, Data: json.RawMessage(`null`)},
		}, LastSeq: 2, More: true, ServerID: "abc"},
	} {
		var want, got bytes.Buffer
		if err := json.NewEncoder(&want).Encode(r); err != nil {
			t.Fatal(err)
		}
		r.encode(&got)
		var a, b any
		if err := json.Unmarshal(got.Bytes(), &a); err != nil {
			t.Fatalf("encode wrote bad JSON %s: %v", got.String(), err)
		}
		json.Unmarshal(want.Bytes(), &b)
		if !reflect.DeepEqual(a, b) || got.Bytes()[got.Len()-1] != '\n' {
			t.Errorf("encode:\n got %s\nwant %s", got.String(), want.String())
		}
	}
}
