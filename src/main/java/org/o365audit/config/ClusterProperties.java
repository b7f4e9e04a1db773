package org.o365audit.config;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * {@code o365.cluster.*}: several collector processes on one PostgreSQL share the tenants through Quartz's
 * clustered JDBC job store, so each poll, delayed feed, sink and housekeeping job runs on one node at a time
 * and a dead node's jobs move to the others. Off by default: one process, H2 or PostgreSQL, nothing to set.
 */
public class ClusterProperties {
    /** Run as one node of a cluster (PostgreSQL only). */
    private boolean enabled;

    /**
     * This node's name, unique in the cluster: shown in the status, the MBeans and the metrics, and the Quartz
     * instance id. Unset: {@code <host name>-<process id>}.
     */
    @Pattern(regexp = "[A-Za-z0-9._-]{1,80}", message = "letters, digits, '.', '_' and '-' only, at most 80")
    private String nodeName;

    /** How soon the other nodes take over the jobs of a node that stopped checking in (kill -9, lost host). */
    @NotNull
    @DurationMin(seconds = 10)
    private Duration takeover = Duration.ofSeconds(30);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getNodeName() {
        return nodeName;
    }

    public void setNodeName(String nodeName) {
        this.nodeName = nodeName;
    }

    public Duration getTakeover() {
        return takeover;
    }

    public void setTakeover(Duration takeover) {
        this.takeover = takeover;
    }
}
