package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.o365audit.config.O365Properties;
import org.o365audit.config.RetentionProperties;
import org.o365audit.sink.DeliverySequencer;
import org.o365audit.sink.RunningSinks;
import org.o365audit.sink.SinkPositions;
import org.o365audit.sink.SinkSettings;
import org.o365audit.store.Retention;
import org.o365audit.store.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * Retention on the collector's own tables (migrated by its Flyway scripts), with rows and sink positions
 * written directly. No Camel routes run here, so neither the delivery sequencer nor a sink moves a row or a
 * position under the test, and the clock stands still. Subclasses pick the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RetentionScenarios {
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Duration KEEP = Duration.ofDays(90);
    static final Instant OLD = NOW.minus(Duration.ofDays(91));

    private DataSource dataSource;
    private JdbcTemplate jdbc;
    private CountingTransactions tx;
    private SimpleMeterRegistry meters;
    private DefaultCamelContext camel;

    /** The database under test. */
    abstract DataSource dataSource();

    /** Flyway settings beyond the data source (PostgreSQL: the test's own schema). */
    abstract FluentConfiguration flyway(FluentConfiguration flyway);

    @BeforeAll
    void migrate() {
        dataSource = dataSource();
        flyway(new FluentConfiguration().dataSource(dataSource)
                .placeholders(SqlDialect.of(dataSource).migrationPlaceholders())).load().migrate();
        jdbc = new JdbcTemplate(dataSource);
    }

    @BeforeEach
    void emptyTables() {
        for (String table : new String[] {"audit_event", "quarantine", "sink_set_aside", "sink_position"}) {
            jdbc.update("DELETE FROM " + table);
        }
        tx = new CountingTransactions(dataSource);
        meters = new SimpleMeterRegistry();
        camel = new DefaultCamelContext();
    }

    @AfterEach
    void stopCamel() throws Exception {
        camel.close();
    }

    @Test
    void deletesOldRecordsEverySinkDeliveredInBatches() {
        for (int i = 0; i < 10; i++) {
            event(OLD, 1L);
        }
        position("archive", 1, Long.MAX_VALUE);
        position("siem", 2, 0);
        Retention retention = retention(auditEvents(KEEP, 3), sink("archive"), sink("siem"));
        assertThat(count("audit_event")).isEqualTo(10);

        assertThat(retention.run()).containsEntry("audit_event", 10);

        assertThat(count("audit_event")).isZero();
        // batches of 3: 3 + 3 + 3 + 1, each committed on its own
        assertThat(tx.commits).isEqualTo(4);
        assertThat(meters.get("o365.retention.deleted").tag("table", "audit_event").counter().count()).isEqualTo(10);
    }

    @Test
    void stopsAfterAboutAMinuteAndTheNextRunGoesOn() {
        for (int i = 0; i < 10; i++) {
            event(OLD, 1L);
        }
        // every look at the clock finds it 25 s later: the third full batch ends past the run's minute
        Retention retention = retention(auditEvents(KEEP, 1), ticking(Duration.ofSeconds(25)));

        assertThat(retention.run()).containsEntry("audit_event", 3);
        assertThat(count("audit_event")).isEqualTo(7);
        assertThat(retention.run()).containsEntry("audit_event", 3);
        assertThat(count("audit_event")).isEqualTo(4);
    }

    @Test
    void keepsAnOldRecordUntilEverySinkHasDeliveredIt() {
        // delivery order is (epoch, seq), not seq: a blob transaction that committed late has low seqs, high epoch
        long committedLate = event(OLD, 2L);
        long first = event(OLD, 1L);
        long second = event(OLD, 1L);
        position("archive", 2, Long.MAX_VALUE);
        position("siem", 1, first);
        // switched off: runs no more, so it holds nothing back although it has no position
        Map<String, String> off = sinkOfType("files");
        off.put("enabled", "false");
        Retention retention = retention(auditEvents(KEEP, 1000), sink("archive"), sink("siem"), named("off", off));
        assertThat(count("audit_event")).isEqualTo(3);

        assertThat(retention.run()).containsEntry("audit_event", 1);
        assertThat(seqs()).containsExactly(committedLate, second);

        moveTo("siem", 2, committedLate);
        assertThat(retention.run()).containsEntry("audit_event", 2);
        assertThat(count("audit_event")).isZero();
    }

    @Test
    void keepsEveryRecordWhileARunningSinkHasNoPositionYet() {
        event(OLD, 1L);
        event(OLD, 1L);
        position("archive", 1, Long.MAX_VALUE);
        Retention retention = retention(auditEvents(KEEP, 1000), sink("archive"), sink("new-siem"));

        assertThat(retention.run()).containsEntry("audit_event", 0);
        assertThat(count("audit_event")).isEqualTo(2);

        position("new-siem", 1, Long.MAX_VALUE);
        assertThat(retention.run()).containsEntry("audit_event", 2);
        assertThat(count("audit_event")).isZero();
    }

    @Test
    void aSinkDeclaredOnlyInRouteYamlHoldsRecordsBackToo() throws Exception {
        long delivered = event(OLD, 1L);
        long waiting = event(OLD, 2L);
        position("admin-files", 1, Long.MAX_VALUE);
        camel.addRoutes(new RouteConfigurationBuilder() {
            @Override
            public void configuration() {
                routeConfiguration("sink-errors");
            }
        });
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:admin-files").routeId("sink-admin-files").routeConfigurationId("sink-errors").log("sent");
            }
        });
        camel.start();
        Retention retention = retention(auditEvents(KEEP, 1000));

        assertThat(retention.run()).containsEntry("audit_event", 1);
        assertThat(seqs()).containsExactly(waiting).doesNotContain(delivered);
    }

    @Test
    void neverDeletesARecordTheSequencerHasNotStampedYet() {
        long unsequenced = event(OLD, null);
        event(OLD, 1L);
        position("archive", 1, Long.MAX_VALUE);
        // a sink reads the delivery order: a record not in it yet may still be on its way to the sink
        Retention retention = retention(auditEvents(KEEP, 1000), sink("archive"));
        assertThat(count("audit_event")).isEqualTo(2);

        assertThat(retention.run()).containsEntry("audit_event", 1);
        assertThat(seqs()).containsExactly(unsequenced);
    }

    @Test
    void withNoSinkAgeAloneDecides() {
        event(OLD, null);   // with no sink the sequencer stamps nothing: nothing reads the delivery order
        event(OLD, 1L);
        long recent = event(NOW.minus(KEEP).plusSeconds(60), null);
        Retention retention = retention(auditEvents(KEEP, 1000));

        assertThat(retention.run()).containsEntry("audit_event", 2);
        assertThat(seqs()).containsExactly(recent);
    }

    @Test
    void keepsRecordsYoungerThanTheRetention() {
        long recent = event(NOW.minus(KEEP).plusSeconds(60), 1L);
        event(NOW.minus(KEEP).minusSeconds(60), 1L);
        position("archive", 1, Long.MAX_VALUE);
        Retention retention = retention(auditEvents(KEEP, 1000), sink("archive"));

        assertThat(retention.run()).containsEntry("audit_event", 1);
        assertThat(seqs()).containsExactly(recent);
    }

    @Test
    void deletesOldQuarantineAndSetAsideRowsAndKeepsNewOnes() {
        for (int i = 0; i < 5; i++) {
            quarantined(NOW.minus(Duration.ofDays(31)));
            setAside(NOW.minus(Duration.ofDays(8)));
        }
        quarantined(NOW.minus(Duration.ofDays(29)));
        setAside(NOW.minus(Duration.ofDays(6)));
        RetentionProperties r = new RetentionProperties();
        r.setQuarantine(Duration.ofDays(30));
        r.setSinkSetAside(Duration.ofDays(7));
        r.setBatchSize(2);
        Retention retention = retention(r);
        assertThat(count("quarantine")).isEqualTo(6);
        assertThat(count("sink_set_aside")).isEqualTo(6);

        assertThat(retention.run()).containsEntry("quarantine", 5).containsEntry("sink_set_aside", 5);

        assertThat(count("quarantine")).isEqualTo(1);
        assertThat(count("sink_set_aside")).isEqualTo(1);
        assertThat(tx.commits).isEqualTo(6);   // 2 + 2 + 1 for each table
    }

    @Test
    void deletesNothingWhileRetentionIsUnsetOrZero() {
        event(OLD, 1L);
        quarantined(OLD);
        setAside(OLD);

        assertThat(retention(new RetentionProperties()).run()).containsOnly(
                Map.entry("audit_event", 0), Map.entry("quarantine", 0), Map.entry("sink_set_aside", 0));
        RetentionProperties zero = new RetentionProperties();
        zero.setAuditEvent(Duration.ZERO);
        zero.setQuarantine(Duration.ZERO);
        zero.setSinkSetAside(Duration.ZERO);
        retention(zero).run();

        assertThat(count("audit_event")).isEqualTo(1);
        assertThat(count("quarantine")).isEqualTo(1);
        assertThat(count("sink_set_aside")).isEqualTo(1);
        assertThat(tx.commits).isZero();
    }

    @SafeVarargs
    private Retention retention(RetentionProperties r, Map.Entry<String, Map<String, String>>... sinks) {
        return retention(r, CLOCK, sinks);
    }

    @SafeVarargs
    private Retention retention(RetentionProperties r, Clock clock, Map.Entry<String, Map<String, String>>... sinks) {
        O365Properties props = new O365Properties();
        props.setRetention(r);
        for (Map.Entry<String, Map<String, String>> s : sinks) {
            props.getSinks().put(s.getKey(), s.getValue());
        }
        SinkPositions positions = new SinkPositions(dataSource, tx, clock, new DeliverySequencer(dataSource, tx, clock));
        return new Retention(props, new RunningSinks(new SinkSettings(props), camel), positions, dataSource, tx,
                clock, meters);
    }

    /** A clock that moves on by {@code step} every time it is read, starting at NOW. */
    private static Clock ticking(Duration step) {
        return new Clock() {
            private Instant next = NOW;

            @Override
            public Instant instant() {
                Instant now = next;
                next = next.plus(step);
                return now;
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            /** Retention reads instants only; another zone gets a clock fixed at the next instant. */
            @Override
            public Clock withZone(ZoneId zone) {
                return zone.equals(getZone()) ? this : Clock.fixed(next, zone);
            }
        };
    }

    private static RetentionProperties auditEvents(Duration keep, int batchSize) {
        RetentionProperties r = new RetentionProperties();
        r.setAuditEvent(keep);
        r.setBatchSize(batchSize);
        return r;
    }

    private static Map.Entry<String, Map<String, String>> sink(String name) {
        return named(name, sinkOfType("files"));
    }

    private static Map<String, String> sinkOfType(String type) {
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("type", type);
        return cfg;
    }

    private static Map.Entry<String, Map<String, String>> named(String name, Map<String, String> cfg) {
        return Map.entry(name, cfg);
    }

    /** A record collected at {@code collectedAt}, in delivery epoch {@code epoch} (null: not sequenced yet); its seq. */
    private long event(Instant collectedAt, Long epoch) {
        String id = UUID.randomUUID().toString();
        jdbc.update("""
                INSERT INTO audit_event (tenant_id, id, tenant_name, content_type, content_id, collected_at, app, raw,
                  delivery_epoch) VALUES ('t', ?, 'contoso', 'Audit.Exchange', 'blob', ?, 'Exchange', '{}', ?)""",
                id, Timestamp.from(collectedAt), epoch);
        return jdbc.queryForObject("SELECT seq FROM audit_event WHERE id = ?", Long.class, id);
    }

    private void quarantined(Instant at) {
        jdbc.update("""
                INSERT INTO quarantine (tenant_id, tenant_name, content_type, content_id, reason, created_at)
                VALUES ('t', 'contoso', 'Audit.Exchange', 'blob', 'not valid JSON', ?)""", Timestamp.from(at));
    }

    private void setAside(Instant at) {
        jdbc.update("""
                INSERT INTO sink_set_aside (sink, batch_id, tenant_id, record_id, reason, created_at)
                VALUES ('hook', 'b', 't', ?, '400 Bad Request', ?)""", UUID.randomUUID().toString(), Timestamp.from(at));
    }

    private void position(String sink, long epoch, long seq) {
        jdbc.update("INSERT INTO sink_position (sink, epoch, seq, delivered, set_aside, updated_at) VALUES (?, ?, ?, 0, 0, ?)",
                sink, epoch, seq, Timestamp.from(NOW));
    }

    private void moveTo(String sink, long epoch, long seq) {
        jdbc.update("UPDATE sink_position SET epoch = ?, seq = ? WHERE sink = ?", epoch, seq, sink);
    }

    private int count(String table) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Integer.class);
    }

    private List<Long> seqs() {
        return jdbc.queryForList("SELECT seq FROM audit_event ORDER BY seq", Long.class);
    }

    /** Counts commits, so a test sees that every batch was a transaction of its own. */
    static final class CountingTransactions extends DataSourceTransactionManager {
        int commits;

        CountingTransactions(DataSource dataSource) {
            super(dataSource);
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            commits++;
            super.doCommit(status);
        }
    }
}
