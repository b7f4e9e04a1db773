package org.o365audit.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Who this process is in a cluster: {@code o365.cluster.node-name}, or {@code <host name>-<process id>}. One
 * process alone is a cluster of one node and has a name as well.
 */
@Component
public class NodeIdentity {
    private final String name;
    private final boolean clustered;

    /** The application's: two constructors, so Spring is told which. */
    @Autowired
    public NodeIdentity(O365Properties props) {
        ClusterProperties c = props.getCluster();
        this.clustered = c.isEnabled();
        this.name = c.getNodeName() != null && !c.getNodeName().isBlank() ? c.getNodeName() : hostName() + "-" + ProcessHandle.current().pid();
    }

    public NodeIdentity(String name, boolean clustered) {
        this.name = name;
        this.clustered = clustered;
    }

    public String name() {
        return name;
    }

    /** True when o365.cluster.enabled: other processes share this database and its jobs. */
    public boolean clustered() {
        return clustered;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && env.matches("[A-Za-z0-9._-]{1,60}")) {
            return env;
        }
        try {
            String h = InetAddress.getLocalHost().getHostName();
            return h.replaceAll("[^A-Za-z0-9._-]", "_");
        } catch (UnknownHostException e) {
            return "node";
        }
    }
}
