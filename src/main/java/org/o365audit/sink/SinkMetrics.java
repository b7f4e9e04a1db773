package org.o365audit.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Per sink, in Micrometer (and so in JMX and Prometheus later): records sent, failed deliveries, records set
 * aside, whether the destination refuses, and the position lag, as records waiting and as the age of the
 * oldest waiting record.
 */
@Component("sinkMetrics")
public class SinkMetrics {
    private final MeterRegistry registry;
    private final SinkPositions positions;
    private final Clock clock;
    private final Map<String, Meters> meters = new ConcurrentHashMap<>();

    public SinkMetrics(MeterRegistry registry, SinkPositions positions, Clock clock) {
        this.registry = registry;
        this.positions = positions;
        this.clock = clock;
    }

    public void sent(String sink, int n) {
        of(sink).sent.increment(n);
    }

    public void failed(String sink) {
        of(sink).failed.increment();
    }

    public void setAside(String sink, int n) {
        of(sink).setAside.increment(n);
    }

    /** 1 while the destination refuses the sink's batch (a setting to fix), else 0. */
    public void refused(String sink, boolean refused) {
        of(sink).refused.set(refused ? 1 : 0);
    }

    /** Re-reads every known sink's backlog from the database (run periodically, not per batch). */
    public void refreshLag() {
        meters.forEach((sink, m) -> {
            SinkPositions.Backlog b = positions.backlog(sink);
            m.lagRecords.set(b.records());
            m.lagSeconds.set(b.oldestCollectedAt() == null ? 0
                    : Math.max(0, Duration.between(b.oldestCollectedAt(), clock.instant()).toSeconds()));
        });
    }

    public long lagRecords(String sink) {
        return of(sink).lagRecords.get();
    }

    public long lagSeconds(String sink) {
        return of(sink).lagSeconds.get();
    }

    /** Registers the sink's meters (so they show as 0 before anything happens). */
    public void register(String sink) {
        of(sink);
    }

    private Meters of(String sink) {
        return meters.computeIfAbsent(sink, s -> new Meters(registry, s));
    }

    private static final class Meters {
        final Counter sent;
        final Counter failed;
        final Counter setAside;
        final AtomicLong lagRecords = new AtomicLong();
        final AtomicLong lagSeconds = new AtomicLong();
        final AtomicLong refused = new AtomicLong();

        Meters(MeterRegistry r, String sink) {
            sent = Counter.builder("o365.sink.records.sent").tag("sink", sink)
                    .description("records the destination accepted").register(r);
            failed = Counter.builder("o365.sink.deliveries.failed").tag("sink", sink)
                    .description("delivery attempts that failed and will be retried").register(r);
            setAside = Counter.builder("o365.sink.records.set.aside").tag("sink", sink)
                    .description("records the destination refused for good (kept in sink_set_aside)").register(r);
            Gauge.builder("o365.sink.lag.records", lagRecords, AtomicLong::get).tag("sink", sink)
                    .description("records stored but not yet delivered to this sink").register(r);
            Gauge.builder("o365.sink.lag.seconds", lagSeconds, AtomicLong::get).tag("sink", sink)
                    .description("age of the oldest record waiting for this sink").register(r);
            Gauge.builder("o365.sink.refused", refused, AtomicLong::get).tag("sink", sink)
                    .description("1 while the destination refuses the batch for a reason to fix (see the Sink MBean's Reason)")
                    .register(r);
        }
    }
}
