package org.o365audit.ops;

import jakarta.annotation.PreDestroy;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.o365audit.collect.BackfillRequests;
import org.o365audit.collect.TenantRoutes;
import org.o365audit.collect.TenantStarted;
import org.o365audit.collect.WindowPlanner;
import org.o365audit.config.NodeIdentity;
import org.o365audit.config.O365Properties;
import org.o365audit.config.Tenant;
import org.o365audit.govern.GovernanceActions;
import org.o365audit.graph.AuditSearchRequests;
import org.o365audit.store.AuditSearchQueries;
import org.o365audit.sink.SinkPositions;
import org.o365audit.sink.SetAsideResends;
import org.o365audit.sink.SinkRoutes;
import org.o365audit.store.Gaps;
import org.o365audit.store.JobNodes;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jmx.export.MBeanExporter;
import org.springframework.jmx.export.annotation.AnnotationMBeanExporter;
import org.springframework.jmx.support.RegistrationPolicy;
import org.springframework.stereotype.Component;

/**
 * Our MBeans, under the JMX domain {@code o365audit} beside Camel's (Hawtio's JMX tree, Jolokia):
 * type=Tenant (pause, resume, backfill), type=ContentType and type=DelayedFeed per tenant (state, cursor,
 * counts, lag, watermark, backfill progress), type=Sink (position, lag, failures, replayFrom, resendSetAside) and
 * type=Collector (revalidateConfiguration, this node and the cluster's nodes), type=Governance per tenant (the
 * governance actions, through their routes), type=AuditSearch per tenant with audit search on. Each says which node it is on
 * (Node, Clustered). No attribute carries a secret.
 */
@Component
@Order(20)
public class OperationsJmx implements ApplicationRunner {
    public static final String DOMAIN = "o365audit";

    private final AnnotationMBeanExporter exporter = new AnnotationMBeanExporter();
    private final TenantRoutes routes;
    private final CollectorStatus status;
    private final BackfillRequests backfills;
    private final WindowPlanner planner;
    private final Gaps gaps;
    private final O365Properties props;
    private final SinkOverview sinks;
    private final SinkPositions positions;
    private final SetAsideResends resends;
    private final ConfigValidation validation;
    private final CamelContext camel;
    private final NodeIdentity node;
    private final JobNodes jobNodes;
    private final GovernanceActions governance;
    private final AuditSearchRequests searchRequests;
    private final AuditSearchQueries searchQueries;
    private final Map<String, ObjectName> registered = new ConcurrentHashMap<>();
    /**
     * Which application registered each name on the platform MBean server (shared by every application in the
     * JVM, e.g. test contexts): one that stops removes only the MBeans it still owns, never those a newer one
     * registered under the same names.
     */
    private static final Map<ObjectName, OperationsJmx> OWNERS = new ConcurrentHashMap<>();

    public OperationsJmx(@Lazy TenantRoutes routes, CollectorStatus status,
                         BackfillRequests backfills, WindowPlanner planner, O365Properties props, SinkOverview sinks,
                         SinkPositions positions, ConfigValidation validation, CamelContext camel, Gaps gaps,
                         SetAsideResends resends, NodeIdentity node, JobNodes jobNodes,
                         GovernanceActions governance, AuditSearchRequests searchRequests, AuditSearchQueries searchQueries) {
        this.governance = governance;
        this.searchRequests = searchRequests;
        this.searchQueries = searchQueries;
        this.node = node;
        this.jobNodes = jobNodes;
        this.camel = camel;
        this.resends = resends;
        this.gaps = gaps;
        // the platform MBean server, where Camel's MBeans are and Jolokia looks, whatever spring.jmx.enabled says
        exporter.setServer(ManagementFactory.getPlatformMBeanServer());
        exporter.setRegistrationPolicy(RegistrationPolicy.REPLACE_EXISTING);
        this.routes = routes;
        this.status = status;
        this.backfills = backfills;
        this.planner = planner;
        this.props = props;
        this.sinks = sinks;
        this.positions = positions;
        this.validation = validation;
    }

    @Override
    public void run(ApplicationArguments args) {
        register("type=Collector", new CollectorMBean(validation, node, jobNodes));
        sinks.all().forEach(s -> register("type=Sink,name=" + value(s.name()), new SinkMBean(s.name(), sinks, positions, resends, node)));
        // sink routes started later (Camel may start after the runners, as in tests) get theirs when they start
        camel.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.RouteStartedEvent started && SinkRoutes.isSinkRoute(started.getRoute())) {
                    String name = SinkRoutes.sinkName(started.getRoute());
                    register("type=Sink,name=" + value(name), new SinkMBean(name, sinks, positions, resends, node));
                }
            }
        });
    }

    /** Our MBeans go with the application (the platform MBean server outlives it). */
    @PreDestroy
    public void unregisterAll() {
        List.copyOf(registered.keySet()).forEach(this::unregister);
    }

    @EventListener
    public void onTenant(TenantStarted e) {
        Tenant t = e.tenant();
        String tenant = value(t.name());
        if (!e.started()) {
            registered.keySet().stream().filter(k -> k.contains("tenant=" + tenant + ",") || k.equals("type=Tenant,name=" + tenant)
                    || k.equals("type=Governance,tenant=" + tenant) || k.equals("type=AuditSearch,tenant=" + tenant))
                    .toList().forEach(this::unregister);
            return;
        }
        register("type=Tenant,name=" + tenant, new TenantMBean(t, routes, status, backfills, planner, gaps));
        register("type=Governance,tenant=" + tenant, new GovernanceMBean(t, governance));
        if (t.auditSearch()) {
            register("type=AuditSearch,tenant=" + tenant, new AuditSearchMBean(t, searchRequests, searchQueries));
        }
        for (ComponentStatus c : status.of(t.tenantId())) {
            String type = switch (c.kind()) {
                case CollectorStatus.CONTENT_TYPE -> "ContentType";
                case CollectorStatus.GRAPH -> "Component";
                default -> "DelayedFeed";
            };
            register("type=" + type + ",tenant=" + tenant + ",name=" + value(c.name()),
                    new ComponentMBean(c, props.getLookBack(), node));
        }
    }

    private void register(String properties, Object mbean) {
        MBeanExporter x = exporter;
        try {
            ObjectName name = new ObjectName(DOMAIN + ":" + properties);
            unregister(properties);
            x.registerManagedResource(mbean, name);
            registered.put(properties, name);
            OWNERS.put(name, this);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("bad MBean name " + properties, e);
        }
    }

    private void unregister(String properties) {
        ObjectName name = registered.remove(properties);
        if (name != null && OWNERS.remove(name, this)) {
            exporter.unregisterManagedResource(name);
        }
    }

    /** A name as an ObjectName value: quoted when it holds a character JMX reserves. */
    static String value(String s) {
        return s.matches("[A-Za-z0-9._@ -]+") ? s : ObjectName.quote(s);
    }
}
