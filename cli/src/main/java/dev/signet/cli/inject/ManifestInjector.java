package dev.signet.cli.inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.signet.controlplane.inject.InjectionSettings;
import dev.signet.controlplane.inject.SidecarInjector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Injects every pod template of a YAML stream (Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs,
 * CronJobs, and those inside a List) and passes every other document through unchanged, in order.
 */
public final class ManifestInjector {

    /** Where each kind keeps its pod template's metadata and spec. */
    private static final Map<String, List<String>> TEMPLATE = Map.of(
            "Pod", List.of(),
            "Deployment", List.of("spec", "template"),
            "StatefulSet", List.of("spec", "template"),
            "DaemonSet", List.of("spec", "template"),
            "ReplicaSet", List.of("spec", "template"),
            "Job", List.of("spec", "template"),
            "CronJob", List.of("spec", "jobTemplate", "spec", "template"));

    /** What happened to one document. */
    public record Outcome(String resource, boolean injected, String reason) {}

    /** The stream with the agent injected, and what happened to each document. */
    public record Result(String yaml, List<Outcome> outcomes) {
        public long injected() {
            return outcomes.stream().filter(Outcome::injected).count();
        }
    }

    private final SidecarInjector injector;
    private final YAMLMapper yaml;

    public ManifestInjector(InjectionSettings settings) {
        this.injector = new SidecarInjector(settings);
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        this.yaml = YAMLMapper.builder(
                        YAMLFactory.builder().loaderOptions(options).build())
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .build();
    }

    /** Refuses input that is not YAML, naming the line, and changes nothing then. */
    public Result inject(String text) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> read = yaml.readerFor(JsonNode.class).readValues(text)) {
            while (read.hasNextValue()) {
                documents.add(read.nextValue());
            }
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not valid YAML: " + describe(e), e);
        }
        List<Outcome> outcomes = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        for (JsonNode document : documents) {
            if (document == null || document.isNull() || document.isMissingNode()) {
                continue;
            }
            visit(document, outcomes);
            if (!out.isEmpty()) {
                out.append("---\n");
            }
            out.append(yaml.writeValueAsString(document));
        }
        return new Result(out.toString(), outcomes);
    }

    private void visit(JsonNode document, List<Outcome> outcomes) {
        String kind = document.path("kind").asText("");
        if (kind.equals("List")) {
            document.path("items").forEach(item -> visit(item, outcomes));
            return;
        }
        String name = kind + " " + document.path("metadata").path("namespace").asText("")
                + (document.path("metadata").has("namespace") ? "/" : "")
                + document.path("metadata").path("name").asText("(no name)");
        List<String> path = TEMPLATE.get(kind);
        if (path == null || !(document instanceof ObjectNode)) {
            outcomes.add(new Outcome(name, false, "no pod template"));
            return;
        }
        JsonNode template = document;
        for (String field : path) {
            template = template.path(field);
        }
        if (!(template instanceof ObjectNode pod) || !(pod.get("spec") instanceof ObjectNode spec)) {
            outcomes.add(new Outcome(name, false, "its pod template has no spec"));
            return;
        }
        ObjectNode metadata = pod.get("metadata") instanceof ObjectNode m ? m : pod.putObject("metadata");
        injector.inject(metadata, spec)
                .ifPresentOrElse(
                        reason -> outcomes.add(new Outcome(name, false, reason)),
                        () -> outcomes.add(new Outcome(name, true, "")));
    }

    private static String describe(Exception e) {
        return e instanceof JsonProcessingException json
                ? json.getOriginalMessage()
                        + (json.getLocation() == null
                                ? ""
                                : " (line " + json.getLocation().getLineNr() + ")")
                : e.getMessage();
    }
}
