package org.o365audit.collect;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Windows an operator asked to collect again for a tenant and content type (JMX operation backfill). The next
 * poll lists them before its own windows and collects every blob there that is not in the ledger yet; the
 * request shrinks as its windows complete and is gone when all are done. Kept in memory: after a restart,
 * ask again.
 */
@Component
public class BackfillRequests {
    private final Map<String, Range> requests = new ConcurrentHashMap<>();

    public void request(String tenantId, String contentType, Instant from, Instant to) {
        requests.put(tenantId + "|" + contentType, new Range(from, to));
    }

    public Range pending(String tenantId, String contentType) {
        return requests.get(tenantId + "|" + contentType);
    }

    /** A requested window up to {@code end} is collected. */
    public void done(String tenantId, String contentType, Instant end) {
        requests.computeIfPresent(tenantId + "|" + contentType,
                (k, r) -> end.isBefore(r.to()) ? new Range(end.isAfter(r.from()) ? end : r.from(), r.to()) : null);
    }

    public record Range(Instant from, Instant to) {
    }
}
