package org.o365audit.it.receivers;

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

    /** One operation of the request. */
    record Item(String action, String index, String id, ObjectNode source) {
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
            items.add(new Item(name, index, id, object(lines[n], n + 1)));
        }
        return items;
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
