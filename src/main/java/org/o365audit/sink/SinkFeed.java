package org.o365audit.sink;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps every sink route shares: claim the next batch, confirm it once the destination has it, set
 * aside the records the destination refused for good, and note a failed or refused delivery (the batch stays
 * pending and is sent again after a back-off). Sink settings come in as exchange properties set by the
 * route template.
 */
@Component("sinkFeed")
public class SinkFeed {
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.sink");

    private final SinkPositions positions;
    private final SinkBackoff backoff;
    private final SinkMetrics metrics;
    private final SinkSettings settings;
    private final SetAsideResends resends;

    public SinkFeed(SinkPositions positions, SinkBackoff backoff, SinkMetrics metrics, SinkSettings settings,
                    SetAsideResends resends) {
        this.positions = positions;
        this.resends = resends;
        this.backoff = backoff;
        this.metrics = metrics;
        this.settings = settings;
    }

    /** Body: the next batch, empty when nothing waits, the sink is backing off or Camel is stopping. */
    public SinkBatch claim(Exchange ex) {
        String sink = sink(ex);
        int max = ex.getProperty(SinkExchange.BATCH_SIZE, 500, Integer.class);
        ex.setProperty(SinkExchange.SET_ASIDE, 0);
        if (ex.getContext().isStopping() || !backoff.mayTry(sink)) {
            ex.setProperty(SinkExchange.MORE, false);
            return SinkBatch.none(sink);
        }
        // set-aside records an operator asked to send again go before new records
        SinkBatch batch = resends.claim(sink, max);
        boolean resend = !batch.isEmpty();
        if (resend && !batch.redelivery()) {
            LOG.info("sink {}: sending {} set-aside record(s) again in batch {}", sink, batch.size(), batch.id());
        } else if (!resend) {
            batch = positions.claim(sink, SinkStart.of(ex.getProperty(SinkExchange.START, String.class)), max,
                    ex.getProperty(SinkExchange.LINGER_MILLIS, 0L, Long.class));
        }
        if (batch.redelivery() && backoff.failures(sink) == 0) {
            // pending from before a restart (retries after a failure are logged by failed())
            LOG.info("sink {}: sending batch {} again ({} records, {} already taken)", sink, batch.id(),
                    batch.size(), batch.done());
        }
        ex.setProperty(SinkExchange.CLAIMED, batch);
        ex.setProperty(SinkExchange.KEPT, batch);
        ex.setProperty(SinkExchange.RESEND, resend);
        ex.setProperty(SinkExchange.MORE, resend || batch.size() >= max);
        return batch;
    }

    /**
     * Body: an empty batch, handed to the delivery route at the start of every run of a sink type that asks for it
     * (the driver's everyRun): the files sink rolls old files then.
     */
    public SinkBatch idle(Exchange ex) {
        SinkBatch none = SinkBatch.none(sink(ex));
        ex.setProperty(SinkExchange.CLAIMED, none);
        ex.setProperty(SinkExchange.KEPT, none);
        return none;
    }

    /** The destination has the kept records: move the sink's position past the whole claimed batch. */
    public void confirm(Exchange ex) {
        String sink = sink(ex);
        SinkBatch claimed = ex.getProperty(SinkExchange.CLAIMED, SinkBatch.class);
        SinkBatch kept = ex.getProperty(SinkExchange.KEPT, SinkBatch.class);
        int setAside = ex.getProperty(SinkExchange.SET_ASIDE, 0, Integer.class);
        int delivered = Math.max(0, kept.size() - setAside);
        if (resent(ex)) {
            resends.confirm(sink, claimed.id());
        } else {
            positions.confirm(sink, claimed.id(), delivered, setAside);
        }
        metrics.sent(sink, delivered);
        String refusal = backoff.refusal(sink);
        int failures = backoff.succeeded(sink);
        if (refusal != null) {
            metrics.refused(sink, false);
            LOG.info("sink {}: the destination accepts again after {} refused attempts; delivering", sink, failures);
        } else if (failures > 0) {
            LOG.info("sink {}: delivering again after {} failed attempts", sink, failures);
        }
    }

    /** Sets the whole kept batch aside (reason in O365SinkReason): the destination refused it for good. */
    public void setAsideBatch(Exchange ex) {
        SinkBatch kept = ex.getProperty(SinkExchange.KEPT, SinkBatch.class);
        setAside(ex, kept.records(), ex.getProperty(SinkExchange.REASON, "refused", String.class));
    }

