package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.management.ObjectName;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.o365audit.config.Tenant;
import org.o365audit.graph.AuditSearchRequests;
import org.o365audit.ops.AuditSearchController;
import org.o365audit.simulator.SimBlob;
import org.o365audit.simulator.SimulatedAuditSearch;
import org.o365audit.store.AuditSearchQuery;
import org.o365audit.store.Gaps;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;

/**
 * The audit search end to end (routes/audit-search.camel.yaml): queries submitted to the simulator's Graph beta audit
 * log query API over HTTPS with msal4j, polled, their records read page by page and stored once in audit_event beside
 * what the Management API delivered; gaps filled, truncated queries split, a restart that polls on instead of
 * submitting again. Subclasses pick the database.
 */
@TestPropertySource(properties = {"o365.audit-search.poll-interval=500ms"})
abstract class AuditSearchScenarios extends CollectorTestBase {
    @Autowired
    Gaps gaps;
    @Autowired
    AuditSearchRequests requests;
    @Autowired
    AuditSearchController controller;
    @Autowired
    MeterRegistry meters;

    /** A tenant with audit search on; its Management API content types as given (none: audit search alone). */
    TestTenant searchTenant(List<String> contentTypes) {
        TestTenant t = tenant();
        t.props().setContentTypes(contentTypes);
        t.props().setAuditSearch(true);
        t.props().setGraphUrl(MICROSOFT.graphUrl());
        return t;
    }

    static SimulatedAuditSearch search(TestTenant t) {
        return t.sim().graph().auditSearch();
    }

    /** n Exchange records spread evenly over [from, to), each also in the tenant's audit log. */
    static List<String> logged(TestTenant t, int n, Instant from, Instant to) {
        List<String> records = new ArrayList<>();
        long step = Duration.between(from, to).getSeconds() / n;
        for (int i = 0; i < n; i++) {
            String r = TestRecords.record(UUID.randomUUID().toString(), t.id(), from.plusSeconds(step * i + 1));
            records.add(r);
            search(t).addRecord(r);
        }
        return records;
    }

    static Instant daysAgo(int d) {
        return Instant.now().minus(Duration.ofDays(d)).truncatedTo(ChronoUnit.SECONDS);
    }

    List<Map<String, Object>> queries(TestTenant t) {
        return jdbc.queryForList("SELECT * FROM audit_search_query WHERE tenant_id = ? ORDER BY created_at, id", t.id());
    }

    String statusOf(String queryId) {
        return jdbc.queryForObject("SELECT status FROM audit_search_query WHERE id = ?", String.class, queryId);
    }

