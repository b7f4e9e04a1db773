package org.o365audit.sink.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The leaf fields of a document as Elasticsearch indexes them: dotted names, an array's values under the array's
 * own name, nulls left out (Elasticsearch skips them). The raw record under o365.audit is one flattened field and
 * is not walked.
 */
final class DocumentFields {
    static final String RAW_RECORD = "o365.audit";

    private DocumentFields() {
    }

    static void collect(JsonNode document, Map<String, List<JsonNode>> into) {
        walk(document, "", into);
    }

    private static void walk(JsonNode n, String name, Map<String, List<JsonNode>> into) {
        if (name.equals(RAW_RECORD) || n.isNull()) {
            return;
        }
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> walk(e.getValue(), name.isEmpty() ? e.getKey() : name + "." + e.getKey(), into));
        } else if (n.isArray()) {
            n.forEach(element -> walk(element, name, into));
        } else {
            into.computeIfAbsent(name, k -> new ArrayList<>()).add(n);
        }
    }
}
