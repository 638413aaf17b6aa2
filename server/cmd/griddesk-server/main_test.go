package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"griddesk/store/storetest"
)

// The command's tests run on SQLite and on PostgreSQL.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// TestServesTLS starts the real command with -tls-cert/-tls-key and talks
// to it over HTTPS with the certificate as the only root.
func TestServesTLS(t *testing.T) {
	dir := t.TempDir()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	certPath, keyPath := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	kb, _ := x509.MarshalECPrivateKey(key)
	os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)

	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	done := make(chan error, 1)
	db := storetest.DSN(t)
	go func() {
		done <- run(ctx, []string{"-addr", addr, "-db", db, "-seed", "none", "-tls-cert", certPath, "-tls-key", keyPath}, &out)
	}()
	pool := x509.NewCertPool()
	pool.AddCert(mustParse(t, der))
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	var resp *http.Response
	for i := 0; i < 100; i++ {
		if resp, err = client.Get("https://" + addr + "/healthz"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("https: %v", err)
	}
	var h map[string]any
	json.NewDecoder(resp.Body).Decode(&h)
	resp.Body.Close()
	if resp.TLS == nil || h["status"] != "ok" {
		t.Fatalf("healthz over TLS: %v %v", resp.TLS != nil, h)
	}
	if r, err := http.Get("http://" + addr + "/healthz"); err == nil {
		r.Body.Close()
		if r.StatusCode != http.StatusBadRequest { // Go's TLS server refuses plain HTTP with a 400
			t.Errorf("plain HTTP on the TLS port answered %d", r.StatusCode)
		}
	}
	if !strings.Contains(out.String(), "admin password (shown once):") {
		t.Errorf("no admin password printed on first start: %q", out.String())
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if err := run(context.Background(), []string{"-tls-cert", certPath}, &out); err == nil {
		t.Error("-tls-cert without -tls-key was accepted")
	}
}

func mustParse(t *testing.T, der []byte) *x509.Certificate {
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
