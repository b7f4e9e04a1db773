package org.o365audit.ops;

import io.micrometer.core.instrument.MeterRegistry;
import org.o365audit.config.NodeIdentity;
import org.springframework.boot.actuate.autoconfigure.metrics.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Cluster mode: every meter carries the tag node=&lt;this node&gt;, so the nodes' series stay apart when summed up. */
@Configuration
public class NodeMetricsTag {
    @Bean
    public MeterRegistryCustomizer<MeterRegistry> nodeTag(NodeIdentity node) {
        return registry -> {
            if (node.clustered()) {
                registry.config().commonTags("node", node.name());
            }
        };
    }
}
