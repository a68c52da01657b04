// Package spire pins SPIRE's agent, whose "api fetch" and "api validate" commands the tests run against Signet's
// Workload API. It holds no code: go.mod's tool directive names the program, and the test builds it from there.
package spire