    int bySource(TestTenant t, String source) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE tenant_id = ? AND source = ?", Integer.class,
                t.id(), source);
    }

    @Test
    void aGapOfTenDaysIsClosedWithEveryRecordStoredOnceAlsoThoseTheManagementApiDelivered() {
        TestTenant t = searchTenant(List.of(EXCHANGE));
        Instant gapFrom = daysAgo(16);
        Instant gapTo = daysAgo(6);
        // 35 records only the audit log still has, and 5 that a blob of the Management API also holds
        logged(t, 35, gapFrom, gapTo.minus(Duration.ofDays(1)));
        Instant blobCreated = gapTo.minus(Duration.ofMinutes(30));
        List<String> both = logged(t, 5, blobCreated.minus(Duration.ofMinutes(10)), blobCreated);
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("search-both", 1), blobCreated, blobCreated, both));
        search(t).completeAfterPolls(Integer.MAX_VALUE);
        Tenant tenant = t.props().resolve(0);
        gaps.windowLost(tenant, EXCHANGE, gapFrom, gapTo, "the collector was down longer than the API keeps content");

        start(t);
        await().atMost(PATIENCE).until(() -> bySource(t, "management-api") == 5);
        await().atMost(PATIENCE).until(() -> queries(t).size() == 1 && queries(t).get(0).get("graph_id") != null);
        search(t).completeAfterPolls(1);

        await().atMost(PATIENCE).until(() -> "stored".equals(queries(t).get(0).get("status")));
        assertThat(stored(t)).isEqualTo(40);
        assertThat(bySource(t, "audit-search")).isEqualTo(35);
        assertThat(bySource(t, "management-api")).isEqualTo(5);
        assertThat(queries(t).get(0).get("records_stored")).isEqualTo(35L);
        assertThat(search(t).submissions()).isEqualTo(1);
        Gaps.Gap gap = gaps.of(t.id()).get(0);
        assertThat(gap.filled()).isTrue();
        assertThat(gap.filledBy()).isEqualTo("audit search " + queries(t).get(0).get("id"));
        assertThat(meters.get("o365.audit.search.records").tag("tenant", t.props().getName()).counter().count())
                .isEqualTo(35.0);
        await().atMost(PATIENCE).until(() -> meters.get("o365.audit.search.queries").tag("tenant", t.props().getName())
                .tag("status", "stored").gauge().value() == 1.0);
        // the gap is asked for once: more runs (every 500 ms) submit nothing more
        await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
        assertThat(search(t).submissions()).isEqualTo(1);
        assertThat(queries(t)).hasSize(1);
    }

    @Test
    void aQueryStillRunningAcrossARestartIsPolledOnNotSubmittedAgain() throws Exception {
        TestTenant t = searchTenant(List.of());
        logged(t, 20, daysAgo(20), daysAgo(10));
        search(t).completeAfterPolls(Integer.MAX_VALUE);
        search(t).pageSize(3);
        Tenant tenant = start(t);
        String id = requests.request(t.props().getName(), daysAgo(20), daysAgo(10), AuditSearchQuery.Filters.NONE, "test");
        await().atMost(PATIENCE).until(() -> "running".equals(statusOf(id)));

        // the process goes away with the query running at Microsoft: nothing of it is in memory, all in the table
        routes.stopRoutes(tenant);
        registry.remove(tenant.tenantId());
        String graphId = jdbc.queryForObject("SELECT graph_id FROM audit_search_query WHERE id = ?", String.class, id);
        assertThat(graphId).isNotNull();
        search(t).completeAfterPolls(1);
        Tenant again = t.props().resolve(0);
        registry.add(again);
        routes.startRoutes(again);

        await().atMost(PATIENCE).until(() -> "stored".equals(statusOf(id)));
        assertThat(stored(t)).isEqualTo(20);
        assertThat(search(t).submissions()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT graph_id FROM audit_search_query WHERE id = ?", String.class, id))
                .isEqualTo(graphId);
    }

    @Test
    void aSubmissionWhoseAnswerWasLostIsFoundByItsNameNotSubmittedAgain() throws Exception {
        TestTenant t = searchTenant(List.of());
        logged(t, 6, daysAgo(20), daysAgo(10));
        search(t).completeAfterPolls(Integer.MAX_VALUE);
        Tenant tenant = start(t);
        String id = requests.request(t.props().getName(), daysAgo(20), daysAgo(10), AuditSearchQuery.Filters.NONE, "test");
        await().atMost(PATIENCE).until(() -> "running".equals(statusOf(id)));
        routes.stopRoutes(tenant);
        registry.remove(tenant.tenantId());
        // killed between the POST and the commit of its answer: Microsoft has the query, the table does not know it
        jdbc.update("UPDATE audit_search_query SET graph_id = NULL, status = 'pending', submitted_at = NULL WHERE id = ?", id);
        search(t).completeAfterPolls(1);
        Tenant again = t.props().resolve(0);
        registry.add(again);
        routes.startRoutes(again);

        await().atMost(PATIENCE).until(() -> "stored".equals(statusOf(id)));
        assertThat(stored(t)).isEqualTo(6);
        assertThat(search(t).submissions()).isEqualTo(1);
    }

    @Test
    void aThrottledSubmissionStaysPendingAndIsSentAfterRetryAfter() {
        TestTenant t = searchTenant(List.of());
        logged(t, 2, daysAgo(20), daysAgo(19));
        search(t).maxSubmissions(0);
        start(t);
        String id = requests.request(t.props().getName(), daysAgo(20), daysAgo(19), AuditSearchQuery.Filters.NONE, "test");
        await().atMost(PATIENCE).until(() -> search(t).submissions() >= 1);
        assertThat(statusOf(id)).isEqualTo("pending");
        search(t).maxSubmissions(10);
        await().atMost(PATIENCE).until(() -> "stored".equals(statusOf(id)));
        assertThat(stored(t)).isEqualTo(2);
        // Retry-After (2 s) was honoured: the tenant's Graph calls waited instead of submitting at every run
        assertThat(search(t).submissions()).isLessThanOrEqualTo(3);
    }

    @Test
    void aTruncatedQueryIsSplitInHalvesAndCompleted() {
        TestTenant t = searchTenant(List.of());
        logged(t, 30, daysAgo(30), daysAgo(20));
        search(t).recordLimit(20);
        search(t).pageSize(7);
        start(t);
        String id = requests.request(t.props().getName(), daysAgo(30), daysAgo(20), AuditSearchQuery.Filters.NONE, "test");

        await().atMost(PATIENCE).until(() -> queries(t).stream().filter(q -> "stored".equals(q.get("status"))).count() == 2);
        assertThat(statusOf(id)).isEqualTo("split");
        assertThat(queries(t)).filteredOn(q -> id.equals(q.get("parent_id"))).hasSize(2);
        assertThat(stored(t)).isEqualTo(30);
        assertThat(search(t).submissions()).isEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT SUM(records_stored) FROM audit_search_query WHERE tenant_id = ?", Long.class,
                t.id())).isEqualTo(30L);
    }

    @Test
    void jmxAndRestCreateQueriesWithTheirFilters() throws Exception {
        TestTenant t = searchTenant(List.of());
        logged(t, 3, daysAgo(12), daysAgo(11));
        search(t).addRecord(TestRecords.aadRecord(UUID.randomUUID().toString(), t.id(), daysAgo(12).plusSeconds(90)));
        start(t);
        ObjectName mbean = new ObjectName("o365audit:type=AuditSearch,tenant=" + t.props().getName());
        String id = (String) ManagementFactory.getPlatformMBeanServer().invoke(mbean, "search",
                new Object[] {daysAgo(12).toString(), daysAgo(11).toString(), "", "Exchange", "Set-Mailbox", ""},
                new String[] {String.class.getName(), String.class.getName(), String.class.getName(),
                        String.class.getName(), String.class.getName(), String.class.getName()});
        await().atMost(PATIENCE).until(() -> "stored".equals(statusOf(id)));
        assertThat(stored(t)).isEqualTo(3);
        assertThat(search(t).submitted().get(0).path("operationFilters").toString()).isEqualTo("[\"Set-Mailbox\"]");
        assertThat(search(t).submitted().get(0).path("serviceFilters").toString()).isEqualTo("[\"Exchange\"]");
        assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(mbean, "RecordsStored")).isEqualTo(3L);

        ResponseEntity<Map<String, Object>> accepted = controller.search(t.props().getName(),
                new AuditSearchController.SearchRequest(daysAgo(12), daysAgo(11), null, null, List.of("Add member to role."),
                        null), null);
        assertThat(accepted.getStatusCode().value()).isEqualTo(202);
        String restId = (String) accepted.getBody().get("id");
        await().atMost(PATIENCE).until(() -> "stored".equals(statusOf(restId)));
        assertThat(stored(t)).isEqualTo(4);
        assertThat(controller.search(t.props().getName(), new AuditSearchController.SearchRequest(daysAgo(11),
                daysAgo(12), null, null, null, null), null).getStatusCode().value()).isEqualTo(400);
        assertThat(controller.search("no-such-tenant", new AuditSearchController.SearchRequest(daysAgo(12), daysAgo(11),
                null, null, null, null), null).getStatusCode().value()).isEqualTo(404);
        assertThat(controller.latest(t.props().getName(), 10)).extracting(AuditSearchQuery::id).containsExactly(restId, id);
    }

    @Test
    void aRecordWithoutAuditDataIsSetAsideAloneAndTheOthersAreStored() {
        TestTenant t = searchTenant(List.of());
        logged(t, 4, daysAgo(15), daysAgo(14));
        search(t).addGraphRecord("{\"id\":\"no-data-1\",\"createdDateTime\":\"" + daysAgo(15).plusSeconds(5)
                + "\",\"operation\":\"FileAccessed\"}");
        start(t);
        String id = requests.request(t.props().getName(), daysAgo(15), daysAgo(14), AuditSearchQuery.Filters.NONE, "test");
        await().atMost(PATIENCE).until(() -> "stored".equals(statusOf(id)));
        assertThat(stored(t)).isEqualTo(4);
        assertThat(quarantineReasons(t)).hasSize(1);
        assertThat(quarantineReasons(t).get(0)).contains(id).contains("no-data-1").contains("no auditData");
    }

    @Test
    void aQueryRefusedForLackOfPermissionFailsNamingThePermission() {
        TestTenant t = searchTenant(List.of());
        t.sim().graph().deny("security");
        start(t);
        String id = requests.request(t.props().getName(), daysAgo(15), daysAgo(14), AuditSearchQuery.Filters.NONE, "test");
        await().atMost(PATIENCE).until(() -> "failed".equals(statusOf(id)));
        assertThat(jdbc.queryForObject("SELECT detail FROM audit_search_query WHERE id = ?", String.class, id))
                .contains("AuditLogsQuery.Read.All").contains("403");
    }
}
