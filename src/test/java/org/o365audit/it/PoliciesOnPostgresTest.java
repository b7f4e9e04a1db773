package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.UUID;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.junit.jupiter.api.Test;
import org.o365audit.config.GovernanceAction;
import org.o365audit.config.TenantProperties;
import org.o365audit.simulator.SimBlob;
import org.o365audit.simulator.SimulatedFiles;
import org.o365audit.sink.SinkMetrics;
import org.o365audit.sink.SinkPositions;
import org.o365audit.sink.SinkRecord;
import org.o365audit.sink.SinkRoutes;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The route sink (routes/route-sink.camel.yaml) handing stored records to a route of the application, on the real
 * PostgreSQL (schema o365_policies), routes/ loaded as in production.
 */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_policies",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_policies",
        "spring.flyway.create-schemas=true",
        "o365.delivery-sequencer-interval=200",
        "o365.sinks.to-route.type=route",
        "o365.sinks.to-route.endpoint=direct:route-sink-test",
        "o365.sinks.to-route.linger-millis=100",
        "o365.sinks.to-route.poll-millis=200",
        // the example policies of routes/, fed as in production, with a window of seconds instead of 10 minutes
        "o365.sinks.policies.type=route",
        "o365.sinks.policies.endpoint=direct:policies",
        "o365.sinks.policies.linger-millis=100",
        "o365.sinks.policies.poll-millis=200",
        "o365.policies.mass-download.threshold=50",
        "o365.policies.mass-download.window=" + PoliciesOnPostgresTest.WINDOW_MILLIS,
        "o365.policies.mass-download.dry-run=false",
        "o365.policies.anonymous-link.site=https://contoso.sharepoint.com/sites/finance"})
@Import(PoliciesOnPostgresTest.Endpoints.class)
class PoliciesOnPostgresTest extends CollectorTestBase {
    /** tenant id|record id of every record the test endpoint took, in the order it took them. */
    static final Queue<String> TAKEN = new ConcurrentLinkedQueue<>();
    /** The same for the sink added while the test runs. */
    static final Queue<String> TAKEN_LATE = new ConcurrentLinkedQueue<>();
    /** While set, the endpoint fails on the record of this tenant that comes after {@link #FAIL_AFTER} of its own. */
    static volatile String failingTenant;
    static final int FAIL_AFTER = 4;
    static final int WINDOW_MILLIS = 3000;
    static final String SHAREPOINT = "Audit.SharePoint";
    static final DateTimeFormatter API_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    static final AtomicInteger FAILURES = new AtomicInteger();
    /** Records that came with a header the route set on the record before. */
    static final AtomicInteger LEAKED = new AtomicInteger();

    static {
        Postgres.dropSchema("o365_policies");
    }

    @Autowired
    CamelContext camel;
    @Autowired
    SinkPositions positions;
    @Autowired
    SinkMetrics metrics;

