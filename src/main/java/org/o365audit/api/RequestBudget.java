package org.o365audit.api;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * At most {@code limit} requests in any sliding {@code period} (Power BI's admin API allows 200 per hour
 * per tenant). A request that would exceed it ends the cycle with {@link TenantBackingOffException} (no
 * thread sleeps on it) and a later cycle resumes.
 * <p>
 * Counted in the database, so that all nodes of a cluster share one budget and a restart does not start a
 * fresh one: a row per request in request_budget_use, counted and added while the key's row in request_budget
 * is locked, in a transaction of its own (a request sent counts, whatever becomes of the caller's work). An
 * exact sliding window: a token bucket of the same rate would let up to twice the limit through in an hour
 * (a full bucket, then its refill).
 */
public final class RequestBudget {
    private final String key;
    private final int limit;
    private final Duration period;
    private final Clock clock;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public RequestBudget(String key, int limit, Duration period, Clock clock, DataSource dataSource,
                         PlatformTransactionManager txManager) {
        this.key = key;
        this.limit = limit;
        this.period = period;
        this.clock = clock;
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(txManager);
        this.tx.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
    }

    public void acquire(String tenantName) {
        for (int tries = 0; ; tries++) {
            Instant now = clock.instant();
            Instant[] full = new Instant[1];
            Boolean keyed = tx.execute(status -> {
                if (jdbc.queryForList("SELECT budget_key FROM request_budget WHERE budget_key = ? FOR UPDATE", String.class,
                        key).isEmpty()) {
                    return false;
                }
                jdbc.update("DELETE FROM request_budget_use WHERE budget_key = ? AND used_at <= ?", key,
                        Timestamp.from(now.minus(period)));
                Object[] used = jdbc.queryForObject("SELECT COUNT(*), MIN(used_at) FROM request_budget_use WHERE budget_key = ?",
                        (rs, i) -> new Object[] {rs.getLong(1), rs.getTimestamp(2)}, key);
                if ((Long) used[0] >= limit) {
                    full[0] = ((Timestamp) used[1]).toInstant().plus(period);
                    return true;
                }
                jdbc.update("INSERT INTO request_budget_use (budget_key, used_at) VALUES (?, ?)", key, Timestamp.from(now));
                return true;
            });
            if (Boolean.TRUE.equals(keyed)) {
                if (full[0] != null) {
                    throw new TenantBackingOffException(tenantName, full[0]);
                }
                return;
            }
            if (tries > 0) {
                throw new IllegalStateException("request budget " + key + ": its row cannot be created");
            }
            try {
                // the key's first request: its row, once, outside the transaction (two nodes may race on it)
                jdbc.update("INSERT INTO request_budget (budget_key, created_at) SELECT ?, ? WHERE NOT EXISTS "
                        + "(SELECT 1 FROM request_budget WHERE budget_key = ?)", key, Timestamp.from(now), key);
            } catch (DuplicateKeyException another) {
                // the other node's row serves as well
            }
        }
    }

    public int usedInPeriod() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM request_budget_use WHERE budget_key = ? AND used_at > ?",
                Long.class, key, Timestamp.from(clock.instant().minus(period)));
        return n == null ? 0 : n.intValue();
    }
}
