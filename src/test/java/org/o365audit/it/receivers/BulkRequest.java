package org.o365audit.it.receivers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An Elasticsearch/OpenSearch {@code _bulk} body read strictly by the rules of siem-formats.md §2: NDJSON, every
 * line (the last one too) ending in {@code \n}, one compact JSON object per line, an action line followed by its
 * source line. Only {@code create} and {@code index} are expected from the sink, and each must carry an
 * {@code _id} (the record's Id makes resends idempotent). Any violation refuses the whole request, as ES does
 * when it cannot parse a bulk body.
 */
final class BulkRequest {

    /**
     * One operation of the request. The source line is checked in one streaming pass (one JSON object, no field
     * twice: ES refuses a document with a duplicate field) and read as a tree only when a test asks for it.
     */
    static final class Item {
        private final String action;
        private final String index;
        private final String id;
        private final String sourceLine;
        private final String duplicateField;
        private ObjectNode source;

        Item(String action, String index, String id, String sourceLine, String duplicateField) {
            this.action = action;
            this.index = index;
            this.id = id;
            this.sourceLine = sourceLine;
            this.duplicateField = duplicateField;
        }

        String action() {
            return action;
        }

        String index() {
            return index;
        }

        String id() {
            return id;
        }

        /** The message of ES's mapper_parsing_exception when the document has a field twice, else null. */
        String duplicateField() {
            return duplicateField;
        }

        synchronized ObjectNode source() {
            if (source == null) {
                try {
                    source = (ObjectNode) JSON.readTree(sourceLine);
                } catch (IOException e) {
                    throw new IllegalStateException("a checked source line is JSON", e);
                }
            }
            return source;
        }
    }

    /** Why the whole request is refused: an ES error type and reason. */
    static final class Malformed extends Exception {
        final String type;

        Malformed(String type, String reason) {
            super(reason);
            this.type = type;
        }
    }

    static final int MAX_ID_BYTES = 512;
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonFactory STRICT = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private BulkRequest() {
    }

    static List<Item> parse(byte[] body, String defaultIndex) throws Malformed {
        if (body.length == 0) {
            throw new Malformed("action_request_validation_exception", "Validation Failed: 1: no requests added;");
        }
        if (body[body.length - 1] != '\n') {
            throw new Malformed("illegal_argument_exception", "The bulk request must be terminated by a newline [\\n]");
        }
        String[] lines = new String(body, StandardCharsets.UTF_8).split("\n", -1);
        List<Item> items = new ArrayList<>();
        int last = lines.length - 1; // the empty string after the final \n
        for (int n = 0; n < last; n++) {
            ObjectNode action = object(lines[n], n + 1);
            if (action.size() != 1) {
                throw new Malformed("illegal_argument_exception", "Malformed action/metadata line [" + (n + 1)
                        + "], expected a single action but found " + action.size() + " fields");
            }
            String name = action.fieldNames().next();
            if (!name.equals("create") && !name.equals("index")) {
                throw new Malformed("illegal_argument_exception", "Malformed action/metadata line [" + (n + 1)
                        + "], expected create or index (the only actions the sink should send) but found [" + name + "]");
            }
            JsonNode meta = action.get(name);
            String index = meta.path("_index").isTextual() ? meta.get("_index").asText() : defaultIndex;
            if (index == null || index.isEmpty()) {
                throw new Malformed("action_request_validation_exception", "Validation Failed: 1: index is missing;");
            }
            if (!meta.path("_id").isTextual() || meta.get("_id").asText().isEmpty()) {
                throw new Malformed("action_request_validation_exception", "Validation Failed: 1: line [" + (n + 1)
                        + "] has no _id; the sink must set a deterministic _id;");
            }
            String id = meta.get("_id").asText();
            if (id.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
                throw new Malformed("action_request_validation_exception", "Validation Failed: 1: id [" + id
                        + "] is too long, must be no longer than 512 bytes but was: " + id.getBytes(StandardCharsets.UTF_8).length + ";");
            }
            n++;
            if (n == last) {
                throw new Malformed("illegal_argument_exception", "action line [" + n + "] has no source line");
            }
            items.add(source(name, index, id, lines[n], n + 1));
        }
        return items;
    }

    /** A source line: one JSON object, checked without a tree; a field twice is the item's problem, not the request's. */
    private static Item source(String action, String index, String id, String line, int lineNumber) throws Malformed {
        String text = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        try (JsonParser p = STRICT.createParser(text)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                p.skipChildren();
                if (p.nextToken() == null) {
                    return new Item(action, index, id, text, null);
                }
            }
        } catch (JsonParseException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Duplicate field")) {
                object(line, lineNumber);   // otherwise well-formed?
                return new Item(action, index, id, text, e.getOriginalMessage());
            }
        } catch (IOException e) {
            // as below
        }
        object(line, lineNumber);   // says what is wrong
        throw new Malformed("x_content_parse_exception", "line [" + lineNumber + "] is not one JSON object");
    }

    private static ObjectNode object(String line, int lineNumber) throws Malformed {
        String text = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        if (text.isBlank()) {
            throw new Malformed("illegal_argument_exception", "line [" + lineNumber + "] is blank");
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            throw new Malformed("x_content_parse_exception", "line [" + lineNumber + "] is not one JSON object"
                    + " (pretty-printed?): " + e.getMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw new Malformed("illegal_argument_exception", "line [" + lineNumber + "] is not a JSON object");
        }
        return object;
    }
}
