/** End-to-end tests: the built {@code bin/signet} and real peers (openssl now; TLS, gRPC xDS, kube-apiserver later). */
package dev.signet.e2e;
