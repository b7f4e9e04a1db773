package org.o365audit.demo;

import java.nio.file.Path;
import java.util.Map;
import org.o365audit.config.O365Properties;
import org.o365audit.sink.SinkSettings;

/**
 * Decides whether the built-in simulated tenant runs, so that simulated events never reach a real tenant's
 * store or a real destination. In mode {@code auto} it runs only while nothing real is configured: no entry
 * under o365.tenants, no running sink except the shipped demo sink ({@value #DEMO_SINK}: type files, directory
 * {@value #DEMO_DIRECTORY}), and the embedded H2 database (any {@code jdbc:h2:} URL, or none).
 */
final class SimulatorGate {
    static final String DEMO_SINK = "archive";
    static final String DEMO_DIRECTORY = "./data/ndjson";

    /** Whether the simulator runs, and why (for the one log line). */
    record Decision(boolean on, String reason) {
    }

    private SimulatorGate() {
    }

    static Decision decide(O365Properties props, String datasourceUrl) {
        switch (props.getSimulator().getMode()) {
            case ALWAYS:
                return new Decision(true, "o365.simulator.mode is always");
            case NEVER:
                return new Decision(false, "o365.simulator.mode is never");
            default:
                break;
        }
        if (!props.getTenants().isEmpty()) {
            return new Decision(false, "tenant " + props.getTenants().get(0).getName() + " is configured");
        }
        for (Map.Entry<String, Map<String, String>> sink : props.getSinks().entrySet()) {
            if (SinkSettings.runs(sink.getValue()) && !isDemoSink(sink.getKey(), sink.getValue())) {
                return new Decision(false, "sink " + sink.getKey() + " is configured");
            }
        }
        if (datasourceUrl != null && !datasourceUrl.isBlank() && !datasourceUrl.startsWith("jdbc:h2:")) {
            // only the scheme: a JDBC URL may carry a password
            String scheme = datasourceUrl.split(":", 3).length > 1 ? datasourceUrl.split(":", 3)[1] : "?";
            return new Decision(false, "the database is " + scheme + ", not the embedded H2");
        }
        return new Decision(true, "nothing real is configured (no tenant, only the demo sink, the embedded database)");
    }

    private static boolean isDemoSink(String name, Map<String, String> cfg) {
        String dir = cfg.get("directory");
        return DEMO_SINK.equals(name) && "files".equals(cfg.get("type")) && dir != null
                && Path.of(dir).normalize().equals(Path.of(DEMO_DIRECTORY).normalize());
    }
}
