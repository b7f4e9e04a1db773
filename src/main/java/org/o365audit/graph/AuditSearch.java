package org.o365audit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.Header;
import org.o365audit.api.GraphClient;
import org.o365audit.api.ManagementApiException;
import org.o365audit.collect.CollectorEvents;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.config.O365Properties;
import org.o365audit.config.Tenant;
import org.o365audit.record.BlobStats;
import org.o365audit.record.Headers;
import org.o365audit.store.AuditSearchQueries;
import org.o365audit.store.AuditSearchQuery;
import org.o365audit.store.Gaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The steps of routes/audit-search.camel.yaml against Microsoft Graph's audit log query API (beta,
 * {@code /security/auditLog/queries}): submit pending queries (at most o365.audit-search.max-running of a tenant
 * at once), poll each submitted one once per run, read the records of those that succeeded page by page, each page
 * stored with the link to the next in one transaction (a restart reads on from there, never submits again). A query
 * that Microsoft's record limit cut ({@code isRecordCountLimitExceeded}) has its records stored, then its range is
 * asked for again in two halves. When a query and all its halves are stored, the gaps it was asked for are filled.
 */
@Component("auditSearch")
public class AuditSearch {
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.graph");
    static final String QUERIES = "/security/auditLog/queries";
    /** A truncated range shorter than this is not split again: its records stay what Microsoft returned. */
    static final Duration SMALLEST_SPLIT = Duration.ofMinutes(1);

    private final TenantRegistry tenants;
    private final AuditSearchQueries queries;
    private final AuditSearchRecords records;
    private final AuditSearchProgress progress;
    private final Gaps gaps;
    private final GraphClient graph;
    private final ObjectMapper mapper;
    private final O365Properties props;
    private final CollectorEvents status;
    private final TransactionTemplate tx;
    private final Clock clock;

    public AuditSearch(TenantRegistry tenants, AuditSearchQueries queries, AuditSearchRecords records,
            AuditSearchProgress progress, Gaps gaps, GraphClient graph, ObjectMapper mapper, O365Properties props,
            CollectorEvents status, PlatformTransactionManager txManager, Clock clock) {
        this.tenants = tenants;
        this.queries = queries;
        this.records = records;
        this.progress = progress;
        this.gaps = gaps;
        this.graph = graph;
        this.mapper = mapper;
        this.props = props;
        this.status = status;
        this.tx = new TransactionTemplate(txManager);
        this.clock = clock;
    }

    /** Submits pending queries, oldest first, while fewer than max-running are queued or running. */
    public void submit(@Header(Headers.TENANT_ID) String tenantId) {
        Tenant tenant = tenants.get(tenantId);
        int active = queries.inStatus(tenantId, AuditSearchQuery.NOT_STARTED, AuditSearchQuery.RUNNING).size();
        int room = props.getAuditSearch().getMaxRunning() - active;
        for (AuditSearchQuery q : queries.inStatus(tenantId, AuditSearchQuery.PENDING)) {
            if (room-- <= 0) {
                return;
            }
            JsonNode accepted = q.submittingAt() == null ? null : findSubmitted(tenant, q);
            if (accepted != null) {
                LOG.info("tenant {} search: query {} was submitted before its answer was lost; found by its name",
                        tenant.name(), q.id());
            }
            try {
                if (accepted == null) {
                    queries.submitting(q.id(), clock.instant());
                    accepted = graph.send(tenant, "POST", graph.betaUrl(tenant, QUERIES), "audit search submit of query "
                            + q.id(), body(q), GraphClient.throttleKey(tenant)).body();
                }
            } catch (ManagementApiException e) {
                if (e.status() == 400 || e.status() == 403 || e.status() == 404) {
                    String meaning = e.status() == 403 ? "refused: grant AuditLogsQuery.Read.All (or the per-workload"
                            + " AuditLogsQuery-*.Read.All) with admin consent; " : "refused: ";
                    queries.finished(q.id(), AuditSearchQuery.FAILED, meaning + e.getMessage(), clock.instant());
                    LOG.error("tenant {} search: query {} {}{}", tenant.name(), q.id(), meaning, e.getMessage());
                    if (e.status() == 403) {
                        throw e;   // the component's status says which permission is missing
                    }
                    continue;
                }
                throw e;
            }
            String graphId = accepted == null ? null : accepted.path("id").asText(null);
            if (graphId == null || graphId.isBlank()) {
                throw new IllegalStateException("tenant " + tenant.name() + " search: Microsoft accepted query " + q.id()
                        + " without an id");
            }
            queries.submitted(q.id(), graphId, statusOf(accepted, AuditSearchQuery.NOT_STARTED), clock.instant());
            LOG.info("tenant {} search: query {} submitted as {} ({}..{})", tenant.name(), q.id(), graphId, q.from(), q.to());
        }
    }

