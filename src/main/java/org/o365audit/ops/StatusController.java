package org.o365audit.ops;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.o365audit.collect.DelayedFeed;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.collect.TenantRoutes;
import org.o365audit.config.GovernanceAction;
import org.o365audit.config.NodeIdentity;
import org.o365audit.config.Tenant;
import org.o365audit.config.TenantComponent;
import org.o365audit.sink.SinkRoutes;
import org.o365audit.store.Gaps;
import org.o365audit.store.JobNodes;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /api/status: every tenant, its content types and feeds, and every sink, for the connected-tenants page; the
 * node that answers, and in cluster mode the nodes and which one last ran each poll, feed and sink.
 */
@RestController
public class StatusController {
    private final TenantRegistry tenants;
    private final CollectorStatus status;
    private final SinkOverview sinks;
    private final TenantRoutes routes;
    private final Gaps gaps;
    private final NodeIdentity node;
    private final JobNodes jobNodes;

    public StatusController(TenantRegistry tenants, CollectorStatus status, SinkOverview sinks, TenantRoutes routes,
                            Gaps gaps, NodeIdentity node, JobNodes jobNodes) {
        this.gaps = gaps;
        this.node = node;
        this.jobNodes = jobNodes;
        this.tenants = tenants;
        this.status = status;
        this.sinks = sinks;
        this.routes = routes;
    }

    @GetMapping("/api/status")
    public Map<String, Object> status() {
        Instant now = Instant.now();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("generatedAt", now.toString());
        out.put("node", node.name());
        out.put("clustered", node.clustered());
        Map<String, JobNodes.Run> runs = node.clustered() ? jobNodes.all() : Map.of();
        if (node.clustered()) {
            out.put("nodes", jobNodes.nodes().stream().map(n -> Map.of("name", n.name(),
                    "lastCheckin", n.lastCheckin().toString(), "alive", n.alive())).toList());
        }
        List<Object> ts = new ArrayList<>();
        for (Tenant t : tenants.all()) {
            List<ComponentStatus> cs = status.of(t.tenantId());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("tenantId", t.tenantId());
            m.put("cloud", t.cloud().key());
            // from the database: paused on another node of the cluster shows here too
            boolean paused = routes.isPaused(t);
            m.put("paused", paused);
            String worst = paused ? "paused" : TenantHealth.worst(cs);
            m.put("status", worst);
            m.put("message", tenantMessage(worst, cs));
            Map<String, String> jobs = jobs(t);
            m.put("components", cs.stream().map(c -> withNode(component(c, now), runs.get(jobs.get(c.name())))).toList());
            m.put("gaps", gaps.of(t.tenantId()).stream().map(StatusController::gap).toList());
            // what this connection could also collect, with the permissions each needs: reported, not assumed
            // (the audit search is a switch of its own, audit-search, not a component to list)
            m.put("componentsOff", Arrays.stream(TenantComponent.values()).filter(c -> !t.has(c) && c != TenantComponent.SEARCH)
                    .map(c -> {
                Map<String, Object> off = new LinkedHashMap<>();
                off.put("name", c.key());
                off.put("permissions", c.permissions());
                return off;
            }).toList());
            m.put("governance", governance(t));
            ts.add(m);
        }
        out.put("tenants", ts);
        List<SinkOverview.SinkState> all = sinks.all();
        out.put("sinks", all);
        out.put("sinkNodes", sinkNodes(all, runs));
        return out;
    }

    /** The governance actions this tenant allows, each with the write permission it needs, and whether dry runs only. */
    private static Map<String, Object> governance(Tenant t) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("actions", Arrays.stream(GovernanceAction.values()).filter(t::allows).map(a -> {
            Map<String, Object> on = new LinkedHashMap<>();
            on.put("name", a.key());
            on.put("permissions", a.permissions());
            return on;
        }).toList());
        g.put("dryRunOnly", t.governanceDryRunOnly());
        return g;
    }

    /** The route (the Quartz job) of each of the tenant's components, by component name. */
    private static Map<String, String> jobs(Tenant t) {
        Map<String, String> m = new LinkedHashMap<>();
        t.contentTypes().forEach(ct -> m.put(ct, TenantRoutes.routeId(t, ct)));
        DelayedFeed.of(t).forEach(f -> m.put(f.describe(), TenantRoutes.delayedRouteId(t, f)));
        TenantRoutes.graphComponents(t).forEach(c -> m.put(c.key(), TenantRoutes.graphRouteId(t, c)));
        return m;
    }

    /** Which node last started the job, and when; single mode: this node, always. */
    private Map<String, Object> withNode(Map<String, Object> m, JobNodes.Run run) {
        m.put("node", node.clustered() ? (run == null ? null : run.node()) : node.name());
        m.put("nodeSince", run == null ? null : run.startedAt().toString());
        return m;
    }

    /** Which node last started each sink, by sink name; single mode: this node. */
    private Map<String, Object> sinkNodes(List<SinkOverview.SinkState> all, Map<String, JobNodes.Run> runs) {
        Map<String, Object> m = new LinkedHashMap<>();
        all.forEach(s -> m.put(s.name(), withNode(new LinkedHashMap<>(), runs.get(SinkRoutes.routeId(s.name())))));
        return m;
    }

    private static String tenantMessage(String worst, List<ComponentStatus> cs) {
        return switch (worst) {
            case "paused" -> "Paused by an operator: nothing is collected until it is resumed.";
            case "healthy" -> cs.stream().allMatch(c -> c.lastSuccess() == null)
                    ? "Connecting: the first polls are running." : "Connected: every content type and feed is collecting.";
            default -> cs.stream().filter(c -> c.status().equals(worst)).findFirst()
                    .map(c -> c.name() + ": " + c.message()).orElse("");
        };
    }

    private static Map<String, Object> component(ComponentStatus c, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", c.kind());
        m.put("name", c.name());
        m.put("state", c.state().name().toLowerCase().replace('_', '-'));
        m.put("status", c.status());
        m.put("errorCode", c.errorCode());
        m.put("message", c.message());
        m.put("lastSuccess", text(c.lastSuccess()));
        m.put("newestEvent", text(c.newestEvent()));
        m.put("lagSeconds", c.lagSeconds(now));
        m.put("cursor", text(c.cursor()));
        m.put("settledUntil", text(c.settledUntil()));
        m.put("blobsCollected", c.blobs());
        m.put("recordsStored", c.records());
        m.put("quarantined", c.quarantined());
        m.put("throttled", c.throttledCount());
        m.put("summary", c.summary());
        m.put("permissions", c.permissions());
        ComponentStatus.Backfill b = c.backfill();
        if (b != null) {
            Map<String, Object> bm = new LinkedHashMap<>();
            bm.put("percent", b.percent());
            bm.put("windowsDone", b.windowsDone());
            bm.put("windowsTotal", b.windowsTotal());
            bm.put("eta", text(b.eta()));
            m.put("backfill", bm);
        } else {
            m.put("backfill", null);
        }
        return m;
    }

    private static Map<String, Object> gap(Gaps.Gap g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("feed", g.feed());
        m.put("from", text(g.from()));
        m.put("to", text(g.to()));
        m.put("contentId", g.contentId().isEmpty() ? null : g.contentId());
        m.put("reason", g.reason());
        m.put("detectedAt", text(g.detectedAt()));
        m.put("filledAt", text(g.filledAt()));
        m.put("filledBy", g.filledBy());
        return m;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
