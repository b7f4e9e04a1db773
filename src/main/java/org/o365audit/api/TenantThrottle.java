package org.o365audit.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import org.o365audit.config.O365Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Back-off after throttling (429, or AF429 as HTTP 403), per key: a tenant's Management API (all its
 * content types wait together), its Power BI API, one Dataverse environment. Other keys are not affected.
 * Honours Retry-After, else grows exponentially with jitter. A key that is backing off ends its poll at
 * once; nothing here sleeps.
 */
@Component
public class TenantThrottle {
    private static final Logger LOG = LoggerFactory.getLogger(TenantThrottle.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    private final ConcurrentMap<String, State> states = new ConcurrentHashMap<>();
    private final O365Properties props;
    private final Clock clock;

    public TenantThrottle(O365Properties props, Clock clock) {
        this.props = props;
        this.clock = clock;
    }

    /**
     * Returns at once when the key may call now; otherwise ends the poll with {@link TenantBackingOffException}.
     * Never sleeps: a Quartz thread that slept out one tenant's back-off would be missing for the healthy ones.
     * The next poll after the back-off resumes where the cursor is.
     */
    public void awaitTurn(String key, String tenantName) {
        State s = states.get(key);
        if (s != null && s.notBefore.isAfter(clock.instant())) {
            throw new TenantBackingOffException(tenantName, s.notBefore);
        }
    }

    public void throttled(String key, String tenantName, Duration retryAfter, String what) {
        State s = states.compute(key, (k, old) -> {
            int n = old == null ? 1 : old.consecutive + 1;
            Duration delay = retryAfter != null ? retryAfter : exponential(n);
            Instant until = clock.instant().plus(delay);
            if (old != null && old.notBefore.isAfter(until)) {
                until = old.notBefore;
            }
            return new State(until, n);
        });
        LOG.warn("tenant {}: throttled on {} ({} in a row); backing off until {}{}", tenantName, what,
                s.consecutive, s.notBefore, retryAfter != null ? " as Retry-After asked" : "");
    }

    public void succeeded(String key) {
        states.computeIfPresent(key, (k, s) -> s.consecutive == 0 ? s : new State(s.notBefore, 0));
    }

    /** Delay before attempt n+1 after n failures: initial × 2^(n-1), capped, with up to 20 % jitter. */
    public Duration exponential(int n) {
        long base = props.getInitialBackoff().toMillis() << Math.min(n - 1, 20);
        long capped = Math.min(base, MAX_BACKOFF.toMillis());
        return Duration.ofMillis(capped + ThreadLocalRandom.current().nextLong(capped / 5 + 1));
    }

    private record State(Instant notBefore, int consecutive) {
    }
}
