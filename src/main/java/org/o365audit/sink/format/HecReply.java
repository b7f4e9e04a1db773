package org.o365audit.sink.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * A Splunk HEC reply ({@code {"text":..,"code":N,"invalid-event-number":i}}) and what to do about it, per
 * the code table in siem-formats.md §1. The code decides where Splunk gave one; otherwise the HTTP status,
 * as when a load balancer answers with its own error page.
 *
 * @param code Splunk's reply code, null when the body had none
 * @param invalidEventNumber with code 6: the 0-based position of the first refused envelope
 * @param ackId with indexer acknowledgement on: the id to poll for
 */
public record HecReply(int httpStatus, Integer code, String text, Integer invalidEventNumber, Long ackId,
                       Action action) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> CONFIG = Set.of(1, 2, 3, 4, 7, 10, 11, 14, 16, 21, 22);
    private static final Set<Integer> BUG = Set.of(5, 12, 13, 15);

    public enum Action {
        /** Accepted (for indexing, or pending the ack). */
        OK,
        /** Splunk is busy or failing (codes 8, 9; HTTP 408, 429, 5xx): resend the batch with backoff. */
        RETRY,
        /** Token, index, channel or ack settings are wrong: alert, keep the batch and resend once they are fixed. */
        CONFIG,
        /** HTTP 413: the request is over HEC's max_content_length; send fewer events at a time. */
        TOO_LARGE,
        /**
         * Code 6: envelopes before {@link #invalidEventNumber} were indexed; set that one aside and resend
         * only those after it, since resending the whole batch would duplicate the prefix.
         */
        INVALID_EVENT,
        /**
         * The body we built is wrong (no data, empty or blank event, nested fields, code 6 without a position):
         * a bug on our side, and not about an event HEC named, so nothing to set aside either.
         */
        BUG
    }

    public static HecReply parse(int httpStatus, byte[] body) {
        JsonNode root = null;
        try {
            root = body == null || body.length == 0 ? null : JSON.readTree(body);
        } catch (IOException e) {
            // Not HEC's JSON (a proxy's page, say): the HTTP status alone decides.
        }
        Integer code = null;
        String text = null;
        Integer invalid = null;
        Long ackId = null;
        if (root != null && root.isObject()) {
            code = root.path("code").canConvertToInt() ? root.get("code").intValue() : null;
            text = root.path("text").asText(null);
            invalid = root.path("invalid-event-number").canConvertToInt() ? root.get("invalid-event-number").intValue() : null;
            ackId = root.path("ackId").canConvertToLong() ? root.get("ackId").longValue() : null;
        } else if (body != null) {
            String s = new String(body, StandardCharsets.UTF_8);
            text = s.length() > 200 ? s.substring(0, 200) : s;
        }
        return new HecReply(httpStatus, code, text, invalid, ackId, classify(httpStatus, code, invalid));
    }

    static Action classify(int httpStatus, Integer code, Integer invalidEventNumber) {
        if (httpStatus == 413) {
            return Action.TOO_LARGE;
        }
        if (code != null) {
            if (code == 0) {
                return Action.OK;
            }
            if (code == 8 || code == 9) {
                return Action.RETRY;
            }
            if (code == 6) {
                // Without the position there is no telling which envelope was bad.
                return invalidEventNumber != null && invalidEventNumber >= 0 ? Action.INVALID_EVENT : Action.BUG;
            }
            if (CONFIG.contains(code)) {
                return Action.CONFIG;
            }
            if (BUG.contains(code)) {
                return Action.BUG;
            }
        }
        if (httpStatus == 408 || httpStatus == 429 || httpStatus >= 500) {
            return Action.RETRY;
        }
        return httpStatus >= 200 && httpStatus < 300 ? Action.OK : Action.CONFIG;
    }
}