    /** Sets some records of the kept batch aside, with the destination's reason. */
    public void setAside(Exchange ex, List<SinkRecord> records, String reason) {
        if (records.isEmpty()) {
            return;
        }
        String sink = sink(ex);
        SinkBatch claimed = ex.getProperty(SinkExchange.CLAIMED, SinkBatch.class);
        if (resent(ex)) {
            resends.setAsideAgain(sink, claimed.id(), records, reason);
        } else {
            positions.setAside(sink, claimed.id(), records, reason);
        }
        ex.setProperty(SinkExchange.SET_ASIDE, ex.getProperty(SinkExchange.SET_ASIDE, 0, Integer.class) + records.size());
        metrics.setAside(sink, records.size());
        LOG.warn("sink {}: {} record(s) of batch {} set aside (first: tenant {} record {}): {}", sink, records.size(),
                claimed.id(), records.get(0).getTenantName(), records.get(0).getId(), reason);
    }

    /** The destination took the first {@code done} kept records of the batch; a retry starts after them. */
    public void progress(Exchange ex, int done) {
        SinkBatch claimed = ex.getProperty(SinkExchange.CLAIMED, SinkBatch.class);
        if (resent(ex)) {
            SinkBatch kept = ex.getProperty(SinkExchange.KEPT, SinkBatch.class);
            resends.progress(sink(ex), claimed.id(), kept.records().subList(0, Math.min(done, kept.size())));
        } else {
            positions.progress(sink(ex), claimed.id(), done);
        }
    }

    private static boolean resent(Exchange ex) {
        return ex.getProperty(SinkExchange.RESEND, false, Boolean.class);
    }

    /** A delivery failed: the batch stays pending, the sink waits before it tries again. */
    public void failed(Exchange ex) {
        String sink = sink(ex);
        Throwable cause = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (backoff.refusal(sink) != null) {
            metrics.refused(sink, false);
        }
        Duration wait = backoff.failed(sink, retryAfter(ex.getProperty(SinkExchange.RETRY_AFTER, String.class)));
        metrics.failed(sink);
        keepClaim(sink);
        SinkBatch claimed = ex.getProperty(SinkExchange.CLAIMED, SinkBatch.class);
        String what = cause == null ? "unknown error" : settings.redact(sink, describe(cause));
        int failures = backoff.failures(sink);
        String msg = "sink {}: delivery of batch {} ({} records) failed (attempt {}), retrying in {} ms: {}";
        Object[] args = {sink, claimed == null ? "-" : claimed.id(), claimed == null ? 0 : claimed.size(), failures,
                wait.toMillis(), what};
        if (failures == 1 || failures % 10 == 0) {
            LOG.warn(msg, args);
        } else {
            LOG.debug(msg, args);
        }
        ex.setProperty(SinkExchange.MORE, false);
    }

    /**
     * The destination refused the batch for a reason to fix (SinkRefusedException): nothing is set aside, the
     * batch stays pending, the sink shows as refused with the reason and tries again at least every
     * o365.sink-refusal-retry. Logged once when the refusal starts or changes kind, not on every retry.
     */
    public void refused(Exchange ex) {
        String sink = sink(ex);
        SinkRefusedException cause = ex.getProperty(Exchange.EXCEPTION_CAUGHT, SinkRefusedException.class);
        String reason = settings.redact(sink, cause.getMessage());
        String before = backoff.refusal(sink);
        Duration wait = backoff.refused(sink, reason);
        metrics.failed(sink);
        keepClaim(sink);
        metrics.refused(sink, true);
        SinkBatch claimed = ex.getProperty(SinkExchange.CLAIMED, SinkBatch.class);
        String msg = "sink {}: the destination refuses batch {} ({} records): {}. Nothing is set aside: the batch"
                + " waits and goes again in {} ms, and every {} s at most until the destination takes it; check the"
                + " sink's url and credentials";
        Object[] args = {sink, claimed == null ? "-" : claimed.id(), claimed == null ? 0 : claimed.size(), reason,
                wait.toMillis(), backoff.refusalCeiling().toSeconds()};
        if (before == null || !(before.equals(cause.kind()) || before.startsWith(cause.kind() + ": "))) {
            LOG.warn(msg, args);
        } else {
            LOG.debug(msg, args);
        }
        ex.setProperty(SinkExchange.MORE, false);
    }

    /** In a cluster, the batch that failed stays this node's for another lease (its retry comes from here). */
    private void keepClaim(String sink) {
        try {
            positions.stillHeld(sink);
        } catch (RuntimeException e) {
            LOG.debug("sink {}: cannot renew the claim on its batch: {}", sink, e.getMessage());
        }
    }

    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                return Duration.between(java.time.Instant.now(), at.toInstant());
            } catch (RuntimeException notDate) {
                return null;
            }
        }
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return root == t ? m : m + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    private static String sink(Exchange ex) {
        String sink = ex.getProperty(SinkExchange.SINK, String.class);
        if (sink == null) {
            throw new IllegalStateException("route " + ex.getFromRouteId() + " sets no " + SinkExchange.SINK + " property");
        }
        return sink;
    }
}
