package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spiffe/go-spiffe/v2/bundle/jwtbundle"
	"github.com/spiffe/go-spiffe/v2/svid/jwtsvid"
	"github.com/spiffe/go-spiffe/v2/workloadapi"
)

// jwt fetches a JWT-SVID for audience, has the agent validate it (ValidateJWTSVID), and validates it again offline
// against the JWT bundles the Workload API streams (jwtsvid.ParseAndValidate); a token for another audience must fail.
func jwt(socket, audience string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	addr := workloadapi.WithAddr(socket)
	svid, err := workloadapi.FetchJWTSVID(ctx, jwtsvid.Params{Audience: audience}, addr)
	if err != nil {
		return fmt.Errorf("FetchJWTSVID: %w", err)
	}
	token := svid.Marshal()
	byAgent, err := workloadapi.ValidateJWTSVID(ctx, token, audience, addr)
	if err != nil {
		return fmt.Errorf("ValidateJWTSVID: %w", err)
	}
	bundles, err := workloadapi.FetchJWTBundles(ctx, addr)
	if err != nil {
		return fmt.Errorf("FetchJWTBundles: %w", err)
	}
	offline, err := jwtsvid.ParseAndValidate(token, bundles, []string{audience})
	if err != nil {
		return fmt.Errorf("ParseAndValidate: %w", err)
	}
	if _, err := jwtsvid.ParseAndValidate(token, bundles, []string{audience + "-other"}); err == nil {
		return fmt.Errorf("the token validated for an audience it does not name")
	}
	if _, err := workloadapi.ValidateJWTSVID(ctx, token, audience+"-other", addr); err == nil {
		return fmt.Errorf("the agent validated the token for an audience it does not name")
	}
	fmt.Printf("jwt-svid %s for %s, %s left, validated by the agent (%s) and offline (%s)\n",
		svid.ID, audience, time.Until(svid.Expiry).Round(time.Minute), byAgent.ID, offline.ID)
	return nil
}

// jwtloop fetches a JWT-SVID from one agent every interval and has it validated by another workload: offline with
// that workload's JWT bundles (a JWTSource, which follows the stream) and by its agent; "ok N failed M kids K".
func jwtloop(from, validator, audience, every, stop string) error {
	interval, err := strconv.Atoi(every)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	bundles, err := workloadapi.NewJWTSource(ctx, workloadapi.WithClientOptions(workloadapi.WithAddr(validator)))
	if err != nil {
		return err
	}
	defer bundles.Close()
	client, err := workloadapi.New(context.Background(), workloadapi.WithAddr(from))
	if err != nil {
		return err
	}
	defer client.Close()
	validating, err := workloadapi.New(context.Background(), workloadapi.WithAddr(validator))
	if err != nil {
		return err
	}
	defer validating.Close()
	ok, failed := 0, 0
	kids := map[string]bool{}
	var last error
	for {
		if _, err := os.Stat(stop); err == nil {
			break
		}
		if kid, err := validateOnce(client, validating, bundles, audience); err != nil {
			failed++
			last = err
		} else {
			ok++
			kids[kid] = true
		}
		time.Sleep(time.Duration(interval) * time.Millisecond)
	}
	if last != nil {
		fmt.Printf("last failure: %v\n", last)
	}
	fmt.Printf("ok %d failed %d kids %d\n", ok, failed, len(kids))
	return nil
}

func validateOnce(client, validating *workloadapi.Client, bundles jwtbundle.Source, audience string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	svid, err := client.FetchJWTSVID(ctx, jwtsvid.Params{Audience: audience})
	if err != nil {
		return "", fmt.Errorf("fetch: %w", err)
	}
	token := svid.Marshal()
	if _, err := jwtsvid.ParseAndValidate(token, bundles, []string{audience}); err != nil {
		return "", fmt.Errorf("offline: %w", err)
	}
	if _, err := validating.ValidateJWTSVID(ctx, token, audience); err != nil {
		return "", fmt.Errorf("by the agent: %w", err)
	}
	return kidOf(token)
}

// kidOf reads the key id from the token's header, to count the keys a run saw sign.
func kidOf(token string) (string, error) {
	header, err := base64.RawURLEncoding.DecodeString(strings.SplitN(token, ".", 2)[0])
	if err != nil {
		return "", err
	}
	var fields struct {
		Kid string `json:"kid"`
	}
	if err := json.Unmarshal(header, &fields); err != nil {
		return "", err
	}
	return fields.Kid, nil
}

// watch prints each X.509 context and each JWT bundle set the Workload API streams, until stop exists:
// "x509 serial S roots N" and "jwt keys N".
func watch(socket, stop string) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	print := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Printf(format+"\n", args...)
	}
	client, err := workloadapi.New(ctx, workloadapi.WithAddr(socket))
	if err != nil {
		return err
	}
	defer client.Close()
	go func() {
		_ = client.WatchX509Context(ctx, x509Watcher{print})
	}()
	go func() {
		_ = client.WatchJWTBundles(ctx, jwtWatcher{print})
	}()
	for {
		if _, err := os.Stat(stop); err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type x509Watcher struct{ print func(string, ...any) }

func (w x509Watcher) OnX509ContextUpdate(c *workloadapi.X509Context) {
	svid := c.DefaultSVID()
	bundle, err := c.Bundles.GetX509BundleForTrustDomain(svid.ID.TrustDomain())
	if err != nil {
		w.print("x509 error %v", err)
		return
	}
	w.print("x509 serial %x roots %d", svid.Certificates[0].SerialNumber, len(bundle.X509Authorities()))
}

func (w x509Watcher) OnX509ContextWatchError(err error) {
	w.print("x509 watch error %v", err)
}

type jwtWatcher struct{ print func(string, ...any) }

func (w jwtWatcher) OnJWTBundlesUpdate(set *jwtbundle.Set) {
	keys := 0
	for _, bundle := range set.Bundles() {
		keys += len(bundle.JWTAuthorities())
	}
	w.print("jwt keys %d", keys)
}

func (w jwtWatcher) OnJWTBundlesWatchError(err error) {
	w.print("jwt watch error %v", err)
}
