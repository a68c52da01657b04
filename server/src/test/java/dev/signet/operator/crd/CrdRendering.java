package dev.signet.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the Java types say the CRDs are: Fabric8's generator, with each resource's printer columns put back in the
 * order its class declares them (the generator sorts them by name, and kubectl shows them in file order). Both the
 * writer ({@link CrdWriter}) and the freshness check ({@link CrdsAreFreshTest}) start here, so they cannot disagree.
 */
final class CrdRendering {

    /** The repository's CRDs, and the chart's copy that {@code helm install} applies, relative to the repository. */
    static final List<Path> FOLDERS = List.of(Path.of("crds"), Path.of("charts", "signet", "crds"));

    private static final Map<String, Class<? extends HasMetadata>> RESOURCES = Map.of(
            "authorizationpolicies.security.signet.dev.yaml", AuthorizationPolicyResource.class,
            "peerauthentications.security.signet.dev.yaml", PeerAuthenticationResource.class,
            "rootrotations.security.signet.dev.yaml", RootRotationResource.class);

    private static final Pattern COLUMN_NAME = Pattern.compile("(?m)^      name: \"([^\"]+)\"");

    private CrdRendering() {}

    /** Each CRD's file name and text. {@code scratch} is an empty folder the generator may write into. */
    static Map<String, String> render(Path scratch) throws IOException {
        new CRDGenerator()
                .customResourceClasses(List.copyOf(RESOURCES.values()))
                .forCRDVersions("v1")
                .inOutputDir(scratch.toFile())
                .generate();
        Map<String, String> crds = new TreeMap<>();
        try (Stream<Path> files = Files.list(scratch)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString().replace("-v1.yml", ".yaml");
                Class<?> type = RESOURCES.get(name);
                if (type == null) {
                    throw new IllegalStateException("the generator wrote a CRD no resource class names: " + name);
                }
                crds.put(name, inDeclaredOrder(Files.readString(file), type));
            }
        }
        if (!crds.keySet().equals(RESOURCES.keySet())) {
            throw new IllegalStateException("generated " + crds.keySet() + ", expected " + RESOURCES.keySet());
        }
        return crds;
    }

    /** Reorders the generated {@code additionalPrinterColumns} as {@code type} declares its annotations. */
    static String inDeclaredOrder(String crd, Class<?> type) {
        String start = "  - additionalPrinterColumns:\n";
        int from = crd.indexOf(start);
        if (from < 0) {
            return crd;
        }
        from += start.length();
        int to = crd.indexOf("    name: \"v1\"", from);
        Map<String, String> byName = new LinkedHashMap<>();
        for (String item : crd.substring(from, to).split("(?m)^(?=    - )")) {
            Matcher name = COLUMN_NAME.matcher(item);
            if (!name.find()) {
                throw new IllegalStateException("a printer column without a name: " + item);
            }
            byName.put(name.group(1), item);
        }
        StringBuilder ordered = new StringBuilder();
        for (AdditionalPrinterColumn column : type.getAnnotationsByType(AdditionalPrinterColumn.class)) {
            String item = byName.remove(column.name());
            if (item == null) {
                throw new IllegalStateException("the printer column " + column.name() + " was not generated");
            }
            ordered.append(item);
        }
        byName.values().forEach(ordered::append);
        return crd.substring(0, from) + ordered + crd.substring(to);
    }
}
