package dev.signet.policy.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.model.ObjectMeta;
import dev.signet.policy.model.PeerAuthentication;
import dev.signet.policy.model.Resource;
import dev.signet.policy.model.Workload;
import dev.signet.policy.validate.FailClosed;
import dev.signet.policy.validate.FieldError;
import dev.signet.policy.validate.PolicyValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads resources from YAML: each document is parsed, checked for structure, bound and validated on its own,
 * and every finding becomes a {@link Diagnostic}. Documents of other API groups (a Deployment beside the
 * policies) are skipped and counted; a misspelt kind in our groups is an error.
 */
public final class ResourceLoader {

    /** Files larger than this are refused, as are YAML alias bombs (SnakeYAML's alias limit). */
    public static final long MAX_FILE_BYTES = 4L * 1024 * 1024;

    private static final Set<String> POLICY_VERSIONS =
            Set.of("security.signet.dev/v1", "security.istio.io/v1", "security.istio.io/v1beta1");
    private static final Set<String> WORKLOAD_VERSIONS = Set.of("security.signet.dev/v1");
    private static final Set<String> OUR_GROUPS = Set.of("security.signet.dev", "security.istio.io");
    private static final Map<String, Class<? extends Resource>> KINDS = Map.of(
            AuthorizationPolicy.KIND, AuthorizationPolicy.class,
            PeerAuthentication.KIND, PeerAuthentication.class,
            Workload.KIND, Workload.class);

    private final StrictYaml yaml = new StrictYaml();
    private final ObjectMapper lenient = new ObjectMapper();
    private final PolicyValidator validator;
    private long sequence;

    public ResourceLoader(PolicyValidator validator) {
        this.validator = validator;
    }

    /**
     * Every {@code *.yaml} and {@code *.yml} under {@code directory}, in path order (so that results are stable); or,
     * given a file, that file whatever its name.
     */
    public LoadResult loadDirectory(Path directory) throws IOException {
        if (Files.isRegularFile(directory)) {
            return loadFiles(directory.getParent() == null ? Path.of("") : directory.getParent(), List.of(directory));
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        }
        return loadFiles(directory, files);
    }

    private LoadResult loadFiles(Path directory, List<Path> files) throws IOException {
        List<LoadedResource> resources = new ArrayList<>();
        List<Diagnostic> diagnostics = new ArrayList<>();
        List<LoadedResource> failClosed = new ArrayList<>();
        int skipped = 0;
        for (Path file : files) {
            String name = directory.relativize(file).toString();
            LoadResult one;
            if (Files.size(file) > MAX_FILE_BYTES) {
                one = new LoadResult(
                        List.of(),
                        List.of(new Diagnostic(
                                Diagnostic.Severity.ERROR,
                                new Location(name, 1, 1),
                                null,
                                null,
                                "the file is larger than " + MAX_FILE_BYTES + " bytes")),
                        0,
                        List.of());
            } else {
                one = loadFile(name, file);
            }
            resources.addAll(one.resources());
            diagnostics.addAll(one.diagnostics());
            failClosed.addAll(one.failClosed());
            skipped += one.skippedDocuments();
        }
        return new LoadResult(resources, diagnostics, skipped, failClosed);
    }

