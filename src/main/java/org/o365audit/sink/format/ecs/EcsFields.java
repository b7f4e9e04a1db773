package org.o365audit.sink.format.ecs;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ECS fields of one document while the rules fill them, by dotted name: a text, or a list of texts for the
 * fields the mapping declares as arrays. Written as nested JSON, numbers for the fields declared as numbers.
 */
public final class EcsFields {
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Set<String> arrays;
    private final Set<String> numbers;

    EcsFields(Set<String> arrays, Set<String> numbers) {
        this.arrays = arrays;
        this.numbers = numbers;
    }

    /** The text of a field, or the first element of a list field; null when unset. */
    public String get(String name) {
        Object v = values.get(name);
        if (v instanceof List<?> l) {
            return l.isEmpty() ? null : (String) l.get(0);
        }
        return (String) v;
    }

    /** Every value of a field: one for a text field, all for a list. */
    @SuppressWarnings("unchecked")
    public List<String> all(String name) {
        Object v = values.get(name);
        if (v == null) {
            return List.of();
        }
        return v instanceof List<?> ? (List<String>) v : List.of((String) v);
    }

    public Set<String> names() {
        return values.keySet();
    }

    boolean isArray(String name) {
        return arrays.contains(name);
    }

    /** Sets a field the document writes itself, whatever the rules set. */
    public void set(String name, String value) {
        put(name, value, true);
    }

    /** Sets a text field (the first rule wins unless {@code replace}), or adds to a list field (each value once). */
    void put(String name, String value, boolean replace) {
        if (value == null || value.isEmpty() || (numbers.contains(name) && !isWholeNumber(value))) {
            return;   // a number field never gets text that would make Elasticsearch refuse the document
        }
        if (arrays.contains(name)) {
            add(name, value);
        } else if (replace || !values.containsKey(name)) {
            values.put(name, value);
        }
    }

    @SuppressWarnings("unchecked")
    private void add(String name, String value) {
        List<String> list = (List<String>) values.computeIfAbsent(name, k -> new ArrayList<String>(4));
        if (!list.contains(value)) {
            list.add(value);
        }
    }

    /** Writes the fields into the object {@code g} is in, nesting dotted names. */
    public void write(JsonGenerator g) throws IOException {
        writeObject(g, nest());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> nest() {
        Map<String, Object> root = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String[] parts = e.getKey().split("\\.");
            Map<String, Object> at = root;
            for (int i = 0; i < parts.length - 1; i++) {
                at = (Map<String, Object>) at.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
            }
            at.put(parts[parts.length - 1], new Leaf(e.getKey(), e.getValue()));
        }
        return root;
    }

    private record Leaf(String name, Object value) {
    }

    @SuppressWarnings("unchecked")
    private void writeObject(JsonGenerator g, Map<String, Object> object) throws IOException {
        for (Map.Entry<String, Object> e : object.entrySet()) {
            g.writeFieldName(e.getKey());
            if (e.getValue() instanceof Leaf leaf) {
                writeLeaf(g, leaf);
            } else {
                g.writeStartObject();
                writeObject(g, (Map<String, Object>) e.getValue());
                g.writeEndObject();
            }
        }
    }

    private void writeLeaf(JsonGenerator g, Leaf leaf) throws IOException {
        if (leaf.value() instanceof List<?> list) {
            g.writeStartArray();
            for (Object v : list) {
                writeScalar(g, leaf.name(), (String) v);
            }
            g.writeEndArray();
        } else {
            writeScalar(g, leaf.name(), (String) leaf.value());
        }
    }

    private void writeScalar(JsonGenerator g, String name, String v) throws IOException {
        if (numbers.contains(name)) {
            g.writeNumber(Long.parseLong(v));
        } else {
            g.writeString(v);
        }
    }

    static boolean isWholeNumber(String v) {
        int start = v.startsWith("-") ? 1 : 0;
        if (v.length() <= start || v.length() > 18) {
            return false;
        }
        for (int i = start; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
