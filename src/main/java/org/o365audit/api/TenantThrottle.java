package org.o365audit.api;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.o365audit.config.O365Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Back-off after throttling (429, or AF429 as HTTP 403), per key: a tenant's Management API (all its
 * content types wait together), its Power BI API, one Dataverse environment. Other keys are not affected.
 * Honours Retry-After, else grows exponentially with jitter. A key that is backing off ends its poll at
 * once; nothing here sleeps.
 * <p>
 * Kept in table throttle_backoff, so that every node of a cluster backs off together and a restart does not
 * forget it. Reading the table on every HTTP call would cost a round trip each, so what was read is trusted
 * for {@value #FRESH_MILLIS} ms; a throttled answer is written through at once. Should the database be out of
 * reach, the last state this node knows holds.
 */
@Component
public class TenantThrottle {
    static final long FRESH_MILLIS = 1500;
    private static final Logger LOG = LoggerFactory.getLogger(TenantThrottle.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
    private static final State NONE = new State(Instant.EPOCH, 0);

    private final ConcurrentMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final JdbcTemplate jdbc;
    private final O365Properties props;
    private final Clock clock;

    public TenantThrottle(DataSource dataSource, O365Properties props, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.props = props;
        this.clock = clock;
    }

    /**
     * Returns at once when the key may call now; otherwise ends the poll with {@link TenantBackingOffException}.
     * Never sleeps: a Quartz thread that slept out one tenant's back-off would be missing for the healthy ones.
     * The next poll after the back-off resumes where the cursor is.
     */
    public void awaitTurn(String key, String tenantName) {
        State s = state(key);
        if (s.notBefore.isAfter(clock.instant())) {
            throw new TenantBackingOffException(tenantName, s.notBefore);
        }
    }

    public void throttled(String key, String tenantName, Duration retryAfter, String what) {
        Instant now = clock.instant();
        State s;
        try {
            State old = read(key);
            int n = old.consecutive + 1;
            Instant until = now.plus(retryAfter != null ? retryAfter : exponential(n));
            // a later not_before, set by another node meanwhile, stands
            String update = "UPDATE throttle_backoff SET consecutive = consecutive + 1, not_before = CASE WHEN not_before > ?"
                    + " THEN not_before ELSE ? END, updated_at = ? WHERE throttle_key = ?";
            Object[] args = {ts(until), ts(until), ts(now), key};
            if (jdbc.update(update, args) == 0) {
                try {
                    jdbc.update("INSERT INTO throttle_backoff (throttle_key, not_before, consecutive, updated_at) SELECT ?, ?, 1, ?"
                            + " WHERE NOT EXISTS (SELECT 1 FROM throttle_backoff WHERE throttle_key = ?)", key, ts(until), ts(now), key);
                } catch (DuplicateKeyException another) {
                    jdbc.update(update, args);   // another node was throttled at the same moment: count on its row
                }
            }
            s = read(key);
        } catch (DataAccessException e) {
            State old = cache.containsKey(key) ? cache.get(key).state : NONE;
            Instant until = now.plus(retryAfter != null ? retryAfter : exponential(old.consecutive + 1));
            s = new State(old.notBefore.isAfter(until) ? old.notBefore : until, old.consecutive + 1);
            LOG.warn("tenant {}: the back-off cannot be shared through the database, this node keeps it alone: {}",
                    tenantName, e.getMessage());
        }
        cache.put(key, new Cached(s, System.nanoTime()));
        LOG.warn("tenant {}: throttled on {} ({} in a row); backing off until {}{}", tenantName, what,
                s.consecutive, s.notBefore, retryAfter != null ? " as Retry-After asked" : "");
    }

    public void succeeded(String key) {
        State s = state(key);
        if (s.consecutive > 0) {
            try {
                jdbc.update("UPDATE throttle_backoff SET consecutive = 0, updated_at = ? WHERE throttle_key = ? AND consecutive > 0",
                        ts(clock.instant()), key);
            } catch (DataAccessException e) {
                LOG.debug("throttle {}: cannot reset the count of throttled answers: {}", key, e.getMessage());
            }
            cache.put(key, new Cached(new State(s.notBefore, 0), System.nanoTime()));
        }
    }

    /** Delay before attempt n+1 after n failures: initial × 2^(n-1), capped, with up to 20 % jitter. */
    public Duration exponential(int n) {
        long base = props.getInitialBackoff().toMillis() << Math.min(n - 1, 20);
        long capped = Math.min(base, MAX_BACKOFF.toMillis());
        return Duration.ofMillis(capped + ThreadLocalRandom.current().nextLong(capped / 5 + 1));
    }

    /** The key's state, from the cache while fresh, else from the table (the cached one if that fails). */
    private State state(String key) {
        Cached c = cache.get(key);
        if (c != null && System.nanoTime() - c.readAtNanos < FRESH_MILLIS * 1_000_000) {
            return c.state;
        }
        try {
            State s = read(key);
            cache.put(key, new Cached(s, System.nanoTime()));
            return s;
        } catch (DataAccessException e) {
            return c == null ? NONE : c.state;
        }
    }

    private State read(String key) {
        List<State> rows = jdbc.query("SELECT not_before, consecutive FROM throttle_backoff WHERE throttle_key = ?",
                (rs, i) -> new State(rs.getTimestamp(1).toInstant(), rs.getInt(2)), key);
        return rows.isEmpty() ? NONE : rows.get(0);
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.from(i);
    }

    private record State(Instant notBefore, int consecutive) {
    }

    private record Cached(State state, long readAtNanos) {
    }
}
