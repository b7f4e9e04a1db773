package org.o365audit.simulator;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The content blobs of one tenant, keyed by contentId. */
final class BlobStore {

    /** Listing order: when content became available, then contentId. */
    static final Comparator<SimBlob> LISTING_ORDER =
            Comparator.comparing(SimBlob::contentCreated).thenComparing(SimBlob::contentId);

    private final Map<String, SimBlob> byId = new ConcurrentHashMap<>();
    private volatile int pageSize = 100;

    /** Adds a blob; a blob with the same contentId is replaced. */
    void add(SimBlob blob) {
        byId.put(blob.contentId(), blob);
    }

    void forgetExpiredBefore(Instant cutoff) {
        byId.values().removeIf(b -> b.contentExpiration().isBefore(cutoff));
    }

    Optional<SimBlob> find(String contentId) {
        return Optional.ofNullable(byId.get(contentId));
    }

    List<SimBlob> ofType(String contentType) {
        return byId.values().stream()
                .filter(b -> b.contentType().equals(contentType))
                .sorted(LISTING_ORDER)
                .toList();
    }

    /** Blobs with {@code start <= contentCreated < end} that are already visible at {@code now}, in listing order. */
    List<SimBlob> listable(String contentType, Instant start, Instant end, Instant now) {
        return byId.values().stream()
                .filter(b -> b.contentType().equals(contentType))
                .filter(b -> !b.contentCreated().isBefore(start) && b.contentCreated().isBefore(end))
                .filter(b -> !b.visibleFrom().isAfter(now))
                .sorted(LISTING_ORDER)
                .toList();
    }

    void pageSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("page size must be positive: " + n);
        }
        pageSize = n;
    }

    int pageSize() {
        return pageSize;
    }
}