    /**
     * The query as Microsoft lists it under our displayName, or null: a POST whose answer never reached us (a kill,
     * a cut connection, a retry after a 5xx) may have created it, and a second one would spend a submission.
     */
    private JsonNode findSubmitted(Tenant tenant, AuditSearchQuery q) {
        URI next = graph.betaUrl(tenant, QUERIES);
        while (next != null) {
            JsonNode page = graph.get(tenant, next, "audit search queries (looking for query " + q.id() + ")");
            for (JsonNode found : page.path("value")) {
                if (displayName(q).equals(found.path("displayName").asText())) {
                    return found;
                }
            }
            next = GraphClient.nextLink(page);
        }
        return null;
    }

    static String displayName(AuditSearchQuery q) {
        return "o365audit " + q.id();
    }

    /** One GET of each submitted query: its status, and whether the record limit truncated it. */
    public void poll(@Header(Headers.TENANT_ID) String tenantId) {
        Tenant tenant = tenants.get(tenantId);
        for (AuditSearchQuery q : queries.inStatus(tenantId, AuditSearchQuery.NOT_STARTED, AuditSearchQuery.RUNNING)) {
            JsonNode answer = graph.get(tenant, graph.betaUrl(tenant, QUERIES + "/" + q.graphId()),
                    "audit search query " + q.id());
            String now = statusOf(answer, q.status());
            boolean truncated = answer.path("isRecordCountLimitExceeded").asBoolean(false);
            String detail = AuditSearchQuery.SUCCEEDED.equals(now) ? "about " + answer.path("approximateReturnedRecordCount")
                    .asText("?") + " record(s)" + (truncated ? ", truncated by the record limit" : "") : null;
            queries.polled(q.id(), now, truncated, detail, clock.instant());
            if (!now.equals(q.status())) {
                if (AuditSearchQuery.FAILED.equals(now) || AuditSearchQuery.CANCELLED.equals(now)) {
                    LOG.error("tenant {} search: query {} ({}..{}) {} at Microsoft; its range stays a gap", tenant.name(),
                            q.id(), q.from(), q.to(), now);
                } else {
                    LOG.info("tenant {} search: query {} {}", tenant.name(), q.id(), detail == null ? now : now + ", " + detail);
                }
            }
        }
    }

