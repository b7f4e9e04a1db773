package org.o365audit.sink;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import org.o365audit.config.NodeIdentity;
import org.o365audit.config.O365Properties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which node holds a sink's claimed batch (columns claimed_by, lease_until of sink_position), in a cluster only.
 * Quartz runs a sink's job on one node at a time, but a node that stalls past the takeover, or dies mid-batch,
 * must not have its batch sent by another node at the same time: the other node takes a claimed batch over
 * only once the lease has run out, and then sends it again under the same id, as after kill -9. One process
 * alone keeps today's behaviour: a restart sends its pending batch again at once.
 */
@Component
public class SinkLease {
    private final NodeIdentity node;
    private final Duration lease;
    private final Clock clock;

    @Autowired
    public SinkLease(NodeIdentity node, O365Properties props, Clock clock) {
        this(node, props.getCluster().getTakeover(), clock);
    }

    public SinkLease(NodeIdentity node, Duration lease, Clock clock) {
        this.node = node;
        this.lease = lease;
        this.clock = clock;
    }

    /** One process alone: no leases. */
    static SinkLease single(Clock clock) {
        return new SinkLease(new NodeIdentity("single", false), Duration.ZERO, clock);
    }

    /** True when another node holds the sink's claimed batch and its lease has not run out. */
    boolean heldElsewhere(String claimedBy, Timestamp leaseUntil) {
        return node.clustered() && claimedBy != null && !claimedBy.equals(node.name()) && leaseUntil != null
                && leaseUntil.toInstant().isAfter(clock.instant());
    }

    /** This node holds the sink's claimed batch now, for one more lease (called with the row locked). */
    void take(JdbcTemplate jdbc, String sink) {
        if (node.clustered()) {
            jdbc.update("UPDATE sink_position SET claimed_by = ?, lease_until = ? WHERE sink = ?", node.name(), until(), sink);
        }
    }

    /** Still working on it (progress, a failure that waits to retry): the lease runs on, if this node still holds it. */
    void renew(JdbcTemplate jdbc, String sink) {
        if (node.clustered()) {
            jdbc.update("UPDATE sink_position SET lease_until = ? WHERE sink = ? AND claimed_by = ?", until(), sink, node.name());
        }
    }

    String nodeName() {
        return node.name();
    }

    private Timestamp until() {
        return Timestamp.from(clock.instant().plus(lease));
    }
}
