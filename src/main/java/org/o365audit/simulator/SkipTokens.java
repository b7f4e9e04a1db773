package org.o365audit.simulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code $skiptoken}s of one environment's audit listings. A token names a position in a snapshot
 * kept here, together with the query it belongs to, so a nextLink that was edited (another filter, a
 * changed token) is refused instead of silently paging something else. Only recent tokens are kept.
 */
final class SkipTokens {

    /** Where the next page starts, in the snapshot of the query that produced it. */
    record Position(List<DataverseAudit> snapshot, int offset, int pageNumber, AuditQuery query) {
    }

    private static final int KEPT = 1_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Position> positions = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Position> eldest) {
            return size() > KEPT;
        }
    };

    /**
     * A token shaped like Dataverse's: {@code <cookie pagenumber="2" pagingcookie="..." istracking="False" />},
     * the paging cookie percent-encoded twice as the service sends it, plus a random snapshot id.
     */
    synchronized String issue(Position next) {
        DataverseAudit last = next.snapshot().get(next.offset() - 1);
        byte[] nonce = new byte[8];
        RANDOM.nextBytes(nonce);
        String inner = "<cookie page=\"" + (next.pageNumber() - 1) + "\" snapshot=\"" + HexFormat.of().formatHex(nonce)
                + "\"><auditid last=\"{" + last.auditId().toUpperCase(Locale.ROOT) + "}\" /></cookie>";
        String token = "<cookie pagenumber=\"" + next.pageNumber() + "\" pagingcookie=\"" + encode(encode(inner))
                + "\" istracking=\"False\" />";
        positions.put(token, next);
        return token;
    }

    synchronized Optional<Position> find(String token) {
        return Optional.ofNullable(positions.get(token));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