    /** Reads the records of every query that succeeded, from where reading stopped, each page in its transaction. */
    public void read(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.COMPONENT) String component) {
        Tenant tenant = tenants.get(tenantId);
        for (AuditSearchQuery q : queries.inStatus(tenantId, AuditSearchQuery.SUCCEEDED)) {
            URI next = q.nextLink() != null ? URI.create(q.nextLink())
                    : graph.betaUrl(tenant, QUERIES + "/" + q.graphId() + "/records");
            while (next != null) {
                JsonNode page = graph.get(tenant, next, "audit search records of query " + q.id());
                URI following = GraphClient.nextLink(page);
                BlobStats stats = tx.execute(s -> {
                    Instant now = clock.instant();
                    BlobStats st = records.store(tenant, q, page, now);
                    queries.pageStored(q.id(), following == null ? null : following.toString(), st.storedCount(), now);
                    if (following == null) {
                        finish(tenant, queries.get(q.id()), now);
                    }
                    return st;
                });
                progress.stored(tenant, stats.storedCount());
                status.collected(tenantId, component, stats, false);
                next = following;
            }
        }
    }

    /** Route step: the component's status line, and the gauges. */
    public void summarize(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.COMPONENT) String component) {
        Map<String, Long> counts = progress.refresh(tenants.get(tenantId));
        status.summary(tenantId, component, String.format("queries: %d pending, %d running, %d stored, %d split,"
                + " %d failed; %,d records stored", counts.get(AuditSearchQuery.PENDING),
                counts.get(AuditSearchQuery.NOT_STARTED) + counts.get(AuditSearchQuery.RUNNING)
                        + counts.get(AuditSearchQuery.SUCCEEDED), counts.get(AuditSearchQuery.STORED),
                counts.get(AuditSearchQuery.SPLIT), counts.get(AuditSearchQuery.FAILED)
                        + counts.get(AuditSearchQuery.CANCELLED), queries.recordsStored(tenantId)));
        status.succeeded(tenantId, component);
    }

    /** The last page is stored: stored, or split in two halves when truncated; then the gaps of a complete tree. */
    private void finish(Tenant tenant, AuditSearchQuery q, Instant now) {
        Duration length = Duration.between(q.from(), q.to());
        if (q.truncated() && length.compareTo(SMALLEST_SPLIT) >= 0) {
            Instant middle = q.from().plus(length.dividedBy(2));
            queries.create(q.tenantId(), q.from(), middle, q.filters(), "first half of " + q.id(), q, now);
            queries.create(q.tenantId(), middle, q.to(), q.filters(), "second half of " + q.id(), q, now);
            queries.finished(q.id(), AuditSearchQuery.SPLIT, null, now);
            LOG.warn("tenant {} search: query {} ({}..{}) hit Microsoft's record limit; its {} record(s) are stored and"
                    + " its range is asked for again in two halves", tenant.name(), q.id(), q.from(), q.to(),
                    q.recordsStored());
            return;
        }
        queries.finished(q.id(), AuditSearchQuery.STORED, q.truncated() ? "truncated by the record limit, range too"
                + " short to split" : null, now);
        LOG.info("tenant {} search: query {} done, {} new record(s) stored", tenant.name(), q.id(), q.recordsStored());
        if (queries.treeStored(q.rootId())) {
            AuditSearchQuery root = queries.get(q.rootId());
            int filled = gaps.filledBy(root.id(), root.to(), "audit search " + root.id());
            if (filled > 0) {
                LOG.info("tenant {} search: {} gap(s) filled by query {} ({}..{})", tenant.name(), filled, root.id(),
                        root.from(), root.to());
            }
        }
    }

    /** The POST body of a query (microsoft.graph.security.auditLogQuery); empty filters are left out. */
    String body(AuditSearchQuery q) {
        ObjectNode b = mapper.createObjectNode();
        b.put("displayName", displayName(q));
        b.put("filterStartDateTime", q.from().toString());
        b.put("filterEndDateTime", q.to().toString());
        array(b, "recordTypeFilters", q.filters().recordTypes());
        array(b, "serviceFilters", q.filters().services());
        array(b, "operationFilters", q.filters().operations());
        array(b, "userPrincipalNameFilters", q.filters().users());
        return b.toString();
    }

    private static void array(ObjectNode b, String name, List<String> values) {
        if (!values.isEmpty()) {
            values.forEach(b.putArray(name)::add);
        }
    }

    private static String statusOf(JsonNode query, String otherwise) {
        String s = query == null ? null : query.path("status").asText(null);
        return s == null || !AuditSearchQuery.STATUSES.contains(s) ? otherwise : s;
    }
}
