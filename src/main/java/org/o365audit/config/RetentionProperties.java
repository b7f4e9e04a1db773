package org.o365audit.config;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * {@code o365.retention.*}: how long rows are kept. Unset or zero keeps them forever, the default, because
 * deleting audit records is the operator's decision. An audit record is never deleted before every running
 * sink has delivered it, whatever its age.
 */
public class RetentionProperties {
    /** audit_event rows collected longer ago than this go, once every sink delivered them; unset or 0: kept. */
    @DurationMin(millis = 0)
    private Duration auditEvent;
    /** quarantine rows created longer ago than this go; unset or 0: kept. */
    @DurationMin(millis = 0)
    private Duration quarantine;
    /** sink_set_aside rows created longer ago than this go; unset or 0: kept. */
    @DurationMin(millis = 0)
    private Duration sinkSetAside;
    /** Rows deleted per statement, each in its own short transaction, so collection and sinks never wait long. */
    @Positive
    private int batchSize = 1000;
    /** Time between two retention runs. */
    @NotNull
    @DurationMin(seconds = 1)
    private Duration interval = Duration.ofHours(1);

    /** True when a retention is set: rows older than it are to be deleted. */
    public static boolean deletes(Duration retention) {
        return retention != null && !retention.isZero();
    }

    public Duration getAuditEvent() {
        return auditEvent;
    }

    public void setAuditEvent(Duration auditEvent) {
        this.auditEvent = auditEvent;
    }

    public Duration getQuarantine() {
        return quarantine;
    }

    public void setQuarantine(Duration quarantine) {
        this.quarantine = quarantine;
    }

    public Duration getSinkSetAside() {
        return sinkSetAside;
    }

    public void setSinkSetAside(Duration sinkSetAside) {
        this.sinkSetAside = sinkSetAside;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public Duration getInterval() {
        return interval;
    }

    public void setInterval(Duration interval) {
        this.interval = interval;
    }
}
