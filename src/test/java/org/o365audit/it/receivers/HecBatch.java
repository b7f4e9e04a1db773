package org.o365audit.it.receivers;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One HEC {@code /event} body read the way Splunk reads it (siem-formats.md §1): JSON envelopes one after another,
 * no array, no commas; each checked in order, and the first bad one ends the batch. The envelopes before it are
 * {@link #envelopes()}, the bad one's position is {@link Problem#eventNumber()}.
 */
final class HecBatch {

    /** A Splunk reply code with its text; {@code reason} is for the test's eyes only, not sent. */
    record Problem(int code, String text, int eventNumber, String reason) {
    }

    /** Anything above this is taken for epoch milliseconds, not seconds (year 5138 in seconds). */
    static final double MAX_EPOCH_SECONDS = 1e11;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> STRING_KEYS = Set.of("sourcetype", "index", "source", "host");

    private final List<ObjectNode> envelopes;
    private final Problem problem;

    private HecBatch(List<ObjectNode> envelopes, Problem problem) {
        this.envelopes = envelopes;
        this.problem = problem;
    }

    /** @param allowedIndexes the indexes the token may write to; empty = any */
    static HecBatch read(byte[] body, Set<String> allowedIndexes) {
        List<ObjectNode> envelopes = new ArrayList<>();
        try (JsonParser parser = JSON.getFactory().createParser(body)) {
            while (true) {
                int i = envelopes.size();
                JsonToken token;
                try {
                    token = parser.nextToken();
                } catch (IOException e) {
                    return new HecBatch(envelopes, new Problem(6, "Invalid data format", i, e.getMessage()));
                }
                if (token == null) {
                    break;
                }
                if (token != JsonToken.START_OBJECT) {
                    return new HecBatch(envelopes, new Problem(6, "Invalid data format", i,
                            "envelope " + i + " starts with " + token + ", not an object (arrays are not batches)"));
                }
                ObjectNode envelope;
                try {
                    envelope = JSON.readTree(parser);
                } catch (IOException e) {
                    return new HecBatch(envelopes, new Problem(6, "Invalid data format", i, e.getMessage()));
                }
                Problem problem = check(envelope, i, allowedIndexes);
                if (problem != null) {
                    return new HecBatch(envelopes, problem);
                }
                envelopes.add(envelope);
            }
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array failed", e);
        }
        if (envelopes.isEmpty()) {
            return new HecBatch(envelopes, new Problem(5, "No data", 0, "no envelope in the body"));
        }
        return new HecBatch(envelopes, null);
    }

    private static Problem check(ObjectNode envelope, int i, Set<String> allowedIndexes) {
        JsonNode time = envelope.get("time");
        if (time == null || !time.isNumber()) {
            return new Problem(6, "Invalid data format", i, "time must be a JSON number of epoch seconds: " + time);
        }
        if (time.asDouble() > MAX_EPOCH_SECONDS || time.asDouble() < 0) {
            return new Problem(6, "Invalid data format", i, "time " + time + " is not epoch seconds (milliseconds?)");
        }
        for (String key : STRING_KEYS) {
            if (envelope.has(key) && !envelope.get(key).isTextual()) {
                return new Problem(6, "Invalid data format", i, key + " must be a string: " + envelope.get(key));
            }
        }
        if (!allowedIndexes.isEmpty() && envelope.has("index") && !allowedIndexes.contains(envelope.get("index").asText())) {
            return new Problem(7, "Incorrect index", i, "index " + envelope.get("index") + " not in " + allowedIndexes);
        }
        JsonNode event = envelope.get("event");
        if (event == null) {
            return new Problem(12, "Event field is required", i, "no event");
        }
        if (event.isNull() || (event.isTextual() && event.asText().isBlank()) || (event.isContainerNode() && event.isEmpty())) {
            return new Problem(13, "Event field cannot be blank", i, "event is " + event);
        }
        if (envelope.has("fields") && !flatStringFields(envelope.get("fields"))) {
            return new Problem(15, "Error in handling indexed fields", i,
                    "fields must be a flat object of strings or string arrays: " + envelope.get("fields"));
        }
        return null;
    }

    private static boolean flatStringFields(JsonNode fields) {
        if (!fields.isObject()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
            JsonNode value = it.next().getValue();
            if (value.isArray()) {
                for (JsonNode element : value) {
                    if (!element.isTextual()) {
                        return false;
                    }
                }
            } else if (!value.isTextual()) {
                return false;
            }
        }
        return true;
    }

    /** The envelopes before the first bad one (all of them if none is bad). */
    List<ObjectNode> envelopes() {
        return envelopes;
    }

    /** The first bad envelope, or null. */
    Problem problem() {
        return problem;
    }
}
