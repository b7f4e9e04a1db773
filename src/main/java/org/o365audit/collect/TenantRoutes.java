package org.o365audit.collect;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.o365audit.config.O365Properties;
import org.o365audit.config.Tenant;
import org.o365audit.delayed.DelayedFeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Instantiates the YAML route templates (routes/) after Camel has loaded the routes folder:
 * {@code management-activity-poller} once per tenant and content type, {@code delayed-feed-poller} once
 * per tenant and delayed feed (Power BI, each Dataverse environment).
 */
@Component
public class TenantRoutes implements CamelContextConfiguration {
    public static final String TEMPLATE = "management-activity-poller";
    public static final String DELAYED_TEMPLATE = "delayed-feed-poller";
    private static final Logger LOG = LoggerFactory.getLogger(TenantRoutes.class);

    private final TenantRegistry tenants;
    private final O365Properties props;
    private CamelContext camel;

    public TenantRoutes(TenantRegistry tenants, O365Properties props) {
        this.tenants = tenants;
        this.props = props;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        this.camel = camelContext;
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        this.camel = camelContext;
        List<Tenant> all = tenants.all();
        if (all.isEmpty()) {
            LOG.warn("no tenant to collect: configure o365.tenants or set o365.simulator.mode=auto");
        }
        for (Tenant t : all) {
            startRoutes(t);
        }
    }

    /** Adds the tenant's pollers: one route per content type. */
    public List<String> startRoutes(Tenant tenant) {
        List<String> ids = new ArrayList<>();
        for (String ct : tenant.contentTypes()) {
            String routeId = routeId(tenant, ct);
            TemplatedRouteBuilder.builder(camel, TEMPLATE)
                    .routeId(routeId)
                    .parameter("tenantId", tenant.tenantId())
                    .parameter("contentType", ct)
                    .parameter("pollIntervalMillis", String.valueOf(props.getPollInterval().toMillis()))
                    .add();
            ids.add(routeId);
        }
        LOG.info("tenant {} ({}, cloud {}): polling {} every {}", tenant.name(), tenant.tenantId(),
                tenant.cloud().key(), tenant.contentTypes(), props.getPollInterval());
        for (DelayedFeed feed : DelayedFeed.of(tenant)) {
            String routeId = delayedRouteId(tenant, feed);
            TemplatedRouteBuilder.builder(camel, DELAYED_TEMPLATE)
                    .routeId(routeId)
                    .parameter("tenantId", tenant.tenantId())
                    .parameter("feed", feed.key())
                    .parameter("feedId", feed.id())
                    .parameter("feedName", feed.describe())
                    .parameter("pollIntervalMillis", String.valueOf(props.getDelayed().getPollInterval().toMillis()))
                    .add();
            ids.add(routeId);
            LOG.info("tenant {}: delayed feed {} re-scanned every {} with a settle window of {}", tenant.name(),
                    feed.describe(), props.getDelayed().getPollInterval(), props.getDelayed().getSettleWindow());
        }
        return ids;
    }

    /** Stops and removes the tenant's pollers (used by tests and, later, operations). */
    public void stopRoutes(Tenant tenant) throws Exception {
        List<String> ids = new ArrayList<>();
        tenant.contentTypes().forEach(ct -> ids.add(routeId(tenant, ct)));
        DelayedFeed.of(tenant).forEach(f -> ids.add(delayedRouteId(tenant, f)));
        for (String id : ids) {
            camel.getRouteController().stopRoute(id);
            camel.removeRoute(id);
        }
    }

    public static String delayedRouteId(Tenant tenant, DelayedFeed feed) {
        return "delayed-" + tenant.name() + "-" + feed.id();
    }

    public static String routeId(Tenant tenant, String contentType) {
        return "poll-" + tenant.name() + "-" + contentType;
    }
}