    @TestConfiguration
    static class Endpoints {
        @Bean
        RouteBuilder routeSinkTestEndpoints() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:route-sink-test").routeId("route-sink-test").process(ex -> {
                        SinkRecord r = ex.getIn().getBody(SinkRecord.class);
                        if (r.getTenantId().equals(failingTenant) && count(TAKEN, r.getTenantId()) == FAIL_AFTER) {
                            FAILURES.incrementAndGet();
                            throw new IllegalStateException("the policy's target is down");
                        }
                        // a policy route sets headers and replaces the body: the next record must not see it
                        if (ex.getIn().getHeader("O365Target") != null) {
                            LEAKED.incrementAndGet();
                        }
                        ex.getIn().setHeader("O365Target", r.getId());
                        ex.getIn().setBody("result");
                        TAKEN.add(r.getTenantId() + "|" + r.getId());
                    });
                    from("direct:route-sink-late").routeId("route-sink-late")
                            .process(ex -> {
                                SinkRecord r = ex.getIn().getBody(SinkRecord.class);
                                TAKEN_LATE.add(r.getTenantId() + "|" + r.getId());
                            });
                }
            };
        }
    }

    @Test
    void everyStoredRecordReachesTheRouteOnceAcrossTwoRunsOfTheSink() throws Exception {
        TestTenant a = tenant();
        List<String> ofA = store(a, "a", 12);
        await().atMost(PATIENCE).until(() -> count(TAKEN, a.id()) == 12);

        camel.getRouteController().stopRoute(SinkRoutes.routeId("to-route"));
        camel.getRouteController().startRoute(SinkRoutes.routeId("to-route"));
        TestTenant b = tenant();
        List<String> ofB = store(b, "b", 9);
        await().atMost(PATIENCE).until(() -> count(TAKEN, b.id()) == 9);

        assertThat(times(a)).as("records of the first run").containsOnlyKeys(ofA).allSatisfy((id, n) -> assertThat(n).isOne());
        assertThat(times(b)).as("records of the second run").containsOnlyKeys(ofB).allSatisfy((id, n) -> assertThat(n).isOne());
        assertThat(takenIds(a)).as("in the order stored").containsExactlyElementsOf(storedInOrder(a));
        assertThat(LEAKED).as("records that saw what the route set on the record before").hasValue(0);
    }

    @Test
    void aRecordTheRouteFailsOnKeepsTheBatchPendingAndGoesAgainWhenTheRouteRecovers() throws Exception {
        TestTenant c = tenant();
        failingTenant = c.id();
        try {
            List<String> ofC = store(c, "c", 10);
            await().atMost(PATIENCE).until(() -> FAILURES.get() >= 2);
            assertThat(count(TAKEN, c.id())).as("records before the failing one").isEqualTo(FAIL_AFTER);
            assertThat(positions.find("to-route").orElseThrow().pendingBatch()).as("the batch waits").isNotNull();

            failingTenant = null;
            await().atMost(PATIENCE).until(() -> count(TAKEN, c.id()) == 10);
            assertThat(times(c)).as("every record once, none lost, none twice").containsOnlyKeys(ofC)
                    .allSatisfy((id, n) -> assertThat(n).isOne());
            await().atMost(PATIENCE).until(() -> positions.find("to-route").orElseThrow().pendingBatch() == null);
        } finally {
            failingTenant = null;
        }
    }

    @Test
    void aNewRouteSinkStartsAfterWhatIsStored() throws Exception {
        TestTenant history = tenant();
        store(history, "history", 6);
        // sequenced and delivered elsewhere: part of the stored history
        await().atMost(PATIENCE).until(() -> count(TAKEN, history.id()) == 6);

        // no start given: a route sink starts latest
        Map<String, String> cfg = Map.of("type", "route", "endpoint", "direct:route-sink-late", "poll-millis", "200",
                "linger-millis", "100");
        TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(camel, SinkRoutes.template(camel, "late", "route"))
                .routeId(SinkRoutes.deliveryRouteId("late")).parameter("name", "late");
        SinkRoutes.parameters(camel, "late", "route", cfg).forEach(builder::parameter);
        builder.add();
        assertThat(SinkRoutes.addDrivers(camel)).containsExactly("late");
        metrics.register("late");
        await().atMost(PATIENCE).until(() -> positions.find("late").isPresent());

        TestTenant next = tenant();
        List<String> ofNext = store(next, "next", 5);
        await().atMost(PATIENCE).until(() -> count(TAKEN_LATE, next.id()) == 5);
        assertThat(TAKEN_LATE).as("what the late sink took").allSatisfy(t -> assertThat(t).doesNotStartWith(history.id()));
        assertThat(times(TAKEN_LATE, next)).containsOnlyKeys(ofNext);
    }

    @Test
    void theExamplePoliciesActOnceOnAFixture() throws Exception {
        String id = UUID.randomUUID().toString();
        TenantProperties p = SimulatedTenants.register(MICROSOFT, id, "t-" + id.substring(0, 8), List.of(SHAREPOINT));
        p.setComponents(List.of("activities"));
        p.setGraphUrl(MICROSOFT.graphUrl());
        p.getGovernance().setActions(List.of(GovernanceAction.REVOKE_SESSIONS.key(), GovernanceAction.REMOVE_SHARING.key()));
        TestTenant t = new TestTenant(id, MICROSOFT.tenant(id), p);
        String mallory = UUID.randomUUID().toString();
        t.sim().graph().directory().addUser(mallory, "mallory@contoso.com", "mallory", "Finance", false);
        t.sim().graph().directory().addUser(UUID.randomUUID().toString(), "alice@contoso.com", "alice", "Finance", false);
        SimulatedFiles files = t.sim().graph().files();
        SimulatedFiles.Item budget = files.addFile(files.addLibrary("https://contoso.sharepoint.com/sites/Finance",
                "Shared Documents"), "", "Budget.xlsx", 2048, SimulatedFiles.Identity.of("bob@contoso.com", "Bob"),
                Instant.now().minusSeconds(86400));
        files.shareAnonymously(budget, "edit");
        SimulatedFiles.Item plan = files.addFile(files.addLibrary("https://contoso.sharepoint.com/sites/finance-archive",
                "Shared Documents"), "", "Plan.docx", 1024, SimulatedFiles.Identity.of("bob@contoso.com", "Bob"),
                Instant.now().minusSeconds(86400));
        files.shareAnonymously(plan, "view");

        Instant created = minutesAgo(20);
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            records.add(sharePoint(t, i % 7 == 0 ? "FileSyncDownloadedFull" : "FileDownloaded", "mallory@contoso.com",
                    "https://contoso.sharepoint.com/sites/Finance/", "Shared Documents/Q" + i + ".xlsx", created.plusSeconds(i * 3L)));
        }
        for (int i = 0; i < 5; i++) {
            records.add(sharePoint(t, "FileDownloaded", "alice@contoso.com", "https://contoso.sharepoint.com/sites/Finance/",
                    "Shared Documents/Q" + i + ".xlsx", created.plusSeconds(i * 5L)));
        }
        records.add(sharePoint(t, "AnonymousLinkCreated", "alice@contoso.com", "https://contoso.sharepoint.com/sites/Finance/",
                "Shared Documents/Budget.xlsx", created.plusSeconds(100)));
        records.add(sharePoint(t, "AnonymousLinkCreated", "alice@contoso.com",
                "https://contoso.sharepoint.com/sites/finance-archive/", "Shared Documents/Plan.docx", created.plusSeconds(101)));
        t.sim().addBlob(SimBlob.ofRecords(SHAREPOINT, TestRecords.contentId("policies-" + id, 1), created, created, records));
        start(t);
        awaitStored(t, records.size());

        await().atMost(PATIENCE).until(() -> actions(t).size() >= 2);
        // the 10 downloads after the 50th, and alice's 5, end by the pause below the threshold: nothing more
        Thread.sleep(WINDOW_MILLIS + 2500);
        assertThat(actions(t)).extracting(r -> r.get("action") + " " + r.get("target") + " dry_run=" + r.get("dry_run")
                        + " " + r.get("outcome") + " by " + r.get("requested_by"))
                .containsExactlyInAnyOrder(
                        "revoke-sessions mallory@contoso.com dry_run=false done by policy:mass-download",
                        "remove-sharing https://contoso.sharepoint.com/sites/Finance/Shared Documents/Budget.xlsx"
                                + " dry_run=true would-change by policy:anonymous-link");
        assertThat(t.sim().graph().writes()).extracting(w -> w.method() + " " + w.path())
                .containsExactly("POST /graph/v1.0/users/" + mallory + "/revokeSignInSessions");
        assertThat(files.permissions(budget.driveId(), budget.id())).as("dry run: the link stays")
                .anySatisfy(perm -> assertThat(perm.link()).isNotNull());
    }

    List<Map<String, Object>> actions(TestTenant t) {
        return jdbc.queryForList("SELECT action, target, dry_run, outcome, requested_by FROM governance_action"
                + " WHERE tenant_id = ?", t.id());
    }

    /** A SharePoint / OneDrive audit record as the Management Activity API serves it. */
    static String sharePoint(TestTenant t, String operation, String user, String siteUrl, String file, Instant at) {
        return "{\"CreationTime\":\"" + API_TIME.format(at) + "\",\"Id\":\"" + UUID.randomUUID()
                + "\",\"Operation\":\"" + operation + "\",\"OrganizationId\":\"" + t.id()
                + "\",\"RecordType\":" + (operation.startsWith("Anonymous") ? 14 : 6)
                + ",\"UserKey\":\"i:0h.f|membership|1003200@live.com\",\"UserType\":0,\"Version\":1,"
                + "\"Workload\":\"SharePoint\",\"ClientIP\":\"203.0.113.9\",\"UserId\":\"" + user
                + "\",\"ObjectId\":\"" + siteUrl + file + "\",\"SiteUrl\":\"" + siteUrl
                + "\",\"SourceRelativeUrl\":\"Shared Documents\",\"SourceFileName\":\""
                + file.substring(file.lastIndexOf('/') + 1) + "\",\"ItemType\":\"File\",\"EventSource\":\"SharePoint\"}";
    }

    /** Stores n records of the tenant (one blob); returns their Ids. */
    List<String> store(TestTenant t, String tag, int n) {
        Instant created = minutesAgo(20);
        List<String> records = TestRecords.records(n, t.id(), created);
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId(tag + "-" + t.id(), 1), created, created, records));
        start(t);
        awaitStored(t, n);
        return jdbc.queryForList("SELECT id FROM audit_event WHERE tenant_id = ?", String.class, t.id());
    }

    List<String> storedInOrder(TestTenant t) {
        return jdbc.queryForList("SELECT id FROM audit_event WHERE tenant_id = ? ORDER BY delivery_epoch, seq",
                String.class, t.id());
    }

    static List<String> takenIds(TestTenant t) {
        return TAKEN.stream().filter(s -> s.startsWith(t.id() + "|")).map(s -> s.substring(t.id().length() + 1)).toList();
    }

    static Map<String, Long> times(TestTenant t) {
        return times(TAKEN, t);
    }

    static Map<String, Long> times(Queue<String> taken, TestTenant t) {
        return taken.stream().filter(s -> s.startsWith(t.id() + "|")).map(s -> s.substring(t.id().length() + 1))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    static long count(Queue<String> taken, String tenantId) {
        return taken.stream().filter(s -> s.startsWith(tenantId + "|")).count();
    }
}
