package dev.signet.policy.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.testing.Meshes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceLoaderTest {

    private static final String GOOD = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: good, namespace: shop}
            spec: {rules: [{}]}
            """;

    @Test
    void istio_and_signet_api_versions_load_unchanged() {
        for (String version : List.of("security.istio.io/v1", "security.istio.io/v1beta1", "security.signet.dev/v1")) {
            LoadResult result = Meshes.load(GOOD.replace("security.istio.io/v1", version));
            assertThat(result.diagnostics()).as(version).isEmpty();
            assertThat(result.resources()).hasSize(1);
        }
    }

    @Test
    void a_bad_document_does_not_hide_the_errors_or_resources_of_the_others() {
        String yaml = GOOD + "---\n" + """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: bad1, namespace: shop}
                spec: {action: DENY}
                ---
                this: is: not: yaml
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: bad2, namespace: shop}
                spec: {rules: [{to: [{operation: {methods: [get]}}]}]}
                ---
                """ + GOOD.replace("good", "good2");
        LoadResult result = Meshes.load(yaml);
        assertThat(result.resources())
                .extracting(r -> r.resource().metadata().name())
                .containsExactly("good", "good2");
        List<Diagnostic> errors =
                result.diagnostics().stream().filter(Diagnostic::isError).toList();
        assertThat(errors).hasSize(3);
        assertThat(errors.get(0).format())
                .isEqualTo(
                        "test.yaml:6 (document 2): error: AuthorizationPolicy shop/bad1: spec.rules: a DENY policy needs at least one rule"
                                + " (to deny everything, use an ALLOW policy with no rules)");
        assertThat(errors.get(1).format())
                .startsWith("test.yaml:11 (document 3): error: not valid YAML: mapping values are not allowed here");
        assertThat(errors.get(2).resource()).isEqualTo("AuthorizationPolicy shop/bad2");
        assertThat(errors.get(2).field()).isEqualTo("spec.rules[0].to[0].operation.methods[0]");
        // Each invalid policy is followed by what is enforced in its place; the unreadable document names none.
        assertThat(result.diagnostics())
                .filteredOn(d -> d.severity() == Diagnostic.Severity.NOTE)
                .extracting(Diagnostic::resource)
                .containsExactly("AuthorizationPolicy shop/bad1", "AuthorizationPolicy shop/bad2");
        assertThat(result.failClosed())
                .extracting(r -> r.resource().metadata().name())
                .containsExactly("bad1", "bad2");
    }

    @Test
    void a_policy_with_a_misspelt_group_and_kind_is_an_error_not_a_skipped_document() {
        LoadResult result = Meshes.load("""
                apiVersion: securty.istio.io/v1
                kind: AuthorizatonPolicy
                metadata: {name: deny-admin, namespace: shop}
                spec: {action: DENY, rules: [{to: [{operation: {paths: ["/admin"]}}]}]}
                ---
                apiVersion: security.isito.io/v1
                kind: Something
                metadata: {name: other, namespace: shop}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: vs, namespace: shop}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d, namespace: shop}
                """);
        List<Diagnostic> errors =
                result.diagnostics().stream().filter(Diagnostic::isError).toList();
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).format())
                .contains("error: AuthorizatonPolicy shop/deny-admin: kind: \"securty.istio.io/v1\" "
                        + "AuthorizatonPolicy looks like a misspelt AuthorizationPolicy");
        assertThat(errors.get(1).field()).isEqualTo("apiVersion");
        assertThat(result.skippedDocuments())
                .as("Istio's networking kinds and Deployments are not ours")
                .isEqualTo(2);
        assertThat(result.failClosed())
                .singleElement()
                .satisfies(standIn -> assertThat(((AuthorizationPolicy) standIn.resource())
                                .specOrEmpty()
                                .action())
                        .hasToString("DENY"));
    }

    @Test
    void every_unknown_field_of_a_document_is_reported_not_just_the_first() {
        LoadResult result = Meshes.load("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: p, namespace: shop}
                spec:
                  acton: DENY
                  rules: [{from: [{source: {principal: [a]}}], too: []}]
                """);
        assertThat(result.diagnostics())
                .filteredOn(Diagnostic::isError)
                .extracting(Diagnostic::field)
                .containsExactlyInAnyOrder("spec.acton", "spec.rules[0].from[0].source.principal", "spec.rules[0].too");
    }

    @Test
    void kubectl_output_with_status_and_server_metadata_loads() {
        LoadResult result = Meshes.load("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: p
                  namespace: shop
                  uid: 1234
                  resourceVersion: "99"
                  managedFields: [{manager: kubectl}]
                  creationTimestamp: "2026-01-01T00:00:00Z"
                spec: {}
                status: {conditions: []}
                """);
        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.resources()).hasSize(1);
    }

    @Test
    void other_kinds_are_skipped_but_a_misspelt_kind_of_ours_is_an_error() {
        LoadResult result = Meshes.load("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorisationPolicy
                metadata: {name: p}
                ---
                apiVersion: security.istio.io/v2
                kind: AuthorizationPolicy
                metadata: {name: q}
                ---
                apiVersion: v1
                kind: Workload
                metadata: {name: w}
                """);
        assertThat(result.skippedDocuments()).isEqualTo(1);
        assertThat(result.diagnostics())
                .extracting(Diagnostic::message)
                .satisfiesExactly(
                        m -> assertThat(m).contains("unknown kind \"AuthorisationPolicy\""),
                        m -> assertThat(m).contains("\"security.istio.io/v2\" is not supported"),
                        m -> assertThat(m).contains("use security.signet.dev/v1"));
    }

    @Test
    void duplicate_keys_are_an_error_not_a_silent_last_wins() {
        LoadResult result = Meshes.load("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: p, namespace: shop}
                spec:
                  action: DENY
                  action: ALLOW
                  rules: [{}]
                """);
        assertThat(result.hasErrors()).isTrue();
        assertThat(result.diagnostics().get(0).message()).containsIgnoringCase("duplicate");
    }

    @Test
    void a_yaml_alias_bomb_is_refused_without_expanding_it() {
        StringBuilder bomb = new StringBuilder("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: p, namespace: shop}
                x0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]
                """);
        for (int i = 1; i < 30; i++) {
            bomb.append("x")
                    .append(i)
                    .append(": &a")
                    .append(i)
                    .append(" [")
                    .append(("*a" + (i - 1) + ", ").repeat(9))
                    .append("*a")
                    .append(i - 1)
                    .append("]\n");
        }
        LoadResult result = Meshes.load(bomb.toString());
        assertThat(result.resources()).isEmpty();
        assertThat(result.diagnostics())
                .singleElement()
                .satisfies(
                        d -> assertThat(d.message()).contains("not valid YAML").containsIgnoringCase("alias"));
    }

    @Test
    void non_mapping_documents_and_empty_ones_are_handled() {
        LoadResult result = Meshes.load("---\n# only a comment\n---\n- a list\n---\n");
        assertThat(result.diagnostics()).hasSize(1);
        assertThat(result.diagnostics().get(0).message()).contains("must be a mapping");
    }

    @Test
    void directories_load_in_path_order_and_oversized_files_are_refused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("b.yaml"), GOOD.replace("good", "second"));
        Files.createDirectories(dir.resolve("a"));
        Files.writeString(dir.resolve("a/x.yml"), GOOD.replace("good", "first"));
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        Files.write(dir.resolve("huge.yaml"), new byte[(int) ResourceLoader.MAX_FILE_BYTES + 1]);
        LoadResult result =
                new ResourceLoader(new dev.signet.policy.validate.PolicyValidator(Meshes.ROOT)).loadDirectory(dir);
        assertThat(result.resources())
                .extracting(r -> ((AuthorizationPolicy) r.resource()).metadata().name())
                .containsExactly("first", "second");
        assertThat(result.resources().get(0).location().file()).isEqualTo("a/x.yml");
        assertThat(result.diagnostics())
                .singleElement()
                .satisfies(d -> assertThat(d.message()).contains("larger than"));
    }

    @Test
    void a_file_that_is_not_utf8_is_an_error_that_names_it_and_the_other_files_still_load(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("good.yaml"), GOOD);
        Files.write(
                dir.resolve("latin1.yaml"),
                "metadata: {name: caf\u00e9}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        LoadResult result =
                new ResourceLoader(new dev.signet.policy.validate.PolicyValidator("signet-system")).loadDirectory(dir);
        assertThat(result.resources()).hasSize(1);
        assertThat(result.diagnostics())
                .singleElement()
                .satisfies(d -> assertThat(d.format())
                        .isEqualTo("latin1.yaml:1 (document 1): error: not UTF-8 text; save the file as UTF-8"));
    }
}
