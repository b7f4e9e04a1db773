package org.o365audit.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A record's top-level fields as text, read in one streaming pass over its raw JSON without building a tree: what
 * the SIEM mappings look up per record (OrganizationId, ResultStatus, ClientIP …). Only for raw JSON that is one
 * object with no key twice at any depth, where every parser reads the same record; anything else is left to a tree.
 */
final class TopLevelFields {
    private static final JsonFactory STRICT = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private TopLevelFields() {
    }

    /**
     * The fields as text, and where each object or list value sits in the raw text, so that a mapping reaching into
     * one of them parses only that value rather than the whole record.
     */
    record Scan(Map<String, String> fields, Map<String, int[]> spans) {
    }

    /** Name to text ("" for an object or array, null for JSON null); null when {@code raw} is not such an object. */
    static Scan read(String raw) {
        if (raw == null) {
            return null;
        }
        Map<String, String> fields = new HashMap<>();
        Map<String, int[]> spans = new HashMap<>();
        try (JsonParser p = STRICT.createParser(raw)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (t.isStructStart()) {
                    int start = (int) p.currentTokenLocation().getCharOffset();
                    p.skipChildren();
                    spans.put(name, new int[] {start, (int) p.currentTokenLocation().getCharOffset() + 1});
                    fields.put(name, "");
                } else {
                    fields.put(name, t == JsonToken.VALUE_NULL ? null : p.getText());
                }
            }
            return p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null ? new Scan(fields, spans) : null;
        } catch (IOException notOnePlainObject) {
            return null;
        }
    }
}
