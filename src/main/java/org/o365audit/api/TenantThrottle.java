package org.o365audit.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import org.o365audit.config.O365Properties;
import org.o365audit.config.Tenant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Per-tenant back-off after throttling (429, or AF429 as HTTP 403). All content types of a throttled
 * tenant wait; other tenants are not affected. Honours Retry-After, else grows exponentially with jitter.
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

    /** Waits out a short back-off; a long one ends the poll with {@link TenantBackingOffException}. */
    public void awaitTurn(Tenant tenant) {
        State s = states.get(tenant.tenantId());
        if (s == null) {
            return;
        }
        Duration wait = Duration.between(clock.instant(), s.notBefore);
        if (wait.isNegative() || wait.isZero()) {
            return;
        }
        if (wait.compareTo(props.getMaxInlineBackoff()) > 0) {
            throw new TenantBackingOffException(tenant.name(), s.notBefore);
        }
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TenantBackingOffException(tenant.name(), s.notBefore);
        }
    }

    public void throttled(Tenant tenant, Duration retryAfter, String what) {
        State s = states.compute(tenant.tenantId(), (k, old) -> {
            int n = old == null ? 1 : old.consecutive + 1;
            Duration delay = retryAfter != null ? retryAfter : exponential(n);
            Instant until = clock.instant().plus(delay);
            if (old != null && old.notBefore.isAfter(until)) {
                until = old.notBefore;
            }
            return new State(until, n);
        });
        LOG.warn("tenant {}: throttled on {} ({} in a row); backing off until {}{}", tenant.name(), what,
                s.consecutive, s.notBefore, retryAfter != null ? " as Retry-After asked" : "");
    }

    public void succeeded(Tenant tenant) {
        states.computeIfPresent(tenant.tenantId(), (k, s) -> s.consecutive == 0 ? s : new State(s.notBefore, 0));
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
