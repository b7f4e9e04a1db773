package org.o365audit.govern;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.o365audit.api.ManagementApiException;
import org.o365audit.api.TenantBackingOffException;

/**
 * Turns what Graph refused into a failed (or refused) case with its meaning, never an exception out of the route:
 * throttling ("nothing done, retry after N s"), 5xx after the retries, and the 4xx each action explains itself
 * ({@code meaning}: a detail for the error, or null for the generic one).
 */
final class GraphFailures {
    private GraphFailures() {
    }

    /** Decides the case from an error of a call made {@code doing} (e.g. "reading the user"). */
    static GovernanceCase decide(GovernanceCase c, RuntimeException e, String doing,
            Function<ManagementApiException, String> meaning) {
        if (e instanceof TenantBackingOffException b) {
            long s = Math.max(1, Duration.between(Instant.now(), b.until()).toSeconds());
            return c.decide(GovernanceResult.FAILED, "throttled by Microsoft Graph while " + doing + "; nothing was done,"
                    + " retry after " + s + " s").answered(429, "TooManyRequests");
        }
        if (!(e instanceof ManagementApiException m)) {
            throw e;
        }
        if (m.throttled()) {
            return c.decide(GovernanceResult.FAILED, "throttled by Microsoft Graph while " + doing + "; nothing was done,"
                    + " retry later").answered(m.status(), answer(m));
        }
        String explained = m.retriable() || m.status() == 0 ? null : meaning.apply(m);
        if (explained == null) {
            explained = m.status() >= 500 ? "Microsoft Graph failed while " + doing + " (HTTP " + m.status()
                    + ", after retries); retry later" : m.status() == 0 ? "Microsoft Graph could not be reached while "
                    + doing + ": " + m.getMessage() : "Microsoft Graph refused " + doing + " (HTTP " + m.status() + ")";
        }
        return c.decide(GovernanceResult.FAILED, explained).answered(m.status() == 0 ? null : m.status(), answer(m));
    }

    /** Graph's error code and message, as the exception carries them after its context. */
    static String answer(ManagementApiException m) {
        String text = m.getMessage();
        String marker = "HTTP " + m.status();
        int at = text.indexOf(marker);
        return (at < 0 ? text : text.substring(at + marker.length())).trim();
    }
}
