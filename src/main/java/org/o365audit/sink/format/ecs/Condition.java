package org.o365audit.sink.format.ecs;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * A rule's "when": every part must hold. code is event.code as the rules set it so far; operation, workload and
 * recordType are the record's own values; field compares record paths (any value reached counts); present asks
 * for a value; not inverts a nested condition.
 */
final class Condition {
    static final Condition ALWAYS = new Condition(List.of());
    private static final Set<String> KEYS = Set.of("code", "operation", "workload", "recordType", "field", "present", "not");

    private final List<BiPredicate<RecordView, EcsFields>> parts;

    private Condition(List<BiPredicate<RecordView, EcsFields>> parts) {
        this.parts = parts;
    }

    boolean test(RecordView r, EcsFields doc) {
        for (BiPredicate<RecordView, EcsFields> p : parts) {
            if (!p.test(r, doc)) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    static Condition parse(Object spec) {
        if (spec == null) {
            return ALWAYS;
        }
        if (!(spec instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("'when' must be a map of conditions");
        }
        List<BiPredicate<RecordView, EcsFields>> parts = new ArrayList<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            switch (key) {
                case "code" -> {
                    Set<String> codes = texts(key, v);
                    parts.add((r, doc) -> codes.contains(doc.get("event.code")));
                }
                case "operation" -> {
                    Set<String> ops = texts(key, v);
                    parts.add((r, doc) -> ops.contains(r.record().getOperation()));
                }
                case "workload" -> {
                    Set<String> workloads = texts(key, v);
                    parts.add((r, doc) -> workloads.contains(r.record().getWorkload()));
                }
                case "recordType" -> {
                    Set<String> types = texts(key, v);
                    parts.add((r, doc) -> r.record().getRecordType() != null
                            && types.contains(r.record().getRecordType().toString()));
                }
                case "field" -> {
                    if (!(v instanceof Map<?, ?> fields) || fields.isEmpty()) {
                        throw new IllegalArgumentException("'field' must map record paths to a value or a list of values");
                    }
                    for (Map.Entry<String, Object> f : ((Map<String, Object>) fields).entrySet()) {
                        RecordPath path = RecordPath.parse(f.getKey());
                        Set<String> wanted = texts("field " + f.getKey(), f.getValue());
                        parts.add((r, doc) -> r.texts(path).stream().anyMatch(wanted::contains));
                    }
                }
                case "present" -> {
                    List<RecordPath> paths = new ArrayList<>();
                    for (String p : texts(key, v)) {
                        paths.add(RecordPath.parse(p));
                    }
                    parts.add((r, doc) -> paths.stream().allMatch(r::present));
                }
                case "not" -> {
                    Condition inner = parse(v);
                    parts.add((r, doc) -> !inner.test(r, doc));
                }
                default -> throw new IllegalArgumentException("unknown condition '" + key + "' (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        return new Condition(List.copyOf(parts));
    }

    /** A value or a list of values, as texts (YAML may give numbers or booleans). */
    static Set<String> texts(String key, Object v) {
        Set<String> out = new LinkedHashSet<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                out.add(scalar(key, o));
            }
        } else {
            out.add(scalar(key, v));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("'" + key + "' needs at least one value");
        }
        return out;
    }

    private static String scalar(String key, Object o) {
        if (o == null || o instanceof Map<?, ?> || o instanceof List<?>) {
            throw new IllegalArgumentException("'" + key + "' takes a value or a list of values");
        }
        return o.toString();
    }
}
