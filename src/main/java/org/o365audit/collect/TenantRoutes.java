package org.o365audit.collect;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.quartz.QuartzComponent;
import org.o365audit.config.NodeIdentity;
import org.o365audit.config.O365Properties;
import org.o365audit.config.Tenant;
import org.o365audit.config.TenantComponent;
import org.o365audit.store.AuditEventStore;
import org.o365audit.store.Gaps;
import org.o365audit.store.ListingCursorStore;
import org.o365audit.store.TenantControl;
import org.quartz.JobKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Instantiates the YAML route templates (routes/) once Camel has started with the routes folder loaded:
 * {@code management-activity-poller} once per tenant and content type, {@code delayed-feed-poller} once per
 * tenant and delayed feed (Power BI, each Dataverse environment), and the template of each Graph component the
 * tenant collects (accounts: directory-sync, apps: app-inventory, signins: graph-signins, files: file-watch; search:
 * audit-search for a tenant with audit-search on). An ApplicationRunner, so that a failure
 * stops the application instead of leaving it half-running. Also pauses and resumes a tenant: the flag is in the
 * database and every poll checks it first (routes/*-poller.camel.yaml), on whichever node it runs; one process
 * alone also stops the tenant's routes. In cluster mode the routes stay up (camel-quartz does not pause clustered
 * triggers) and the polls end at once while the flag is set.
 */
@Component
@Order(10)
public class TenantRoutes implements ApplicationRunner {
    public static final String TEMPLATE = "management-activity-poller";
    public static final String DELAYED_TEMPLATE = "delayed-feed-poller";
    private static final Logger LOG = LoggerFactory.getLogger(TenantRoutes.class);

    private final TenantRegistry tenants;
    private final O365Properties props;
    private final CamelContext camel;
    private final CollectorEvents status;
    private final TenantControl control;
    private final ListingCursorStore cursors;
    private final AuditEventStore store;
    private final ApplicationEventPublisher events;
    private final Gaps gaps;
    private final TenantPause pause;
    private final NodeIdentity node;

    public TenantRoutes(TenantRegistry tenants, O365Properties props, CamelContext camel, CollectorEvents status,
                        TenantControl control, ListingCursorStore cursors, AuditEventStore store,
                        ApplicationEventPublisher events, Gaps gaps, TenantPause pause, NodeIdentity node) {
        this.gaps = gaps;
        this.pause = pause;
        this.node = node;
        this.events = events;
        this.tenants = tenants;
        this.props = props;
        this.camel = camel;
        this.status = status;
        this.control = control;
        this.cursors = cursors;
        this.store = store;
    }

    @Override
    public void run(ApplicationArguments args) {
        List<Tenant> all = tenants.all();
        if (all.isEmpty()) {
            LOG.warn("no tenant to collect: configure o365.tenants (o365.simulator.mode=always adds the simulated one)");
        }
        for (Tenant t : all) {
            startRoutes(t);
        }
    }

    /** Adds the tenant's pollers: one route per content type and per delayed feed (stopped if it is paused). */
    public List<String> startRoutes(Tenant tenant) {
        status.register(tenant);
        List<String> ids = new ArrayList<>();
        // the Graph components first: the directory's first read starts before the first activity poll
        for (TenantComponent c : graphComponents(tenant)) {
            String routeId = graphRouteId(tenant, c);
            TemplatedRouteBuilder.builder(camel, c.template())
                    .routeId(routeId)
                    .parameter("tenantId", tenant.tenantId())
                    .parameter("component", c.key())
                    .parameter("pollIntervalMillis", String.valueOf(intervalOf(c).toMillis()))
                    .parameter("tickMillis", String.valueOf(tickOf(c).toMillis()))
                    .add();
            ids.add(routeId);
            runNow(tenant, c);
            LOG.info("tenant {}: Graph component {} every {} (needs {}){}", tenant.name(), c.key(), intervalOf(c),
                    c.permissions(), c == TenantComponent.SEARCH ? ": Microsoft Graph's audit log query API, beta"
                    + (tenant.cloud() == org.o365audit.config.Cloud.GCC ? " (GCC: beta, not covered by Microsoft's"
                    + " support)" : "") : "");
        }
        for (String ct : tenant.contentTypes()) {
            status.cursorFrom(tenant.tenantId(), ct, cursors.listedUntil(tenant.tenantId(), ct));
            gaps.watch(tenant.tenantId(), tenant.name(), ct);
            status.newestEvent(tenant.tenantId(), ct, store.newestEvent(tenant.tenantId(), ct));
            String routeId = routeId(tenant, ct);
            TemplatedRouteBuilder.builder(camel, TEMPLATE)
                    .routeId(routeId)
                    .parameter("tenantId", tenant.tenantId())
                    .parameter("contentType", ct)
                    // with push on, polling is the safety net for missed notifications, at a longer interval
                    .parameter("pollIntervalMillis", String.valueOf((tenant.pushEnabled()
                            ? props.getWebhook().getSafetyNetInterval() : props.getPollInterval()).toMillis()))
                    .add();
            ids.add(routeId);
        }
        LOG.info("tenant {} ({}, cloud {}): polling {} every {}", tenant.name(), tenant.tenantId(),
                tenant.cloud().key(), tenant.contentTypes(), props.getPollInterval());
        for (DelayedFeed feed : DelayedFeed.of(tenant)) {
            status.newestEvent(tenant.tenantId(), feed.describe(), store.newestEvent(tenant.tenantId(), feed.contentType()));
            gaps.watch(tenant.tenantId(), tenant.name(), feed.describe());
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
        if (pause.isPaused(tenant.tenantId())) {
            if (!node.clustered()) {
                stop(ids);
            }
            LOG.warn("tenant {} is paused (an operator paused it): nothing is collected until it is resumed", tenant.name());
        }
        events.publishEvent(new TenantStarted(tenant, true));
        return ids;
    }

    /**
     * Pauses the tenant on every node. One process alone also stops its pollers (a poll in progress gets 30 s,
     * then its blob rolls back); in cluster mode a poll in progress finishes and the next ones end at once.
     */
    public void pause(Tenant tenant) throws Exception {
        pause.set(tenant.tenantId(), true);
        if (!node.clustered()) {
            stop(ids(tenant));
        }
        LOG.warn("tenant {} paused", tenant.name());
    }

    public void resume(Tenant tenant) throws Exception {
        pause.set(tenant.tenantId(), false);
        if (!node.clustered()) {
            for (String id : ids(tenant)) {
                camel.getRouteController().startRoute(id);
            }
        }
        LOG.info("tenant {} resumed", tenant.name());
    }

    public boolean isPaused(Tenant tenant) {
        return control.isPaused(tenant.tenantId());
    }

    /** Stops and removes the tenant's pollers (used by tests). */
    public void stopRoutes(Tenant tenant) throws Exception {
        for (String id : ids(tenant)) {
            camel.getRouteController().stopRoute(id);
            camel.removeRoute(id);
        }
        events.publishEvent(new TenantStarted(tenant, false));
    }

    private void stop(List<String> ids) {
        for (String id : ids) {
            try {
                camel.getRouteController().stopRoute(id, 30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop route " + id + ": " + e.getMessage(), e);
            }
        }
    }

    private static List<String> ids(Tenant tenant) {
        List<String> ids = new ArrayList<>();
        tenant.contentTypes().forEach(ct -> ids.add(routeId(tenant, ct)));
        DelayedFeed.of(tenant).forEach(f -> ids.add(delayedRouteId(tenant, f)));
        graphComponents(tenant).forEach(c -> ids.add(graphRouteId(tenant, c)));
        return ids;
    }

    /**
     * Fires the component's job once now, through Quartz (so that it stays one run at a time, on whichever node):
     * its trigger's first fire can be lost (Quartz may fire up to 2 ms before the trigger's start time and
     * camel-quartz then skips it), which would leave the component waiting for its next tick.
     */
    private void runNow(Tenant tenant, TenantComponent c) {
        try {
            camel.getComponent("quartz", QuartzComponent.class).getScheduler()
                    .triggerJob(JobKey.jobKey(tenant.tenantId() + "-" + c.key(), "o365-graph"));
        } catch (Exception e) {
            LOG.warn("tenant {}: Graph component {} could not be started at once ({}); it starts at its first tick",
                    tenant.name(), c.key(), e.toString());
        }
    }

    /** The audit search runs at its own interval (o365.audit-search.poll-interval), each run polling once. */
    private java.time.Duration intervalOf(TenantComponent c) {
        return c == TenantComponent.SEARCH ? props.getAuditSearch().getPollInterval() : props.getGraph().intervalOf(c);
    }

    private java.time.Duration tickOf(TenantComponent c) {
        return c == TenantComponent.SEARCH ? props.getAuditSearch().getPollInterval() : props.getGraph().tickOf(c);
    }

    /** The tenant's components that run as a Graph route of their own (accounts, apps, signins). */
    public static List<TenantComponent> graphComponents(Tenant tenant) {
        return tenant.components().stream().filter(c -> c.template() != null).sorted().toList();
    }

    public static String graphRouteId(Tenant tenant, TenantComponent component) {
        return "graph-" + tenant.name() + "-" + component.key();
    }

    public static String delayedRouteId(Tenant tenant, DelayedFeed feed) {
        return "delayed-" + tenant.name() + "-" + feed.id();
    }

    public static String routeId(Tenant tenant, String contentType) {
        return "poll-" + tenant.name() + "-" + contentType;
    }
}
