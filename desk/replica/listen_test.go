package replica_test

import (
	"net"
	"net/url"
)

func netListen(raw string) (net.Listener, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	return net.Listen("tcp", u.Host)
}
