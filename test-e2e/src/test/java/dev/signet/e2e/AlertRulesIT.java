package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's alerts and dashboard: Prometheus' own {@code promtool} (built from the Prometheus module) checks the
 * rules and runs their tests, and every metric the alerts and the dashboard name is one a running control plane
 * exports.
 */
class AlertRulesIT {

    private static final String PROMTOOL = "github.com/prometheus/prometheus/cmd/promtool@v0.316.0";
    private static final Path CHART = SignetProcess.home().resolve("charts/signet");
    private static final Pattern METRIC = Pattern.compile("\\bsignet_[a-z_]+");

    @TempDir
    Path dir;

    @Test
    void promtool_checks_the_rules_and_every_alert_fires_when_it_should_and_only_then() throws Exception {
        Path promtool = GoPrograms.install(PROMTOOL);
        Files.copy(CHART.resolve("files/alerts.yaml"), dir.resolve("alerts.yaml"));
        try (InputStream tests = AlertRulesIT.class.getResourceAsStream("/alerts/alerts-test.yaml")) {
            Files.copy(tests, dir.resolve("alerts-test.yaml"));
        }
        SignetProcess.Result check = GoPrograms.run(
                promtool, "check", "rules", dir.resolve("alerts.yaml").toString());
        assertThat(check.exitCode()).as(check.out()).isZero();
        assertThat(check.out()).contains("SUCCESS: 12 rules found");
        SignetProcess.Result test = GoPrograms.run(
                promtool, "test", "rules", dir.resolve("alerts-test.yaml").toString());
        assertThat(test.exitCode()).as(test.out()).isZero();
        assertThat(test.out()).contains("SUCCESS");
        String tests = Files.readString(dir.resolve("alerts-test.yaml"));
        for (String alert :
                names(Pattern.compile("(?m)^  - alert: (\\w+)"), Files.readString(dir.resolve("alerts.yaml")))) {
            assertThat(tests)
                    .as("a firing test of %s", alert)
                    .containsPattern("alertname: " + alert + "\\n\\s+exp_alerts:\\n\\s+- exp_labels");
        }
    }

    @Test
    void every_metric_the_alerts_and_the_dashboard_name_is_exported_by_a_running_control_plane() throws Exception {
        String alerts = Files.readString(CHART.resolve("files/alerts.yaml"));
        JsonNode dashboard = new ObjectMapper()
                .readTree(CHART.resolve("files/dashboard.json").toFile());
        StringBuilder expressions = new StringBuilder();
        assertThat(dashboard.get("panels")).isNotEmpty();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.get("targets")).as(panel.get("title").asText()).isNotEmpty();
            panel.get("targets")
                    .forEach(target ->
                            expressions.append(target.get("expr").asText()).append('\n'));
        }
        Set<String> named = names(METRIC, alerts + expressions);
        assertThat(named).hasSizeGreaterThan(15);

        int grpcPort = SignetProcess.freePort();
        int httpPort = SignetProcess.freePort();
        Path log = dir.resolve("serve.log");
        Process serve = SignetProcess.serveSamples(dir, log, grpcPort, httpPort);
        try {
            SignetProcess.awaitLine(serve, log, "ready");
            String scraped = SignetProcess.http(httpPort, "/q/metrics");
            Set<String> exported = names(Pattern.compile("(?m)^(signet_[a-z_]+)"), scraped);
            assertThat(exported).as("what the alerts and the dashboard read").containsAll(named);
        } finally {
            serve.destroy();
            serve.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void the_chart_renders_the_rules_file_as_a_prometheus_rule_and_the_dashboard_as_a_config_map() throws Exception {
        KubeApiServer.Kubectl.Result rendered = KubeApiServer.Kubectl.run(java.util.List.of(
                KubeApiServer.binaries().resolve("helm").toString(),
                "template",
                "signet",
                CHART.toString(),
                "--kube-version",
                KubeApiServer.VERSION,
                "--set",
                "monitoring.prometheusRule.enabled=true",
                "--set",
                "monitoring.serviceMonitor.enabled=true",
                "--set",
                "monitoring.dashboard.enabled=true",
                "--set",
                "monitoring.labels.release=prometheus"));
        assertThat(rendered.exitCode()).as(rendered.out()).isZero();
        assertThat(rendered.out())
                .contains("kind: PrometheusRule", "kind: ServiceMonitor", "grafana_dashboard: \"1\"")
                .contains("release: prometheus", "path: /q/metrics", "port: http-monitoring")
                .contains("alert: SignetRotationHeld", "\"uid\": \"signet-overview\"");
        KubeApiServer.Kubectl.Result plain = KubeApiServer.Kubectl.run(java.util.List.of(
                KubeApiServer.binaries().resolve("helm").toString(),
                "template",
                "signet",
                CHART.toString(),
                "--kube-version",
                KubeApiServer.VERSION));
        assertThat(plain.out())
                .as("off by default")
                .doesNotContain("PrometheusRule", "ServiceMonitor", "grafana_dashboard");
    }

    private static Set<String> names(Pattern pattern, String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            names.add(matcher.groupCount() > 0 ? matcher.group(1) : matcher.group());
        }
        return names;
    }
}
