package org.o365audit.ops;

import java.util.List;
import java.util.Map;
import org.o365audit.config.NodeIdentity;
import org.o365audit.store.JobNodes;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedResource;

/**
 * o365audit:type=Collector: checks edited route files and configuration before a restart applies them; this node,
 * and in cluster mode the nodes that share the jobs.
 */
@ManagedResource(description = "The collector as a whole")
public class CollectorMBean extends NodeAttributes {
    private final ConfigValidation validation;
    private final JobNodes jobNodes;

    CollectorMBean(ConfigValidation validation, NodeIdentity node, JobNodes jobNodes) {
        super(node);
        this.validation = validation;
        this.jobNodes = jobNodes;
    }

    @ManagedOperation(description = "Check routes/*.camel.yaml and config/application.yaml as they are on disk now; "
            + "nothing running changes. Restart to apply them.")
    public String revalidateConfiguration() {
        List<String> problems = validation.validate();
        return problems.isEmpty() ? "routes and configuration are valid; restart to apply changes"
                : problems.size() + " problem(s):\n" + String.join("\n", problems);
    }

    @ManagedAttribute(description = "Cluster mode: the nodes that checked in, each 'name alive|dead, last check-in <time>'")
    public List<String> getNodes() {
        if (!node.clustered()) {
            return List.of(node.name() + " alive");
        }
        return jobNodes.nodes().stream()
                .map(n -> n.name() + (n.alive() ? " alive" : " dead") + ", last check-in " + n.lastCheckin()).toList();
    }

    @ManagedAttribute(description = "Cluster mode: which node last started each scheduled job (poll, delayed feed, sink,"
            + " housekeeping), each '<route id> on <node> since <time>'; one process alone runs them all itself")
    public List<String> getJobs() {
        if (!node.clustered()) {
            return List.of("all on " + node.name());
        }
        return jobNodes.all().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " on " + e.getValue().node() + " since " + e.getValue().startedAt()).toList();
    }
}
