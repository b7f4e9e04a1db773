package org.o365audit.ops;

import java.time.Instant;
import org.o365audit.sink.SinkPositions;
import org.o365audit.sink.SinkStart;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedResource;

/** o365audit:type=Sink,name=&lt;sink&gt;: a sink's position, lag and failures, and replay. */
@ManagedResource(description = "A sink: files, webhook, Splunk HEC, Elasticsearch, syslog or JDBC")
public class SinkMBean {
    private final String name;
    private final SinkOverview sinks;
    private final SinkPositions positions;

    SinkMBean(String name, SinkOverview sinks, SinkPositions positions) {
        this.name = name;
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

    @ManagedAttribute(description = "Records the destination refused for good (table sink_set_aside)")
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
}
