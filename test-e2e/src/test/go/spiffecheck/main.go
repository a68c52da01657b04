// spiffecheck reads what Signet publishes with go-spiffe, the SPIFFE project's Go library:
//
//	spiffecheck bundle TRUST_DOMAIN BUNDLE.json        parses a SPIFFE bundle (spiffebundle.Parse)
//	spiffecheck svid TRUST_DOMAIN BUNDLE.json CHAIN.pem  verifies an X509-SVID chain against it (x509svid.Verify)
//
// It prints what it found, or the library's error and exits 1.
package main

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"

	"github.com/spiffe/go-spiffe/v2/bundle/spiffebundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"github.com/spiffe/go-spiffe/v2/svid/x509svid"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "spiffecheck:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) < 3 {
		return fmt.Errorf("usage: spiffecheck bundle TD BUNDLE.json | svid TD BUNDLE.json CHAIN.pem")
	}
	td, err := spiffeid.TrustDomainFromString(args[1])
	if err != nil {
		return err
	}
	raw, err := os.ReadFile(args[2])
	if err != nil {
		return err
	}
	bundle, err := spiffebundle.Parse(td, raw)
	if err != nil {
		return err
	}
	switch args[0] {
	case "bundle":
		sequence, _ := bundle.SequenceNumber()
		hint, _ := bundle.RefreshHint()
		fmt.Printf("x509 authorities: %d, sequence: %d, refresh hint: %s\n", len(bundle.X509Authorities()), sequence, hint)
		return nil
	case "svid":
		if len(args) < 4 {
			return fmt.Errorf("svid needs CHAIN.pem")
		}
		chain, err := certificates(args[3])
		if err != nil {
			return err
		}
		id, _, err := x509svid.Verify(chain, bundle)
		if err != nil {
			return err
		}
		fmt.Printf("verified: %s\n", id)
		return nil
	}
	return fmt.Errorf("unknown command %q", args[0])
}

func certificates(path string) ([]*x509.Certificate, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []*x509.Certificate
	for {
		var block *pem.Block
		block, raw = pem.Decode(raw)
		if block == nil {
			break
		}
		certificate, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, certificate)
	}
	return out, nil
}
