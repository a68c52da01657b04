// spiffecheck reads what Signet publishes with go-spiffe, the SPIFFE project's Go library:
//
//	spiffecheck bundle TRUST_DOMAIN BUNDLE.json        parses a SPIFFE bundle (spiffebundle.Parse)
//	spiffecheck svid TRUST_DOMAIN BUNDLE.json CHAIN.pem  verifies an X509-SVID chain against it (x509svid.Verify)
//	spiffecheck x509 SOCKET                           fetches the X.509 context from a Workload API and verifies it
//	spiffecheck serve SOCKET PORT CLIENT_ID           an mTLS echo server (spiffetls) with Workload API identities
//	spiffecheck loop SOCKET ADDR SERVER_ID EVERY_MS STOP_FILE
//	                                                  calls the server until STOP_FILE exists; "ok N failed M"
//	spiffecheck jwt SOCKET AUDIENCE                   fetches a JWT-SVID, validates it by the agent and offline
//	spiffecheck jwtloop FROM VALIDATOR AUDIENCE EVERY_MS STOP_FILE
//	                                                  JWT-SVIDs of FROM validated by VALIDATOR's workload until
//	                                                  STOP_FILE exists; "ok N failed M kids K"
//	spiffecheck watch SOCKET STOP_FILE                prints each X.509 context and JWT bundle update
//
// It prints what it found, or the library's error and exits 1.
package main

import (
	"bufio"
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/spiffe/go-spiffe/v2/bundle/spiffebundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"github.com/spiffe/go-spiffe/v2/spiffetls"
	"github.com/spiffe/go-spiffe/v2/spiffetls/tlsconfig"
	"github.com/spiffe/go-spiffe/v2/svid/x509svid"
	"github.com/spiffe/go-spiffe/v2/workloadapi"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "spiffecheck:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) >= 2 && args[0] == "x509" {
		return fetch(args[1])
	}
	if len(args) == 4 && args[0] == "serve" {
		return serve(args[1], args[2], args[3])
	}
	if len(args) == 6 && args[0] == "loop" {
		return loop(args[1], args[2], args[3], args[4], args[5])
	}
	if len(args) == 3 && args[0] == "jwt" {
		return jwt(args[1], args[2])
	}
	if len(args) == 6 && args[0] == "jwtloop" {
		return jwtloop(args[1], args[2], args[3], args[4], args[5])
	}
	if len(args) == 3 && args[0] == "watch" {
		return watch(args[1], args[2])
	}
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
		fmt.Printf("x509 authorities: %d, jwt authorities: %d, sequence: %d, refresh hint: %s\n",
			len(bundle.X509Authorities()), len(bundle.JWTAuthorities()), sequence, hint)
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

func fetch(socket string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	x509Context, err := workloadapi.FetchX509Context(ctx, workloadapi.WithAddr(socket))
	if err != nil {
		return err
	}
	svid := x509Context.DefaultSVID()
	bundle, err := x509Context.Bundles.GetX509BundleForTrustDomain(svid.ID.TrustDomain())
	if err != nil {
		return err
	}
	if _, _, err := x509svid.Verify(svid.Certificates, x509Context.Bundles); err != nil {
		return fmt.Errorf("the SVID does not verify against the bundle it came with: %w", err)
	}
	fmt.Printf("svid %s, %d certificates, bundle of %d roots, verified\n", svid.ID, len(svid.Certificates), len(bundle.X509Authorities()))
	return nil
}

func source(socket string) (*workloadapi.X509Source, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return workloadapi.NewX509Source(ctx, workloadapi.WithClientOptions(workloadapi.WithAddr(socket)))
}

func serve(socket, port, client string) error {
	id, err := spiffeid.FromString(client)
	if err != nil {
		return err
	}
	x509Source, err := source(socket)
	if err != nil {
		return err
	}
	defer x509Source.Close()
	listener, err := spiffetls.ListenWithMode(context.Background(), "tcp", "127.0.0.1:"+port,
		spiffetls.MTLSServerWithSource(tlsconfig.AuthorizeID(id), x509Source))
	if err != nil {
		return err
	}
	fmt.Printf("listening on %v\n", listener.Addr())
	for {
		conn, err := listener.Accept()
		if err != nil {
			return err
		}
		go func(conn net.Conn) {
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
			line, err := bufio.NewReader(conn).ReadString('\n')
			if err != nil {
				return
			}
			peer, _ := spiffetls.PeerIDFromConn(conn)
			fmt.Fprintf(conn, "%s from %s\n", line[:len(line)-1], peer)
		}(conn)
	}
}

func loop(socket, addr, server, every, stop string) error {
	id, err := spiffeid.FromString(server)
	if err != nil {
		return err
	}
	interval, err := time.ParseDuration(every + "ms")
	if err != nil {
		return err
	}
	x509Source, err := source(socket)
	if err != nil {
		return err
	}
	defer x509Source.Close()
	ok, failed := 0, 0
	for {
		if _, err := os.Stat(stop); err == nil {
			break
		}
		if err := call(x509Source, addr, id); err != nil {
			failed++
			fmt.Printf("FAIL %v\n", err)
		} else {
			ok++
		}
		time.Sleep(interval)
	}
	fmt.Printf("ok %d failed %d\n", ok, failed)
	return nil
}

func call(x509Source *workloadapi.X509Source, addr string, server spiffeid.ID) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := spiffetls.DialWithMode(ctx, "tcp", addr, spiffetls.MTLSClientWithSource(tlsconfig.AuthorizeID(server), x509Source))
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := fmt.Fprintf(conn, "ping\n"); err != nil {
		return err
	}
	answer, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if answer[:4] != "ping" {
		return fmt.Errorf("answer %q", answer)
	}
	return nil
}
