package org.o365audit.sink.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/** The fields an index template maps, by dotted name: every mapping with a type (multi-fields stay inside theirs). */
final class TemplateFields {
    private TemplateFields() {
    }

    static Map<String, JsonNode> of(JsonNode mappings) {
        Map<String, JsonNode> fields = new TreeMap<>();
        walk(mappings.path("properties"), "", fields);
        return fields;
    }

    private static void walk(JsonNode properties, String prefix, Map<String, JsonNode> fields) {
        properties.fields().forEachRemaining(e -> {
            String name = prefix + e.getKey();
            JsonNode m = e.getValue();
            if (m.has("type") && !"object".equals(m.path("type").asText())) {
                fields.put(name, m);
            } else {
                walk(m.path("properties"), name + ".", fields);
            }
        });
    }
}
