// kstatus judges live objects the way Flux's health checks and kubectl-based CI waits do, with the upstream library
// (sigs.k8s.io/cli-utils/pkg/kstatus/status):
//
//	kubectl get KIND -o json | kstatus
//
// prints one line per object, "KIND/NAME STATUS: MESSAGE".
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

func main() {
	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	var document map[string]interface{}
	if err := json.Unmarshal(raw, &document); err != nil {
		fail(err)
	}
	items := []interface{}{document}
	if list, ok := document["items"].([]interface{}); ok {
		items = list
	}
	for _, item := range items {
		object := &unstructured.Unstructured{Object: item.(map[string]interface{})}
		result, err := status.Compute(object)
		if err != nil {
			fail(err)
		}
		fmt.Printf("%s/%s %s: %s\n", object.GetKind(), object.GetName(), result.Status, result.Message)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "kstatus:", err)
	os.Exit(1)
}
