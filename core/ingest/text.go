package ingest

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// Encodings a caller may name in Options.Encoding. "" (or "auto") detects.
const (
	EncodingAuto    = ""
	EncodingUTF8    = "utf-8"
	EncodingGBK     = "gbk" // decoded as GB18030, its superset
	EncodingUTF16LE = "utf-16le"
	EncodingUTF16BE = "utf-16be"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// parseEncoding normalises an encoding name.
func parseEncoding(name string) (string, error) {
	switch strings.ToLower(strings.NewReplacer("-", "", "_", "", " ", "").Replace(name)) {
	case "", "auto":
		return EncodingAuto, nil
	case "utf8", "utf8bom", "unicode(utf8)":
		return EncodingUTF8, nil
	case "gbk", "gb2312", "gb18030", "cp936", "936", "windows936", "简体中文":
		return EncodingGBK, nil
	case "utf16", "utf16le", "unicode":
		return EncodingUTF16LE, nil
	case "utf16be":
		return EncodingUTF16BE, nil
	}
	return "", fmt.Errorf("%w: encoding %q is not one of utf-8, gbk, utf-16le, utf-16be", ErrMapping, name)
}

// decodeText turns a file's bytes into UTF-8 text. With no encoding given
// it detects: a BOM says UTF-8 or UTF-16; else valid UTF-8 is UTF-8; else
// GB18030 (a superset of GBK, what Excel on Chinese Windows writes). Bytes
// that are valid in neither are an ErrFormat error naming the line. It
// returns the encoding used.
func decodeText(b []byte, enc string) (string, string, error) {
	enc, err := parseEncoding(enc)
	if err != nil {
		return "", "", err
	}
	if enc == EncodingAuto {
		switch {
		case bytes.HasPrefix(b, bomUTF8):
			enc = EncodingUTF8
		case bytes.HasPrefix(b, bomUTF16LE):
			enc = EncodingUTF16LE
		case bytes.HasPrefix(b, bomUTF16BE):
			enc = EncodingUTF16BE
		case utf8.Valid(b):
			enc = EncodingUTF8
		default:
			enc = EncodingGBK
		}
	}
	var text string
	switch enc {
	case EncodingUTF8:
		b = bytes.TrimPrefix(b, bomUTF8)
		if !utf8.Valid(b) {
			off := invalidUTF8(b)
			return "", enc, fmt.Errorf("%w: line %d: byte %#02x is not UTF-8 (is the file GBK? choose that encoding)",
				ErrFormat, lineAt(b, off), b[off])
		}
		text = string(b)
	case EncodingGBK:
		text, err = decodeWith(simplifiedchinese.GB18030, b)
		if err != nil {
			return "", enc, fmt.Errorf("%w: not GBK text: %w", ErrFormat, err)
		}
		if i := strings.IndexRune(text, utf8.RuneError); i >= 0 {
			return "", enc, fmt.Errorf("%w: line %d: bytes that are neither UTF-8 nor GBK (save the file as UTF-8)",
				ErrFormat, strings.Count(text[:i], "\n")+1)
		}
	case EncodingUTF16LE, EncodingUTF16BE:
		order := unicode.LittleEndian
		if enc == EncodingUTF16BE {
			order = unicode.BigEndian
		}
		if len(b)%2 != 0 {
			return "", enc, fmt.Errorf("%w: odd number of bytes for UTF-16 text (truncated?)", ErrFormat)
		}
		text, err = decodeWith(unicode.UTF16(order, unicode.ExpectBOM), b)
		if err != nil {
			// no BOM: decode without one
			text, err = decodeWith(unicode.UTF16(order, unicode.IgnoreBOM), b)
		}
		if err != nil {
			return "", enc, fmt.Errorf("%w: not UTF-16 text: %w", ErrFormat, err)
		}
		text = strings.TrimPrefix(text, "\uFEFF")
	}
	return text, enc, nil
}

func decodeWith(e encoding.Encoding, b []byte) (string, error) {
	out, err := e.NewDecoder().Bytes(b)
	return string(out), err
}

// invalidUTF8 returns the offset of the first byte that is not UTF-8.
func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// lineAt is the 1-based line of offset off.
func lineAt(b []byte, off int) int {
	return bytes.Count(b[:off], []byte("\n")) + 1
}
