package org.o365audit.ops;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.o365audit.config.NodeIdentity;
import org.o365audit.sink.SetAsideResends;
import org.o365audit.sink.SinkPositions;
import org.o365audit.sink.SinkStart;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedResource;

/** o365audit:type=Sink,name=&lt;sink&gt;: a sink's position, lag and failures, replay, and resending set-aside records. */
@ManagedResource(description = "A sink: files, webhook, Splunk HEC, Elasticsearch, syslog, JDBC or a route of the application")
public class SinkMBean extends NodeAttributes {
    private final String name;
    private final SinkOverview sinks;
    private final SinkPositions positions;
    private final SetAsideResends resends;

    SinkMBean(String name, SinkOverview sinks, SinkPositions positions, SetAsideResends resends, NodeIdentity node) {
        super(node);
        this.name = name;
        this.resends = resends;
        this.sinks = sinks;
        this.positions = positions;
    }

    @ManagedAttribute(description = "The sink's type (its route template)")
    public String getType() {
        return sinks.get(name).type();
    }

    @ManagedAttribute(description = "idle, delivering, failing (retried with back-off) or refused (the destination"
            + " refuses the batch for a reason to fix; see Reason)")
    public String getState() {
        return sinks.get(name).state();
    }

    @ManagedAttribute(description = "While refused: the destination's answer (status and its words); else empty")
    public String getReason() {
        return sinks.get(name).reason();
    }

    @ManagedAttribute(description = "Delivery position (epoch/seq) confirmed so far")
    public String getPosition() {
        return sinks.get(name).position();
    }

    @ManagedAttribute(description = "Records the destination accepted")
    public long getDelivered() {
        return sinks.get(name).delivered();
    }

    @ManagedAttribute(description = "Records the destination refused for good (table sink_set_aside), less those sent again since")
    public long getSetAside() {
        return sinks.get(name).setAside();
    }

    @ManagedAttribute(description = "Records stored but not yet delivered")
    public long getLagRecords() {
        return sinks.get(name).lagRecords();
    }

    @ManagedAttribute(description = "Age of the oldest record waiting, in seconds")
    public long getLagSeconds() {
        return sinks.get(name).lagSeconds();
    }

    @ManagedAttribute(description = "Failed delivery attempts in a row")
    public int getFailures() {
        return sinks.get(name).failures();
    }

    @ManagedOperation(description = "Deliver again every record collected at or after a time")
    @ManagedOperationParameter(name = "from", description = "ISO-8601 UTC, e.g. 2026-11-24T00:00:00Z")
    public String replayFrom(String from) {
        long epoch = positions.replayFrom(name, SinkStart.EARLIEST, Instant.parse(from));
        return "sink " + name + " replays from delivery epoch " + epoch + " (records collected since " + from + ")";
    }

    @ManagedAttribute(description = "Set-aside records queued by resendSetAside, neither delivered nor refused again yet")
    public long getResendPending() {
        return resends.pending(name);
    }

    @ManagedOperation(description = "Send this sink's set-aside records again, through its route, before new records:"
            + " those delivered leave sink_set_aside, those refused again stay there with the new reason."
            + " Progress: ResendPending. Blank times: no bound.")
    @ManagedOperationParameter(name = "from", description = "set aside at or after, ISO-8601 UTC, e.g. 2026-11-24T00:00:00Z; blank: since the first")
    @ManagedOperationParameter(name = "to", description = "set aside before, ISO-8601 UTC; blank: until now")
    public String resendSetAside(String from, String to) {
        Instant since = time("from", from);
        Instant until = time("to", to);
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("from (" + from.trim() + ") must be before to (" + to.trim() + ")");
        }
        SetAsideResends.Queued q = resends.queue(name, since, until);
        String range = since == null && until == null ? "set aside at any time"
                : since == null ? "set aside before " + until
                : until == null ? "set aside since " + since
                : "set aside from " + since + " to " + until;
        StringBuilder answer = new StringBuilder().append(q.queued())
                .append(q.queued() == 1 ? " set-aside record" : " set-aside records").append(" of sink ").append(name)
                .append(" (").append(range).append(") queued to be sent again");
        answer.append(q.queued() > 0 ? "; they go before new records (ResendPending shows how many still wait)." : ".");
        if (q.queuedBefore() > 0) {
            answer.append(' ').append(q.queuedBefore()).append(" more had been queued before and still wait.");
        }
        if (q.notInStore() > 0) {
            answer.append(' ').append(q.notInStore()).append(" more are no longer in the store (retention) and cannot be sent.");
        }
        return answer.toString();
    }

    private static Instant time(String what, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(what + " '" + value.trim() + "' is not an ISO-8601 UTC time such as"
                    + " 2026-11-24T00:00:00Z");
        }
    }
}
