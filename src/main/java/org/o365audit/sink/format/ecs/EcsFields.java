package org.o365audit.sink.format.ecs;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The ECS fields of one document while the rules fill them, by dotted name: a text, or a list of texts for the
 * fields the mapping declares as arrays. Written as nested JSON, numbers for the fields declared as numbers.
 */
public final class EcsFields {
    private final Layout layout;
    private final Object[] values;
    private final Set<String> arrays;
    private final Set<String> numbers;

    EcsFields(Layout layout, Set<String> arrays, Set<String> numbers) {
        this.layout = layout;
        this.values = new Object[layout.size()];
        this.arrays = arrays;
        this.numbers = numbers;
    }

    /** The text of a field, or the first element of a list field; null when unset. */
    public String get(String name) {
        int id = layout.id(name);
        Object v = id < 0 ? null : values[id];
        if (v instanceof List<?> l) {
            return l.isEmpty() ? null : (String) l.get(0);
        }
        return (String) v;
    }

    /** Every value of a field: one for a text field, all for a list. */
    @SuppressWarnings("unchecked")
    public List<String> all(String name) {
        int id = layout.id(name);
        Object v = id < 0 ? null : values[id];
        if (v == null) {
            return List.of();
        }
        return v instanceof List<?> ? (List<String>) v : List.of((String) v);
    }

    boolean isArray(String name) {
        return arrays.contains(name);
    }

    /** Sets a field the document writes itself, whatever the rules set. */
    public void set(String name, String value) {
        put(name, value, true);
    }

    /** Sets a text field (the first rule wins unless {@code replace}), or adds to a list field (each value once). */
    @SuppressWarnings("unchecked")
    void put(String name, String value, boolean replace) {
        if (value == null || value.isEmpty() || (numbers.contains(name) && !isWholeNumber(value))) {
            return;   // a number field never gets text that would make Elasticsearch refuse the document
        }
        int id = layout.id(name);
        if (id < 0) {
            throw new IllegalStateException("the ECS mapping writes " + name + ", which its layout lacks");
        }
        if (arrays.contains(name)) {
            List<String> list = (List<String>) values[id];
            if (list == null) {
                values[id] = list = new ArrayList<>(4);
            }
            if (!list.contains(value)) {
                list.add(value);
            }
        } else if (replace || values[id] == null) {
            values[id] = value;
        }
    }

    /** Writes the fields into the object {@code g} is in, nesting dotted names. */
    public void write(JsonGenerator g) throws IOException {
        String[] open = new String[layout.maxDepth()];
        int depth = 0;
        for (int id = 0; id < values.length; id++) {
            if (values[id] == null) {
                continue;
            }
            String[] parts = layout.parts(id);
            int common = 0;
            while (common < depth && common < parts.length - 1 && open[common].equals(parts[common])) {
                common++;
            }
            for (; depth > common; depth--) {
                g.writeEndObject();
            }
            for (; depth < parts.length - 1; depth++) {
                g.writeObjectFieldStart(parts[depth]);
                open[depth] = parts[depth];
            }
            g.writeFieldName(parts[parts.length - 1]);
            writeValue(g, layout.name(id), values[id]);
        }
        for (; depth > 0; depth--) {
            g.writeEndObject();
        }
    }

    private void writeValue(JsonGenerator g, String name, Object value) throws IOException {
        if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object v : list) {
                writeScalar(g, name, (String) v);
            }
            g.writeEndArray();
        } else {
            writeScalar(g, name, (String) value);
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
