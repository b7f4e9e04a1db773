package org.o365audit.sink.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.o365audit.sink.format.BulkItemResult.Disposition;

/**
 * The {@code _bulk} reply, item by item. Its HTTP status is 200 even when items failed, so only the items
 * tell what was stored; a reply whose items cannot be matched one to one with the request is refused
 * outright, since guessing would either lose records or store them twice.
 *
 * @param errors the reply's own {@code errors} flag: false means every item is stored
 */
public record BulkResponse(boolean errors, List<BulkItemResult> items) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static BulkResponse parse(byte[] body, int requestCount) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new MalformedReplyException("_bulk reply is not JSON: " + snippet(body), e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedReplyException("_bulk reply is not a JSON object: " + snippet(body));
        }
        JsonNode items = root.get("items");
        if (items == null || !items.isArray()) {
            JsonNode error = root.get("error");
            if (error != null) {
                throw new MalformedReplyException("the whole _bulk request was refused (status "
                        + root.path("status").asText("?") + "): " + error.path("type").asText("")
                        + " " + error.path("reason").asText(error.toString()));
            }
            throw new MalformedReplyException("not a _bulk reply (no items array): " + snippet(body));
        }
        if (items.size() != requestCount) {
            throw new MalformedReplyException("_bulk reply has " + items.size() + " items for " + requestCount
                    + " actions sent");
        }
        boolean errors = root.path("errors").asBoolean(true);
        List<BulkItemResult> results = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            results.add(item(i, items.get(i), errors));
        }
        return new BulkResponse(errors, List.copyOf(results));
    }

    /** The items with this disposition, in request order. */
    public List<BulkItemResult> with(Disposition d) {
        return items.stream().filter(i -> i.disposition() == d).toList();
    }

    public boolean allStored() {
        return !errors || items.stream().allMatch(i -> i.disposition() == Disposition.STORED);
    }

    private static BulkItemResult item(int index, JsonNode item, boolean errors) {
        if (item == null || !item.isObject() || item.size() != 1) {
            throw new MalformedReplyException("_bulk reply item " + index + " is not {\"<action>\":{...}}: " + item);
        }
        Map.Entry<String, JsonNode> only = item.properties().iterator().next();
        String action = only.getKey();
        JsonNode result = only.getValue();
        JsonNode status = result.get("status");
        if (status == null || !status.canConvertToInt()) {
            throw new MalformedReplyException("_bulk reply item " + index + " has no status: " + item);
        }
        String id = result.path("_id").asText(null);
        if (!errors) {
            // errors:false vouches for every item; no need to read error details that cannot be there.
            return new BulkItemResult(index, action, id, status.intValue(), null, null, Disposition.STORED);
        }
        JsonNode error = result.get("error");
        String type = error == null ? null : error.path("type").asText(null);
        String reason = error == null ? null : error.path("reason").asText(error.isTextual() ? error.asText() : null);
        return new BulkItemResult(index, action, id, status.intValue(), type, reason,
                BulkItemResult.classify(action, status.intValue(), type));
    }

    private static String snippet(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
