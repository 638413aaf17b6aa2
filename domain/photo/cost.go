package photo

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
)

// What decoding a photo costs, known from its header before any pixel is
// decoded. Go's decoders keep every pixel at once: a JPEG as its Y'CbCr
// planes (a progressive one also as a 16-bit coefficient per sample until
// its last scan), a PNG at its bit depth, a GIF frame as palette indices.
// A photo whose decoding would cost more than MaxDecode is refused: a
// 375 KB progressive 8000×8000 JPEG would cost about a gigabyte.

// MaxDecode is the most memory decoding one photo may take.
const MaxDecode = 256 << 20

// Cost estimates the bytes decoding a photo takes (pixels, decoder state
// and the thumbnail it is scaled into).
func Cost(data []byte) (int64, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return 0, fmt.Errorf("%w (%v)", ErrNotImage, err)
	}
	px := int64(cfg.Width) * int64(cfg.Height)
	var perPixel int64
	switch format {
	case "jpeg":
		comps, progressive := jpegFrame(data)
		perPixel = comps // Y'CbCr (or gray, CMYK) planes, 8 bits a sample
		if progressive {
			perPixel += 2 * comps // a 16-bit coefficient a sample until the last scan
		}
	case "png":
		perPixel = pngBytesPerPixel(cfg.ColorModel)
	case "gif":
		perPixel = 1 // the first frame's palette indices (the only one decoded)
	default:
		perPixel = 4
	}
	thumb := int64(RenditionSide * RenditionSide * 4)
	return px*perPixel + thumb, nil
}

// CheckCost refuses a photo whose decoding would cost more than MaxDecode
// and returns the cost otherwise.
func CheckCost(data []byte) (int64, error) {
	cost, err := Cost(data)
	if err != nil {
		return 0, err
	}
	if cost > MaxDecode {
		cfg, _, _ := image.DecodeConfig(bytes.NewReader(data))
		return cost, fmt.Errorf("%w: decoding %d×%d pixels would take %d MB, the limit is %d MB",
			ErrTooLarge, cfg.Width, cfg.Height, cost>>20, MaxDecode>>20)
	}
	return cost, nil
}

// pngBytesPerPixel is what Go's PNG decoder keeps a pixel in.
func pngBytesPerPixel(m color.Model) int64 {
	switch m {
	case color.GrayModel:
		return 1
	case color.Gray16Model:
		return 2
	case color.RGBAModel, color.NRGBAModel:
		return 4
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 8
}

// jpegFrame reads a JPEG's frame header: its component count and whether
// it is progressive (SOF2). Unreadable headers count as the costly case.
func jpegFrame(data []byte) (comps int64, progressive bool) {
	i := 2 // after SOI
	for i+4 <= len(data) {
		if data[i] != 0xff {
			return 4, true
		}
		marker := data[i+1]
		if marker == 0xff { // fill byte
			i++
			continue
		}
		if marker == 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker == 0x01 {
			i += 2
			continue
		}
		size := int(data[i+2])<<8 | int(data[i+3])
		switch marker {
		case 0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf: // SOFn
			if i+9 < len(data) {
				n := int64(data[i+9])
				return max(1, min(n, 4)), marker == 0xc2 || marker == 0xc6 || marker == 0xca || marker == 0xce
			}
			return 4, true
		}
		i += 2 + size
	}
	return 4, true
}
