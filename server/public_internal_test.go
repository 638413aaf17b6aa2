package server

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

// TestClientAddr: behind a trusted reverse proxy the public form's limits
// count the address the proxy forwarded; a client's own X-Forwarded-For
// counts for nothing.
func TestClientAddr(t *testing.T) {
	s := &Server{opts: Options{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}}}
	for _, tc := range []struct {
		name, peer, xff, want string
	}{
		{"direct", "203.0.113.7:5555", "", "203.0.113.7"},
		{"direct, forged header", "203.0.113.7:5555", "198.51.100.1", "203.0.113.7"},
		{"behind the proxy", "10.1.2.3:443", "198.51.100.1", "198.51.100.1"},
		{"client forged, proxy appended", "10.1.2.3:443", "1.2.3.4, 198.51.100.1", "198.51.100.1"},
		{"two proxies", "10.1.2.3:443", "198.51.100.1, 10.9.9.9", "198.51.100.1"},
		{"proxy over IPv6 loopback", "[::1]:443", "2001:db8::5", "2001:db8::5"},
		{"garbage from the proxy", "10.1.2.3:443", "not-an-address", "10.1.2.3"},
		{"proxy without header", "10.1.2.3:443", "", "10.1.2.3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/p/x", nil)
			r.RemoteAddr = tc.peer
			if tc.xff != "" {
				r.Header.Set("X-Forwarded-For", tc.xff)
			}
			if got := s.clientAddr(r); got != tc.want {
				t.Errorf("clientAddr = %q, want %q", got, tc.want)
			}
		})
	}
}
