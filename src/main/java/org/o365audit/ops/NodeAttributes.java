package org.o365audit.ops;

import org.o365audit.config.NodeIdentity;
import org.springframework.jmx.export.annotation.ManagedAttribute;

/** What every o365audit MBean shows of the node that answers: its name, and whether it is one of a cluster. */
public abstract class NodeAttributes {
    protected final NodeIdentity node;

    protected NodeAttributes(NodeIdentity node) {
        this.node = node;
    }

    @ManagedAttribute(description = "This node's name (o365.cluster.node-name, or host name and process id)")
    public String getNode() {
        return node.name();
    }

    @ManagedAttribute(description = "True in cluster mode (o365.cluster.enabled): the nodes share the jobs, each runs"
            + " on one node at a time")
    public boolean isClustered() {
        return node.clustered();
    }
}
