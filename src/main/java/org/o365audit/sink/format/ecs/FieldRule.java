package org.o365audit.sink.format.ecs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** One entry of "fields": where a value comes from, when, and what is done with it on its way into the document. */
record FieldRule(String to, List<Source> from, String value, Template template, Condition when, Transform as,
                 boolean replace) {
    private static final Set<String> KEYS = Set.of("to", "from", "value", "when", "as", "replace");
    private static final Set<String> LOOKUP_KEYS = Set.of("map", "otherwise", "pick");

    void apply(RecordView record, EcsFields doc) {
        if (!when.test(record, doc)) {
            return;
        }
        if (template != null) {
            doc.put(to, template.fill(record, doc), replace);
            return;
        }
        if (value != null) {
            doc.put(to, value, replace);
            return;
        }
        List<String> values;
        if (from.size() == 1) {
            values = from.get(0).values(record, doc);
        } else {
            values = new ArrayList<>();
            for (Source s : from) {
                List<String> found = s.values(record, doc);
                values.addAll(found);
                if (!found.isEmpty() && !doc.isArray(to) && !(as instanceof Transform.Lookup l && l.max())) {
                    break;   // for one value the first source that has one wins
                }
            }
        }
        as.apply(values, to, doc, replace);
    }

    @SuppressWarnings("unchecked")
    static FieldRule parse(Map<String, Object> spec, Map<String, Map<String, String>> maps) {
        for (String key : spec.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "' (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        String to = FieldNames.checkTarget((String) required(spec, "to"));
        Object from = spec.get("from");
        Object value = spec.get("value");
        if ((from == null) == (value == null)) {
            throw new IllegalArgumentException("a rule takes either 'from' or 'value'");
        }
        List<Source> sources = new ArrayList<>();
        if (from != null) {
            for (String s : Condition.texts("from", from)) {
                sources.add(Source.parse(s));
            }
        }
        Object replace = spec.getOrDefault("replace", Boolean.FALSE);
        if (!(replace instanceof Boolean)) {
            throw new IllegalArgumentException("'replace' is true or false");
        }
        String text = value == null ? null : value.toString();
        Template template = text != null && Template.isTemplate(text) ? Template.parse(text) : null;
        return new FieldRule(to, List.copyOf(sources), text, template, Condition.parse(spec.get("when")),
                transform(spec.get("as"), maps), (Boolean) replace);
    }

    @SuppressWarnings("unchecked")
    private static Transform transform(Object as, Map<String, Map<String, String>> maps) {
        if (as == null) {
            return Transform.named("text");
        }
        if (as instanceof String name) {
            return Transform.named(name);
        }
        if (!(as instanceof Map<?, ?> spec)) {
            throw new IllegalArgumentException("'as' is a transform name or {map: table, otherwise: value, pick: max}");
        }
        for (Object key : spec.keySet()) {
            if (!LOOKUP_KEYS.contains(key.toString())) {
                throw new IllegalArgumentException("unknown key '" + key + "' in 'as' (known: map, otherwise, pick)");
            }
        }
        String table = (String) required((Map<String, Object>) spec, "map");
        Map<String, String> entries = maps.get(table);
        if (entries == null) {
            throw new IllegalArgumentException("no table '" + table + "' under maps");
        }
        Object pick = spec.get("pick");
        if (pick != null && !"max".equals(pick)) {
            throw new IllegalArgumentException("'pick' can only be max");
        }
        Map<String, String> lower = new java.util.HashMap<>();
        entries.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        Object otherwise = spec.get("otherwise");
        return new Transform.Lookup(table, Map.copyOf(lower), otherwise == null ? null : otherwise.toString(), pick != null);
    }

    static Object required(Map<String, Object> spec, String key) {
        Object v = spec.get(key);
        if (v == null || v.toString().isBlank()) {
            throw new IllegalArgumentException("'" + key + "' is missing");
        }
        return v;
    }

    /** Where the rule reads: its sources, or its template's. */
    List<Source> reads() {
        return template != null ? template.sources() : from;
    }

    /** The fields this rule may write: its target, and the siblings its transform fills. */
    List<String> writes() {
        if (as instanceof Transform.UpnParts) {
            return List.of(to, FieldNames.sibling(to, "email"), FieldNames.sibling(to, "name"), FieldNames.sibling(to, "domain"));
        }
        if (as instanceof Transform.AddressParts a) {
            List<String> parts = a.server() ? List.of("address", "ip", "domain") : List.of("address", "ip", "port", "domain");
            return parts.stream().map(p -> FieldNames.sibling(to, p)).toList();
        }
        return List.of(to);
    }
}
