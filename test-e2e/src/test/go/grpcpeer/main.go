// Command grpcpeer is the demo's payments service and its caller written with gRPC-Go's xDS support, as a Go user
// writes them: the server binds ":PORT" with xds.NewGRPCServer, the client dials "xds:///payments.shop:PORT"; both
// take their configuration and certificates from the bootstrap GRPC_XDS_BOOTSTRAP names (signet agent --workload).
//
//	grpcpeer serve PORT                 serves payments.Payments (Charge, Refund) until killed
//	grpcpeer call TARGET METHOD BODY    one call; prints OK <answer> or the status code and message, exit 0 either way
//
// Bodies are plain UTF-8 bytes, as the Java workloads send them.
package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	xdscreds "google.golang.org/grpc/credentials/xds"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/xds"
	"google.golang.org/protobuf/proto"
)

// bytesCodec carries raw message bodies, and protobuf messages (the xDS client's) as the proto codec would.
type bytesCodec struct{}

type body []byte

func (bytesCodec) Marshal(v any) ([]byte, error) {
	if b, ok := v.(*body); ok {
		return *b, nil
	}
	return proto.Marshal(v.(proto.Message))
}

func (bytesCodec) Unmarshal(data []byte, v any) error {
	if b, ok := v.(*body); ok {
		*b = append((*b)[:0], data...)
		return nil
	}
	return proto.Unmarshal(data, v.(proto.Message))
}

func (bytesCodec) Name() string { return "proto" }

func main() {
	encoding.RegisterCodec(bytesCodec{})
	if len(os.Args) >= 3 && os.Args[1] == "serve" {
		serve(os.Args[2])
		return
	}
	if len(os.Args) == 5 && os.Args[1] == "call" {
		call(os.Args[2], os.Args[3], os.Args[4])
		return
	}
	if len(os.Args) == 6 && os.Args[1] == "loop" {
		loop(os.Args[2], os.Args[3], os.Args[4], os.Args[5])
		return
	}
	fmt.Fprintln(os.Stderr, "usage: grpcpeer serve PORT | grpcpeer call TARGET METHOD BODY | grpcpeer loop TARGET METHOD EVERY_MS STOP_FILE")
	os.Exit(2)
}

func handler(prefix string) grpc.MethodHandler {
	return func(_ any, ctx context.Context, decode func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
		var in body
		if err := decode(&in); err != nil {
			return nil, err
		}
		out := body(prefix + string(in))
		return &out, nil
	}
}

func serve(port string) {
	creds, err := xdscreds.NewServerCredentials(xdscreds.ServerOptions{FallbackCreds: insecure.NewCredentials()})
	if err != nil {
		fail(err)
	}
	server, err := xds.NewGRPCServer(grpc.Creds(creds), xds.ServingModeCallback(func(addr net.Addr, args xds.ServingModeChangeArgs) {
		fmt.Printf("serving mode %v on %v (%v)\n", args.Mode, addr, args.Err)
	}))
	if err != nil {
		fail(err)
	}
	server.RegisterService(&grpc.ServiceDesc{
		ServiceName: "payments.Payments",
		HandlerType: (*any)(nil),
		Methods: []grpc.MethodDesc{
			{MethodName: "Charge", Handler: handler("charged ")},
			{MethodName: "Refund", Handler: handler("refunded ")},
		},
	}, struct{}{})
	listener, err := net.Listen("tcp", ":"+port)
	if err != nil {
		fail(err)
	}
	fmt.Printf("listening on %v\n", listener.Addr())
	if err := server.Serve(listener); err != nil {
		fail(err)
	}
}

// dial opens an xDS channel to TARGET with the security the control plane configures.
func dial(target string) *grpc.ClientConn {
	creds, err := xdscreds.NewClientCredentials(xdscreds.ClientOptions{FallbackCreds: insecure.NewCredentials()})
	if err != nil {
		fail(err)
	}
	conn, err := grpc.NewClient("xds:///"+target, grpc.WithTransportCredentials(creds))
	if err != nil {
		fail(err)
	}
	return conn
}

func call(target, method, text string) {
	conn := dial(target)
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	in := body(text)
	var out body
	if err := conn.Invoke(ctx, "/payments.Payments/"+method, &in, &out); err != nil {
		fmt.Printf("%v %s\n", status.Code(err), status.Convert(err).Message())
		return
	}
	fmt.Printf("OK %s\n", string(out))
}

// loop calls METHOD on one channel every EVERY_MS until STOP_FILE exists, as a long-lived client does, printing each
// failure and at the end "ok N failed M".
func loop(target, method, every, stop string) {
	interval, err := time.ParseDuration(every + "ms")
	if err != nil {
		fail(err)
	}
	conn := dial(target)
	defer conn.Close()
	ok, failed := 0, 0
	for {
		if _, err := os.Stat(stop); err == nil {
			break
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		in := body("1 EUR")
		var out body
		// Waiting for ready: a call made while the channel connects waits, one that meets an outage still fails.
		if err := conn.Invoke(ctx, "/payments.Payments/"+method, &in, &out, grpc.WaitForReady(true)); err != nil {
			failed++
			fmt.Printf("FAIL %v %s\n", status.Code(err), status.Convert(err).Message())
		} else {
			ok++
		}
		cancel()
		time.Sleep(interval)
	}
	fmt.Printf("ok %d failed %d\n", ok, failed)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "grpcpeer:", err)
	os.Exit(1)
}
