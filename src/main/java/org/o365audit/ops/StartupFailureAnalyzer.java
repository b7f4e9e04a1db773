package org.o365audit.ops;

import org.o365audit.sink.format.ecs.InvalidEcsMappingException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns the start-up failures an engineer causes by editing config/ or routes/ into one line that names the
 * file, key or route and what is wrong, instead of a stack trace: a malformed route file, a route that cannot
 * be created, a route template that no route file declares, an invalid tenant (o365.tenants[i]...), sink
 * (o365.sinks.name...) or routes folder (o365.routes.dir), a mistake in the ECS mapping table. The process does not
 * start.
 */
public class StartupFailureAnalyzer implements FailureAnalyzer {
    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (m.startsWith("Error pre-parsing resource: ") || m.startsWith("Error parsing resource: ")
                    || m.startsWith("Cannot load resource: ")) {
                String file = m.substring(m.indexOf(": ") + 2).replaceFirst("^file:", "");
                return analysis("route file " + file + " is not valid Camel YAML: " + rootMessage(t),
                        "Fix the file (check indentation and quoting), or move it out of routes/, and start again.", failure);
            }
            if (t instanceof org.apache.camel.FailedToCreateRouteException f) {
                return analysis("route " + f.getRouteId() + " cannot be created: " + rootMessage(t),
                        "Fix the route in routes/ (or its settings in config/application.yaml) and start again.", failure);
            }
            if (m.startsWith("Cannot find RouteTemplate with id ")) {
                String id = m.substring("Cannot find RouteTemplate with id ".length());
                return analysis("route template " + id + " is in none of the route files loaded: a routes folder "
                        + "replaces the routes bundled in the jar as a whole",
                        "Put " + id + ".camel.yaml (from the jar: o365/routes/) into the routes folder, or remove the "
                                + "folder to run the bundled routes, and start again.", failure);
            }
            if (t instanceof InvalidEcsMappingException) {
                return analysis("invalid ECS mapping: " + m,
                        "Fix that rule of the table (README: SIEM fields), or remove config/ecs-mapping.yaml to use the "
                                + "one bundled in the jar, and start again.", failure);
            }
            if (m.startsWith("o365.")) {
                return analysis("invalid configuration: " + m,
                        "Fix the key in config/application.yaml (or its environment variable) and start again.", failure);
            }
        }
        return null;
    }

    private static FailureAnalysis analysis(String description, String action, Throwable cause) {
        org.slf4j.LoggerFactory.getLogger("org.o365audit.startup").error(description);
        return new FailureAnalysis(description, action, cause);
    }

    /** The innermost message of an exception chain, on one line. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return m.replaceAll("\\s*\\n\\s*", " ").trim();
    }
}