    /** One file; one that cannot be read as UTF-8 text (or at all) is an error that names it, not a failed load. */
    private LoadResult loadFile(String name, Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            return new LoadResult(
                    List.of(),
                    List.of(error(new Location(name, 1, 1), null, null, "not UTF-8 text; save the file as UTF-8")),
                    0,
                    List.of());
        } catch (IOException e) {
            return new LoadResult(
                    List.of(),
                    List.of(error(new Location(name, 1, 1), null, null, "cannot read the file: " + e.getMessage())),
                    0,
                    List.of());
        }
        return loadText(name, text);
    }

    /** The documents of one YAML stream. */
    public LoadResult loadText(String fileName, String text) {
        List<LoadedResource> resources = new ArrayList<>();
        List<Diagnostic> diagnostics = new ArrayList<>();
        List<LoadedResource> failClosed = new ArrayList<>();
        int skipped = 0;
        int number = 0;
        for (YamlDocuments.Document document : YamlDocuments.split(text)) {
            if (document.isBlank()) {
                continue;
            }
            number++;
            Location location = new Location(fileName, number, document.firstLine());
            JsonNode node = yaml.read(document, fileName, number, diagnostics).orElse(null);
            if (node == null || node.isMissingNode() || node.isNull()) {
                continue;
            }
            if (!node.isObject()) {
                diagnostics.add(error(location, null, null, "a document must be a mapping with apiVersion and kind"));
                continue;
            }
            String apiVersion = node.path("apiVersion").asText("");
            String kind = node.path("kind").asText("");
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            Class<? extends Resource> type = KINDS.get(kind);
            if (!OUR_GROUPS.contains(group)) {
                Optional<String> nearKind = near(kind, KINDS.keySet(), 2);
                Optional<String> nearGroup = near(group, OUR_GROUPS, 3);
                if (type != null) {
                    diagnostics.add(error(
                            location,
                            describe(kind, node),
                            "apiVersion",
                            "\"" + apiVersion + "\" is not a " + "supported apiVersion for " + kind + "; use "
                                    + supported(kind)));
                } else if (nearKind.isPresent() || nearGroup.isPresent()) {
                    // Skipping it would fail open: a misspelt DENY policy would be silently dropped.
                    String meant = nearKind.orElse("a Signet or Istio resource");
                    diagnostics.add(error(
                            location,
                            describe(kind, node),
                            nearKind.isPresent() ? "kind" : "apiVersion",
                            "\"" + apiVersion + "\" " + kind + " looks like a misspelt " + meant + " ("
                                    + supported(meant)
                                    + "); it is refused rather than skipped as another project's document"));
                    nearKind.ifPresent(meantKind -> standIn(
                            FailClosed.unreadable(meantKind, apiVersion, metadata(node)),
                            location,
                            describe(meantKind, node),
                            diagnostics,
                            failClosed));
                } else {
                    skipped++;
                }
                continue;
            }
            String resourceName = describe(kind, node);
            if (type == null) {
                diagnostics.add(error(
                        location,
                        resourceName,
                        "kind",
                        "unknown kind \"" + kind + "\" in " + group
                                + "; expected AuthorizationPolicy, PeerAuthentication or Workload"));
                continue;
            }
            Set<String> versions = type == Workload.class ? WORKLOAD_VERSIONS : POLICY_VERSIONS;
            if (!versions.contains(apiVersion)) {
                diagnostics.add(error(
                        location,
                        resourceName,
                        "apiVersion",
                        "\"" + apiVersion + "\" is not supported for " + kind + "; use " + supported(kind)));
                continue;
            }
            List<FieldError> structure = StructureChecker.check(node, type);
            if (!structure.isEmpty()) {
                structure.forEach(problem -> diagnostics.add(toDiagnostic(location, resourceName, problem)));
                standIn(
                        FailClosed.unreadable(kind, apiVersion, metadata(node)),
                        location,
                        resourceName,
                        diagnostics,
                        failClosed);
                continue;
            }
            Resource resource;
            try {
                resource = yaml.bind(node, type);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                diagnostics.add(error(location, resourceName, null, "cannot read: " + e.getMessage()));
                standIn(
                        FailClosed.unreadable(kind, apiVersion, metadata(node)),
                        location,
                        resourceName,
                        diagnostics,
                        failClosed);
                continue;
            }
            List<FieldError> problems = validator.validate(resource);
            problems.forEach(problem -> diagnostics.add(toDiagnostic(location, resourceName, problem)));
            if (problems.stream().noneMatch(p -> !p.warning())) {
                resources.add(new LoadedResource(resource, location, sequence++));
            } else {
                standIn(FailClosed.of(resource, problems), location, resourceName, diagnostics, failClosed);
            }
        }
        return new LoadResult(resources, diagnostics, skipped, failClosed);
    }

    /** Records what stands in for an invalid policy, and says so beside its errors. */
    private void standIn(
            Optional<FailClosed.StandIn> standIn,
            Location location,
            String resourceName,
            List<Diagnostic> diagnostics,
            List<LoadedResource> failClosed) {
        standIn.ifPresent(found -> {
            failClosed.add(new LoadedResource(found.resource(), location, sequence++));
            diagnostics.add(new Diagnostic(
                    Diagnostic.Severity.NOTE,
                    location,
                    resourceName,
                    null,
                    "until it is fixed, this policy is " + found.meaning()));
        });
    }

    /** The metadata of a document that does not bind as a whole; its name and namespace at least. */
    private ObjectMeta metadata(JsonNode node) {
        JsonNode metadata = node.path("metadata");
        ObjectMeta read = null;
        if (metadata.isObject()) {
            try {
                read = lenient.treeToValue(metadata, ObjectMeta.class);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                // Fields of the wrong type: the name and namespace, as text, are still worth naming it by.
            }
        }
        return read != null
                ? read
                : ObjectMeta.of(
                        metadata.path("namespace").asText(null),
                        metadata.path("name").asText(null));
    }

    /** The candidate within {@code maxDistance} edits of {@code value} (ignoring case), if any. */
    private static Optional<String> near(String value, Set<String> candidates, int maxDistance) {
        String lower = value.toLowerCase(java.util.Locale.ROOT);
        return candidates.stream()
                .filter(candidate ->
                        Similarity.distance(candidate.toLowerCase(java.util.Locale.ROOT), lower) <= maxDistance)
                .findFirst();
    }

    private static String supported(String kind) {
        return kind.equals(Workload.KIND)
                ? "security.signet.dev/v1"
                : "security.signet.dev/v1, security.istio.io/v1 or security.istio.io/v1beta1";
    }

    private static String describe(String kind, JsonNode node) {
        JsonNode metadata = node.path("metadata");
        String name = metadata.path("name").asText("(no name)");
        String namespace = metadata.path("namespace").asText("default");
        return (kind.isEmpty() ? "(no kind)" : kind) + " " + namespace + "/" + name;
    }

    private static Diagnostic toDiagnostic(Location location, String resource, FieldError problem) {
        return new Diagnostic(
                problem.warning() ? Diagnostic.Severity.WARNING : Diagnostic.Severity.ERROR,
                location,
                resource,
                problem.field().toString(),
                problem.message());
    }

    private static Diagnostic error(Location location, String resource, String field, String message) {
        return new Diagnostic(Diagnostic.Severity.ERROR, location, resource, field, message);
    }
}
