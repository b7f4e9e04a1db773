package org.o365audit.sink.format.ecs;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** One row of the "events" table: for records that match, a renamed action, a kind, an outcome, categories, types. */
record EventRule(Condition when, String action, String kind, String outcome, List<String> category, List<String> type) {
    private static final Set<String> KEYS = Set.of("when", "action", "kind", "outcome", "category", "type");
    private static final Set<String> KINDS = Set.of("alert", "asset", "enrichment", "event", "metric", "state", "pipeline_error", "signal");
    private static final Set<String> OUTCOMES = Set.of("success", "failure", "unknown");
    private static final Set<String> CATEGORIES = Set.of("api", "authentication", "configuration", "database", "driver", "email",
            "file", "host", "iam", "intrusion_detection", "library", "malware", "network", "package", "process", "registry",
            "session", "threat", "vulnerability", "web");
    private static final Set<String> TYPES = Set.of("access", "admin", "allowed", "change", "connection", "creation", "deletion",
            "denied", "device", "end", "error", "group", "indicator", "info", "installation", "protocol", "start", "user");

    void apply(RecordView record, EcsFields doc) {
        if (!when.test(record, doc)) {
            return;
        }
        doc.put("event.action", action, true);
        doc.put("event.kind", kind, true);
        doc.put("event.outcome", outcome, true);
        category.forEach(c -> doc.put("event.category", c, false));
        type.forEach(t -> doc.put("event.type", t, false));
    }

    /** Checked against ECS's allowed values, so a typo in a category cannot silently hide events from detections. */
    static EventRule parse(Map<String, Object> spec) {
        for (String key : spec.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "' (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        String action = text(spec, "action");
        String kind = allowed("kind", text(spec, "kind"), KINDS);
        String outcome = allowed("outcome", text(spec, "outcome"), OUTCOMES);
        List<String> category = list(spec, "category", CATEGORIES);
        List<String> type = list(spec, "type", TYPES);
        if (action == null && kind == null && outcome == null && category.isEmpty() && type.isEmpty()) {
            throw new IllegalArgumentException("a rule sets at least one of action, kind, outcome, category, type");
        }
        return new EventRule(Condition.parse(spec.get("when")), action, kind, outcome, category, type);
    }

    private static String text(Map<String, Object> spec, String key) {
        Object v = spec.get(key);
        return v == null ? null : v.toString();
    }

    private static String allowed(String key, String v, Set<String> allowed) {
        if (v != null && !allowed.contains(v)) {
            throw new IllegalArgumentException("'" + v + "' is not an ECS event." + key + " (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
        }
        return v;
    }

    private static List<String> list(Map<String, Object> spec, String key, Set<String> allowed) {
        Object v = spec.get(key);
        if (v == null) {
            return List.of();
        }
        List<String> out = List.copyOf(Condition.texts(key, v));
        out.forEach(x -> allowed(key, x, allowed));
        return out;
    }
}
