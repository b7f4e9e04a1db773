package org.o365audit.simulator;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The continuation tokens handed out for one tenant's activity-event listings. A token names a page
 * of a snapshot kept here; it may be used again (a client retrying after a lost answer gets the same
 * page). Only the most recent tokens are kept, as a real service would expire them.
 */
final class ContinuationBook {

    record Position(ActivityEventsListing listing, int page) {
    }

    private static final int KEPT = 1_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Position> positions = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Position> eldest) {
            return size() > KEPT;
        }
    };

    /**
     * A new token for a page. It has the shape of the real ones ({@code +RID:...==#RT:1#TRC:5#FPC:...=}),
     * so it only survives a client that URL-encodes it exactly once.
     */
    synchronized String issue(ActivityEventsListing listing, int page) {
        String token = "+RID:" + random(16) + "#RT:" + page + "#TRC:" + positions.size() + "#FPC:" + random(17);
        positions.put(token, new Position(listing, page));
        return token;
    }

    synchronized Optional<Position> find(String token) {
        return Optional.ofNullable(positions.get(token));
    }

    private static String random(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }
}
