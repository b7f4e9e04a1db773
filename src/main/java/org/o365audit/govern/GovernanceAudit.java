package org.o365audit.govern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.o365audit.api.ContentBlob;
import org.o365audit.collect.Enricher;
import org.o365audit.collect.FeedSources;
import org.o365audit.collect.RecordBatch;
import org.o365audit.config.GovernanceAction;
import org.o365audit.config.Tenant;
import org.o365audit.record.BlobContent;
import org.o365audit.record.BlobStats;
import org.o365audit.record.Texts;
import org.o365audit.store.AuditEventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail of governance actions: every request, whatever came of it, is a row of governance_action (V14)
 * and, in the same transaction, an event of source governance in audit_event (its Id the row's id), which every sink
 * delivers like an audit record. Returns the {@link GovernanceResult}, the route's answer.
 */
@Component("governanceAudit")
public class GovernanceAudit {
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.govern");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private final JdbcTemplate jdbc;
    private final Enricher enricher;
    private final AuditEventStore store;
    private final TransactionTemplate tx;

    public GovernanceAudit(JdbcTemplate jdbc, Enricher enricher, AuditEventStore store, PlatformTransactionManager txManager) {
        this.jdbc = jdbc;
        this.enricher = enricher;
        this.store = store;
        this.tx = new TransactionTemplate(txManager);
    }

    public GovernanceResult record(GovernanceCase c) {
        GovernanceRequest r = c.request();
        String outcome = c.isDecided() ? c.outcome() : GovernanceResult.FAILED;
        GovernanceResult result = new GovernanceResult(UUID.randomUUID().toString(), r.tenant() == null ? r.tenantName()
                : r.tenant().name(), r.action().key(), r.target(), r.dryRun(), outcome,
                Texts.column(c.isDecided() ? c.detail() : "the route ended without an outcome", 4000), c.microsoftStatus(),
                Texts.column(c.microsoftAnswer(), 2000), r.requestedBy(), c.requestedAt());
        tx.executeWithoutResult(s -> {
            jdbc.update("INSERT INTO governance_action (id, tenant_id, tenant_name, action, target, requested_by, requested_at,"
                    + " reason, dry_run, forced, outcome, detail, ms_status, ms_answer) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    result.id(), r.tenant() == null ? null : r.tenant().tenantId(), Texts.column(result.tenantName(), 128),
                    result.action(), Texts.column(r.target(), 1024), Texts.column(r.requestedBy(), 256),
                    OffsetDateTime.ofInstant(result.requestedAt(), ZoneOffset.UTC), Texts.column(r.reason(), 1024),
                    r.dryRun(), r.force(), outcome, result.detail(), result.microsoftStatus(), result.microsoftAnswer());
            if (r.tenant() != null) {
                storeEvent(r.tenant(), event(r, result));
            }
        });
        LOG.info("governance: {} (requested by {})", result.describe(), r.requestedBy());
        return result;
    }

    /**
     * The error handler's end (routeConfiguration governance-errors): something unexpected broke the route; the
     * request is audited as failed with what broke, never thrown at the caller.
     */
    public GovernanceResult failed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String why = e == null ? "unknown error" : e.getClass().getSimpleName() + ": " + e.getMessage();
        Object body = exchange.getMessage().getBody();
        GovernanceCase c = body instanceof GovernanceCase gc ? gc : null;
        if (c == null) {
            String tenant = exchange.getMessage().getHeader("O365TenantId", "", String.class);
            String action = exchange.getMessage().getHeader(GovernanceRequests.ACTION, String.class);
            GovernanceAction a;
            try {
                a = GovernanceAction.fromKey(action);
            } catch (IllegalArgumentException bad) {
                LOG.warn("governance: request not audited, unknown action: {}", why);
                return new GovernanceResult(UUID.randomUUID().toString(), tenant, action, null, true,
                        GovernanceResult.REFUSED, why, null, null, null, Instant.now());
            }
            c = new GovernanceCase(new GovernanceRequest(null, tenant, a, exchange.getMessage().getHeader(
                    GovernanceRequests.TARGET, "", String.class), true, false, exchange.getMessage().getHeader(
                    GovernanceRequests.REQUESTED_BY, "unknown", String.class), exchange.getMessage().getHeader(
                    GovernanceRequests.REASON, String.class)), Instant.now());
        }
        c.decide(GovernanceResult.FAILED, "the action broke off: " + why + "; check the log, nothing more was sent");
        return record(c);
    }

    /** The latest audit rows, newest first; {@code tenant} null or blank for all tenants. */
    public List<java.util.Map<String, Object>> latest(String tenant, int limit) {
        int n = Math.max(1, Math.min(limit, 500));
        String sql = "SELECT id, tenant_name, action, target, requested_by, requested_at, reason, dry_run, forced, outcome,"
                + " detail, ms_status, ms_answer FROM governance_action";
        List<java.util.Map<String, Object>> rows = tenant == null || tenant.isBlank()
                ? jdbc.queryForList(sql + " ORDER BY requested_at DESC FETCH FIRST " + n + " ROWS ONLY")
                : jdbc.queryForList(sql + " WHERE tenant_name = ? OR tenant_id = ? ORDER BY requested_at DESC FETCH FIRST "
                + n + " ROWS ONLY", tenant, tenant);
        // the same names and values on both databases (H2 answers column names in capitals)
        return rows.stream().map(row -> {
            java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
            row.forEach((k, v) -> out.put(k.toLowerCase(java.util.Locale.ROOT), v instanceof java.time.temporal.Temporal
                    || v instanceof java.sql.Timestamp ? text(v) : v));
            return out;
        }).toList();
    }

    private static String text(Object time) {
        return time instanceof java.sql.Timestamp ts ? ts.toInstant().toString()
                : time instanceof OffsetDateTime o ? o.toInstant().toString() : time.toString();
    }

    private static ObjectNode event(GovernanceRequest r, GovernanceResult result) {
        ObjectNode e = JSON.createObjectNode();
        e.put("Id", result.id());
        e.put("CreationTime", TIME.format(result.requestedAt()));
        e.put("Operation", operation(r.action()));
        e.put("Workload", r.action() == GovernanceAction.REMOVE_SHARING ? "OneDrive/SharePoint" : "AzureActiveDirectory");
        e.put("OrganizationId", r.tenant().tenantId());
        e.put("UserId", clean(r.requestedBy()));
        e.put("ObjectId", clean(r.target()));
        e.put("Action", r.action().key());
        e.put("Target", clean(r.target()));
        e.put("DryRun", r.dryRun());
        e.put("Forced", r.force());
        e.put("Outcome", result.outcome());
        e.put("Detail", clean(result.detail()));
        e.put("RequestedBy", clean(r.requestedBy()));
        e.put("Reason", clean(r.reason()));
        if (result.microsoftStatus() != null) {
            e.put("MicrosoftStatus", result.microsoftStatus());
        }
        e.put("MicrosoftAnswer", clean(result.microsoftAnswer()));
        return e;
    }

    /** A caller's text (target, reason) cleaned as every stored text is: a U+0000 must not get the event set aside. */
    private static String clean(String text) {
        return Texts.column(text, Integer.MAX_VALUE);
    }

    static String operation(GovernanceAction a) {
        return switch (a) {
            case SUSPEND_USER -> "SuspendUser";
            case REVOKE_SESSIONS -> "RevokeSignInSessions";
            case REMOVE_SHARING -> "RemoveSharing";
            case CONFIRM_COMPROMISED -> "ConfirmCompromised";
        };
    }

    private void storeEvent(Tenant tenant, ObjectNode event) {
        ContentBlob slice = new ContentBlob(FeedSources.GOVERNANCE_CONTENT, "governance@" + event.path("Id").asText(),
                null, null, null);
        BlobStats stats = new BlobStats(slice);
        store.store(enricher.enrich(new RecordBatch(new BlobContent(tenant, slice, null, null, stats),
                List.of(RecordBatch.RawRecord.of(event.toString(), event)), List.of())));
    }
}
