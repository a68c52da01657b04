// gitops judges live objects the way GitOps tools do, with their own libraries, reading "kubectl get ... -o json":
//
//	gitops kstatus                                   upstream kstatus (sigs.k8s.io/cli-utils/pkg/kstatus/status), what
//	                                                 Flux's health checks and kubectl-based CI waits use:
//	                                                 "KIND/NAME STATUS: MESSAGE"
//	gitops health ARGOCD_CM.yaml FLUX_KUSTOMIZATION.yaml
//	                                                 the health checks Signet ships, run as the tools run them: the Argo
//	                                                 CD Lua with gopher-lua (the Lua 5.1 engine Argo CD embeds), the Flux
//	                                                 healthCheckExprs with cel-go:
//	                                                 "KIND/NAME argocd=STATUS flux=STATUS: MESSAGE"
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/google/cel-go/cel"
	lua "github.com/yuin/gopher-lua"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/yaml"
)

type fluxCheck struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Current    string `json:"current"`
	InProgress string `json:"inProgress"`
	Failed     string `json:"failed"`
}

func main() {
	switch {
	case len(os.Args) == 2 && os.Args[1] == "kstatus":
		for _, object := range objects() {
			judged := &unstructured.Unstructured{Object: object}
			result, err := status.Compute(judged)
			if err != nil {
				fail(err)
			}
			fmt.Printf("%s/%s %s: %s\n", judged.GetKind(), judged.GetName(), result.Status, result.Message)
		}
	case len(os.Args) == 4 && os.Args[1] == "health":
		health(os.Args[2], os.Args[3])
	default:
		fail(fmt.Errorf("usage: gitops kstatus | gitops health ARGOCD_CM.yaml FLUX_KUSTOMIZATION.yaml (objects on stdin)"))
	}
}

// objects reads a kubectl JSON document from stdin: a List's items, or the one object.
func objects() []map[string]interface{} {
	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	// Whole numbers as int64, as kubectl's own decoder gives them (kstatus reads generations as int64).
	var document map[string]interface{}
	if err := utiljson.Unmarshal(raw, &document); err != nil {
		fail(err)
	}
	items := []interface{}{document}
	if list, ok := document["items"].([]interface{}); ok {
		items = list
	}
	var out []map[string]interface{}
	for _, item := range items {
		out = append(out, item.(map[string]interface{}))
	}
	return out
}

func health(argocdConfigMap, fluxKustomization string) {
	var configMap struct {
		Data map[string]string `json:"data"`
	}
	read(argocdConfigMap, &configMap)
	var kustomization struct {
		Spec struct {
			HealthCheckExprs []fluxCheck `json:"healthCheckExprs"`
		} `json:"spec"`
	}
	read(fluxKustomization, &kustomization)
	for _, object := range objects() {
		kind := object["kind"].(string)
		name := object["metadata"].(map[string]interface{})["name"].(string)
		group := strings.SplitN(object["apiVersion"].(string), "/", 2)[0]
		script, ok := configMap.Data["resource.customizations.health."+group+"_"+kind]
		if !ok {
			fail(fmt.Errorf("no Argo CD health check for %s/%s", group, kind))
		}
		argo, message := argocd(script, object)
		flux := fluxStatus(kustomization.Spec.HealthCheckExprs, object)
		fmt.Printf("%s/%s argocd=%s flux=%s: %s\n", kind, name, argo, flux, message)
	}
}

// argocd runs a health script as Argo CD does: the object as the global obj, a table {status, message} returned.
func argocd(script string, object map[string]interface{}) (string, string) {
	state := lua.NewState(lua.Options{SkipOpenLibs: false})
	defer state.Close()
	state.SetGlobal("obj", toLua(state, object))
	if err := state.DoString(script); err != nil {
		fail(fmt.Errorf("the Lua health check failed: %w", err))
	}
	result, ok := state.Get(-1).(*lua.LTable)
	if !ok {
		fail(fmt.Errorf("the Lua health check returned no table"))
	}
	return result.RawGetString("status").String(), result.RawGetString("message").String()
}

func toLua(state *lua.LState, value interface{}) lua.LValue {
	switch v := value.(type) {
	case map[string]interface{}:
		table := state.NewTable()
		for key, element := range v {
			table.RawSetString(key, toLua(state, element))
		}
		return table
	case []interface{}:
		table := state.NewTable()
		for _, element := range v {
			table.Append(toLua(state, element))
		}
		return table
	case string:
		return lua.LString(v)
	case float64:
		return lua.LNumber(v)
	case int64:
		return lua.LNumber(v)
	case bool:
		return lua.LBool(v)
	default:
		return lua.LNil
	}
}

// fluxStatus evaluates the object's kind's expressions as Flux does: Failed, else InProgress, else Current; an
// expression that cannot be evaluated (no status yet) leaves it InProgress.
func fluxStatus(checks []fluxCheck, object map[string]interface{}) string {
	for _, check := range checks {
		if check.APIVersion != object["apiVersion"] || check.Kind != object["kind"] {
			continue
		}
		if evaluate(check.Failed, object) {
			return "Failed"
		}
		if evaluate(check.InProgress, object) {
			return "InProgress"
		}
		if evaluate(check.Current, object) {
			return "Current"
		}
		return "InProgress"
	}
	fail(fmt.Errorf("no Flux health check for %v", object["kind"]))
	return ""
}

func evaluate(expression string, object map[string]interface{}) bool {
	if expression == "" {
		return false
	}
	env, err := cel.NewEnv(
		cel.Variable("apiVersion", cel.DynType),
		cel.Variable("kind", cel.DynType),
		cel.Variable("metadata", cel.DynType),
		cel.Variable("spec", cel.DynType),
		cel.Variable("status", cel.DynType))
	if err != nil {
		fail(err)
	}
	ast, issues := env.Compile(expression)
	if issues != nil && issues.Err() != nil {
		fail(fmt.Errorf("%q does not compile: %w", expression, issues.Err()))
	}
	program, err := env.Program(ast)
	if err != nil {
		fail(err)
	}
	variables := map[string]interface{}{"status": map[string]interface{}{}, "spec": map[string]interface{}{}}
	for key, value := range object {
		variables[key] = value
	}
	out, _, err := program.Eval(variables)
	if err != nil {
		return false
	}
	result, ok := out.Value().(bool)
	return ok && result
}

func read(path string, into interface{}) {
	raw, err := os.ReadFile(path)
	if err != nil {
		fail(err)
	}
	if err := yaml.Unmarshal(raw, into); err != nil {
		fail(fmt.Errorf("%s: %w", path, err))
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "health:", err)
	os.Exit(1)
}
