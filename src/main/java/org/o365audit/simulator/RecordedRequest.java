package org.o365audit.simulator;

import java.time.Instant;
import java.util.Map;

/**
 * One request the simulator answered for a tenant.
 *
 * @param at            simulator clock when the answer was decided
 * @param method        HTTP method
 * @param path          decoded request path (a contentId's {@code %24} appears as {@code $})
 * @param query         decoded query parameters as sent (names keep their case; the last value wins)
 * @param authorization the Authorization header as sent, or null
 * @param status        HTTP status answered
 */
public record RecordedRequest(Instant at, String method, String path, Map<String, String> query,
                              String authorization, int status) {

    public RecordedRequest {
        query = Map.copyOf(query);
    }

    /** True when the call carried the {@code PublisherIdentifier} query parameter (case-insensitive). */
    public boolean hasPublisherIdentifier() {
        return query.keySet().stream().anyMatch("PublisherIdentifier"::equalsIgnoreCase);
    }
}
