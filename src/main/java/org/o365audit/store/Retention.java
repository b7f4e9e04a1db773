package org.o365audit.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.o365audit.config.O365Properties;
import org.o365audit.config.RetentionProperties;
import org.o365audit.sink.RunningSinks;
import org.o365audit.sink.SinkPositions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes rows older than o365.retention.* (routes/housekeeping.camel.yaml runs it). Small batches, each its
 * own short transaction, so the collector's blob transactions and the sinks never wait behind a long delete;
 * a run stops starting batches after about a minute and the next run goes on. An audit record goes only once
 * every running sink has moved past it, so retention never takes a record from a sink that is behind.
 */
@Component("retention")
public class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    /** A run starts no batch after this long: the rest waits for the next run. */
    static final Duration RUN_BUDGET = Duration.ofMinutes(1);

    // (delivery_epoch, seq) <= (epoch, seq) spelt out: every sink's position is such a pair
    private static final String DELETE_EVENTS = """
            DELETE FROM audit_event WHERE seq IN (SELECT seq FROM audit_event WHERE collected_at < ?
              AND delivery_epoch IS NOT NULL AND (delivery_epoch < ? OR (delivery_epoch = ? AND seq <= ?))
              ORDER BY seq FETCH FIRST ? ROWS ONLY)""";
    // with no sink nothing reads the delivery order (nor is it stamped): age alone decides
    private static final String DELETE_EVENTS_NO_SINK = """
            DELETE FROM audit_event WHERE seq IN (SELECT seq FROM audit_event WHERE collected_at < ?
              ORDER BY seq FETCH FIRST ? ROWS ONLY)""";
    private static final String DELETE_QUARANTINE = """
            DELETE FROM quarantine WHERE qid IN (SELECT qid FROM quarantine WHERE created_at < ?
              ORDER BY qid FETCH FIRST ? ROWS ONLY)""";
    private static final String DELETE_SET_ASIDE = """
            DELETE FROM sink_set_aside WHERE sid IN (SELECT sid FROM sink_set_aside WHERE created_at < ?
              ORDER BY sid FETCH FIRST ? ROWS ONLY)""";

    private final RetentionProperties settings;
    private final RunningSinks sinks;
    private final SinkPositions positions;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Map<String, Counter> deletedMeters = new LinkedHashMap<>();

    public Retention(O365Properties props, RunningSinks sinks, SinkPositions positions, DataSource dataSource,
                     PlatformTransactionManager txManager, Clock clock, MeterRegistry meters) {
        this.settings = props.getRetention();
        this.sinks = sinks;
        this.positions = positions;
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(txManager);
        this.tx.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
        for (String table : List.of("audit_event", "quarantine", "sink_set_aside")) {
            deletedMeters.put(table, Counter.builder("o365.retention.deleted").tag("table", table)
                    .description("rows deleted because they were older than o365.retention.*").register(meters));
        }
    }

    /** The time between two runs (o365.retention.interval), for the Quartz trigger of the retention route. */
    public long intervalMillis() {
        return settings.getInterval().toMillis();
    }

    /** Deletes what is due in each table; returns the rows deleted per table. */
    public Map<String, Integer> run() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Run run = new Run(now.plus(RUN_BUDGET));
        if (RetentionProperties.deletes(settings.getAuditEvent())) {
            Instant before = now.minus(settings.getAuditEvent());
            if (sinks.any()) {
                deliveredByAll().ifPresent(upTo -> run.delete("audit_event", "collected", before, DELETE_EVENTS,
                        Timestamp.from(before), upTo.epoch(), upTo.epoch(), upTo.seq()));
            } else {
                run.delete("audit_event", "collected", before, DELETE_EVENTS_NO_SINK, Timestamp.from(before));
            }
        }
        if (RetentionProperties.deletes(settings.getQuarantine())) {
            Instant before = now.minus(settings.getQuarantine());
            run.delete("quarantine", "created", before, DELETE_QUARANTINE, Timestamp.from(before));
        }
        if (RetentionProperties.deletes(settings.getSinkSetAside())) {
            Instant before = now.minus(settings.getSinkSetAside());
            run.delete("sink_set_aside", "created", before, DELETE_SET_ASIDE, Timestamp.from(before));
        }
        run.log();
        return run.deleted;
    }

    /**
     * The lowest position among the running sinks: every record at or before it has been delivered (or set
     * aside) by all of them. Empty while a sink has
     * no position yet: it may start from the beginning of the store (start: earliest) and need every record.
     */
    private Optional<Delivered> deliveredByAll() {
        Delivered lowest = new Delivered(Long.MAX_VALUE, Long.MAX_VALUE);
        for (String sink : sinks.names()) {
            Optional<SinkPositions.Position> p = positions.find(sink);
            if (p.isEmpty()) {
                LOG.info("retention: no audit_event row deleted this run: sink {} has not started delivering yet", sink);
                return Optional.empty();
            }
            lowest = lowest.min(new Delivered(p.get().epoch(), p.get().seq()));
        }
        return Optional.of(lowest);
    }

    /** A place in the delivery order, (delivery_epoch, seq). */
    private record Delivered(long epoch, long seq) {
        Delivered min(Delivered o) {
            return epoch < o.epoch || (epoch == o.epoch && seq <= o.seq) ? this : o;
        }
    }

    /** One run: its deadline, and what it deleted and said. */
    private final class Run {
        final Instant deadline;
        final Map<String, Integer> deleted = new LinkedHashMap<>();
        final List<String> done = new ArrayList<>();
        boolean timeIsUp;

        Run(Instant deadline) {
            this.deadline = deadline;
            deletedMeters.keySet().forEach(table -> deleted.put(table, 0));
        }

        /** Batch after batch of {@code delete} (whose last parameter is the batch size) until one is not full. */
        void delete(String table, String happened, Instant before, String delete, Object... args) {
            Object[] params = Arrays.copyOf(args, args.length + 1);
            params[args.length] = settings.getBatchSize();
            int total = 0;
            while (!timeIsUp) {
                Integer n = tx.execute(status -> jdbc.update(delete, params));
                total += n;
                deletedMeters.get(table).increment(n);
                if (n < settings.getBatchSize()) {
                    break;
                }
                timeIsUp = !clock.instant().isBefore(deadline);
            }
            deleted.put(table, total);
            if (total > 0) {
                done.add(total + " " + table + " row(s) " + happened + " before " + before);
            }
        }

        void log() {
            if (!done.isEmpty()) {
                LOG.info("retention: {} deleted{}", String.join(", ", done),
                        timeIsUp ? "; the run's minute is up, the next run deletes the rest" : "");
            }
        }
    }
}
