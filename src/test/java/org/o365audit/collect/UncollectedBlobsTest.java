package org.o365audit.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.o365audit.api.ContentBlob;
import org.o365audit.config.O365Properties;
import org.o365audit.store.BlobAttempts;
import org.o365audit.store.BlobLedger;
import org.o365audit.store.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A listing page is checked against the ledger and the failed attempts in one query each, whatever its size: the
 * look-back lists the same blobs again on every poll, and a query per blob was the poll's largest fixed cost.
 */
class UncollectedBlobsTest {
    private static final String TENANT = "4a1b2c3d-0000-0000-0000-000000000001";
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private final AtomicInteger ledgerQueries = new AtomicInteger();
    private final AtomicInteger attemptQueries = new AtomicInteger();
    private JdbcTemplate jdbc;
    private UncollectedBlobs uncollected;
    private BlobAttempts attempts;

    @BeforeEach
    void database() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:uncollected-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(h2).placeholders(SqlDialect.of(h2).migrationPlaceholders()).load().migrate();
        DataSource counted = counting(h2);
        jdbc = new JdbcTemplate(h2);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        attempts = new BlobAttempts(counted, new O365Properties(), clock);
        uncollected = new UncollectedBlobs(new BlobLedger(counted, clock), attempts);
    }

    @Test
    void aPageOfWhichMostIsLedgeredCostsOneLedgerQueryAndOneAttemptsQuery() {
        List<ContentBlob> page = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            page.add(blob(i));
            if (i % 4 != 0) {
                ledger(blob(i));
            }
        }
        attempts.failed(TENANT, blob(8), "HTTP 500");
        attempts.failed(TENANT, blob(8), "HTTP 503");
        attempts.failed(TENANT, blob(3), "ledgered since: not asked about");
        ledgerQueries.set(0);
        attemptQueries.set(0);

        List<ListedBlob> todo = uncollected.of(TENANT, page);

        assertThat(todo).extracting(l -> l.blob().contentId()).as("the 50 not ledgered, in listing order")
                .containsExactlyElementsOf(page.stream().filter(b -> num(b) % 4 == 0).map(ContentBlob::contentId).toList());
        assertThat(todo).filteredOn(l -> l.failedAttempts() > 0).singleElement().satisfies(l -> {
            assertThat(l.blob().contentId()).isEqualTo(blob(8).contentId());
            assertThat(l.failedAttempts()).isEqualTo(2);
            assertThat(l.lastError()).isEqualTo("HTTP 503");
        });
        assertThat(ledgerQueries).as("statements on blob_ledger").hasValue(1);
        assertThat(attemptQueries).as("statements on blob_attempt").hasValue(1);
    }

    @Test
    void aFullyLedgeredPageAsksNothingMoreAndABlobListedTwiceIsCollectedOnce() {
        ledger(blob(1));
        ledger(blob(2));
        assertThat(uncollected.of(TENANT, List.of(blob(1), blob(2)))).isEmpty();
        assertThat(ledgerQueries).hasValue(1);
        assertThat(attemptQueries).as("nothing left to ask about").hasValue(0);

        assertThat(uncollected.of(TENANT, List.of(blob(3), blob(3), blob(1)))).singleElement()
                .satisfies(l -> assertThat(l.blob()).isEqualTo(blob(3)));
        assertThat(uncollected.of("another-tenant", List.of(blob(1)))).as("the ledger is per tenant").hasSize(1);
    }

    private static ContentBlob blob(int i) {
        return new ContentBlob("Audit.Exchange", "20261125" + String.format("%09d", i) + "$audit_exchange$Audit_Exchange$page",
                "https://manage.office.com/api/v1.0/" + TENANT + "/activity/feed/audit/" + i, NOW.minusSeconds(3600),
                NOW.plusSeconds(6 * 24 * 3600));
    }

    private static int num(ContentBlob b) {
        return Integer.parseInt(b.contentId().substring(8, 17));
    }

    private void ledger(ContentBlob b) {
        jdbc.update("INSERT INTO blob_ledger (tenant_id, content_id, content_type, content_created, content_expiration, status, "
                + "records_stored, records_duplicate, collected_at) VALUES (?, ?, ?, ?, ?, 'collected', 1, 0, ?)", TENANT,
                b.contentId(), b.contentType(), Timestamp.from(b.contentCreated()), Timestamp.from(b.contentExpiration()),
                Timestamp.from(NOW));
    }

    /** The data source, counting the statements prepared on blob_ledger and on blob_attempt. */
    private DataSource counting(DataSource real) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    if (result instanceof Connection c) {
                        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                                (p, m, a) -> {
                                    if (m.getName().startsWith("prepare") && a != null && a[0] instanceof String sql) {
                                        String s = sql.toLowerCase();
                                        if (s.startsWith("select") && s.contains("from blob_ledger")) {
                                            ledgerQueries.incrementAndGet();
                                        } else if (s.startsWith("select") && s.contains("from blob_attempt")) {
                                            attemptQueries.incrementAndGet();
                                        }
                                    }
                                    return invoke(c, m, a);
                                });
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
