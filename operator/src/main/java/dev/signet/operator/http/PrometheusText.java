package dev.signet.operator.http;

import java.util.Map;

/** Builds the Prometheus text exposition format (version 0.0.4), escaping label values as it requires. */
final class PrometheusText {

    private final StringBuilder out = new StringBuilder();

    PrometheusText metric(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    PrometheusText sample(String name, Map<String, String> labels, double value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, String> label : new java.util.TreeMap<>(labels).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(label.getKey()).append("=\"").append(escape(label.getValue())).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value)).append('\n');
        return this;
    }

    PrometheusText sample(String name, double value) {
        return sample(name, Map.of(), value);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
