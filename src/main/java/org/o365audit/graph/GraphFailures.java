package org.o365audit.graph;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.o365audit.api.ForeignHostException;
import org.o365audit.api.GraphErrors;
import org.o365audit.api.TenantBackingOffException;
import org.o365audit.auth.TokenException;
import org.o365audit.collect.CollectorEvents;
import org.o365audit.collect.TenantPausedException;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.config.TenantComponent;
import org.o365audit.record.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A Graph component's run ended with an error (routes/graph-errors.camel.yaml): its status says what it means and
 * what to do, the log says it once with tenant and component, and the next run starts again from the stored state.
 * Only this component is affected: the tenant's other components and its activities go on.
 */
@Component
public class GraphFailures {
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.graph");

    private final TenantRegistry tenants;
    private final CollectorEvents status;
    private final GraphSchedule schedule;

    public GraphFailures(TenantRegistry tenants, CollectorEvents status, GraphSchedule schedule) {
        this.tenants = tenants;
        this.status = status;
        this.schedule = schedule;
    }

    public void handle(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.COMPONENT) String component,
            Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String who = "tenant " + tenants.get(tenantId).name() + " " + component;
        if (e instanceof TenantPausedException) {
            LOG.info("{}: paused during the run; the run after the resume goes on from the stored state", who);
            return;
        }
        status.failed(tenantId, component, e);
        schedule.failed(tenantId, component);
        if (e instanceof TenantBackingOffException) {
            LOG.info("{}: deferred, Microsoft Graph is throttling this tenant: {}", who, e.getMessage());
        } else if (GraphErrors.licenceMissing(e)) {
            LOG.error("{}: the tenant has no Entra ID P1/P2 licence for the Graph sign-in log: {}", who, e.getMessage());
        } else if (GraphErrors.missingPermission(e)) {
            LOG.error("{}: Microsoft Graph refused the call (403); grant the application permission(s) {} with admin"
                    + " consent. The other components go on. {}", who, TenantComponent.fromKey(component).permissions(),
                    e.getMessage());
        } else if (e instanceof TokenException || e instanceof ForeignHostException) {
            LOG.error("{}: {}", who, e.getMessage());
        } else {
            LOG.error("{}: run failed, tried again on the next run: {}", who, e == null ? "unknown error" : e.toString(), e);
        }
    }
}
