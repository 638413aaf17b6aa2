package command

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"griddesk/domain"
)

// Canonical returns a command id's canonical spelling (a lower-case UUID),
// so that upper- and lower-case spellings are one command; an id that is
// no UUID is returned as it is, for Decode to refuse.
func Canonical(id string) string {
	if u, err := uuid.Parse(id); err == nil && len(id) == 36 {
		return u.String()
	}
	return id
}

// Digest is a command's content: its type, arguments (insignificant white
// space aside), base version and issue time. The server binds a command's
// id to it: the same id with another digest is another command.
func Digest(c domain.Command) string {
	h := sha256.New()
	h.Write([]byte(c.Type + "\n"))
	var args bytes.Buffer
	if json.Compact(&args, c.Args) == nil {
		h.Write(args.Bytes())
	} else {
		h.Write(c.Args)
	}
	h.Write([]byte("\n" + strconv.FormatInt(c.BaseVersion, 10) + "\n" + strconv.FormatInt(c.IssuedAt.UnixMilli(), 10)))
	return hex.EncodeToString(h.Sum(nil))
}

// summaryHead is how many bytes of a refused command's arguments the audit
// log keeps.
const summaryHead = 256

// Summary stands for the arguments of a refused command in the audit log:
// their size, hash and first bytes, never their bulk, so a refused command
// costs the server a few hundred bytes however large it was.
func Summary(args []byte) json.RawMessage {
	head := args[:min(len(args), summaryHead)]
	for len(head) > 0 && !utf8.Valid(head) { // cut at a character boundary
		head = head[:len(head)-1]
	}
	sum := sha256.Sum256(args)
	out, _ := json.Marshal(struct {
		Bytes  int    `json:"bytes"`
		SHA256 string `json:"sha256"`
		Head   string `json:"head"`
	}{len(args), hex.EncodeToString(sum[:]), strings.ToValidUTF8(string(head), "")})
	return out
}
