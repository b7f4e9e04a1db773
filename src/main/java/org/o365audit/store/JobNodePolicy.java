package org.o365audit.store;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode: every scheduled route (a {@code quartz:} consumer) notes in job_node that this node started it,
 * so the status page and the MBeans show where each poll, feed and sink runs. A failed note never stops the job.
 */
public class JobNodePolicy implements RoutePolicyFactory {
    private static final Logger LOG = LoggerFactory.getLogger(JobNodePolicy.class);

    private final JobNodes jobs;
    private final String node;

    public JobNodePolicy(JobNodes jobs, String node) {
        this.jobs = jobs;
        this.node = node;
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        return new RoutePolicySupport() {
            @Override
            public void onExchangeBegin(Route r, Exchange exchange) {
                if (!r.getEndpoint().getEndpointUri().startsWith("quartz:")) {
                    return;
                }
                try {
                    jobs.started(r.getRouteId(), node);
                } catch (RuntimeException e) {
                    LOG.debug("cannot note that node {} runs {}: {}", node, r.getRouteId(), e.getMessage());
                }
            }
        };
    }
}
