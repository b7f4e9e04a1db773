package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterEach;
import org.o365audit.Application;
import org.o365audit.api.ManagementApiClient;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.collect.TenantRoutes;
import org.o365audit.config.Tenant;
import org.o365audit.config.TenantProperties;
import org.o365audit.simulator.ManagementApiSimulator;
import org.o365audit.simulator.RecordedRequest;
import org.o365audit.simulator.SimBlob;
import org.o365audit.simulator.SimulatedTenant;
import org.o365audit.simulator.TestTls;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The collector's behaviours end to end: routes loaded from routes/ as in production, real Quartz
 * timers, real msal4j over HTTPS against the simulated Microsoft endpoints, a real database. Each test
 * uses a tenant of its own, so tests never see each other's rows. Subclasses pick the database.
 */
@CamelSpringBootTest
@SpringBootTest(classes = Application.class, webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "o365.simulator.mode=never",
        "o365.poll-interval=1s",
        "o365.initial-backoff=100ms",
        "o365.batch-size=7",
        "o365.http-timeout=4s",
        "o365.blob-max-attempts=2",
        "o365.sinks.archive.enabled=false",
        "logging.level.org.o365audit=DEBUG"})
abstract class CollectorTestBase {
    static final ManagementApiSimulator MICROSOFT = ManagementApiSimulator.start(0, Clock.systemUTC(), TestTls.LOCALHOST);
    static final Duration PATIENCE = Duration.ofSeconds(40);
    static final String EXCHANGE = "Audit.Exchange";

    @Autowired
    TenantRegistry registry;
    @Autowired
    TenantRoutes routes;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ManagementApiClient api;

    private final List<Tenant> started = new ArrayList<>();

    @AfterEach
    void stopTenants() throws Exception {
        for (Tenant t : started) {
            routes.stopRoutes(t);
            registry.remove(t.tenantId());
        }
        started.clear();
    }

    /** A fresh simulated tenant with a client secret; its subscriptions are not started yet. */
    TestTenant tenant() {
        String id = UUID.randomUUID().toString();
        TenantProperties p = SimulatedTenants.register(MICROSOFT, id, "t-" + id.substring(0, 8), List.of(EXCHANGE));
        return new TestTenant(id, MICROSOFT.tenant(id), p);
    }

    Tenant start(TestTenant t) {
        Tenant resolved = t.props().resolve(0);
        registry.add(resolved);
        started.add(resolved);
        routes.startRoutes(resolved);
        return resolved;
    }

    /** A blob of n fresh records, listed from its creation on. */
    static SimBlob blob(TestTenant t, String tag, int i, Instant created, int n) {
        return SimBlob.ofRecords(EXCHANGE, TestRecords.contentId(tag, i), created, created,
                TestRecords.records(n, t.id(), created));
    }

    int stored(TestTenant t) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE tenant_id = ?", Integer.class, t.id());
    }

    int ledgered(TestTenant t) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM blob_ledger WHERE tenant_id = ?", Integer.class, t.id());
    }

    List<String> quarantineReasons(TestTenant t) {
        return jdbc.queryForList("SELECT reason FROM quarantine WHERE tenant_id = ? ORDER BY qid", String.class, t.id());
    }

    void awaitStored(TestTenant t, int n) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(stored(t)).isEqualTo(n));
    }

    static List<RecordedRequest> apiCalls(TestTenant t, String pathPart) {
        return t.sim().requests().stream().filter(r -> r.path().contains(pathPart)).toList();
    }

    static Instant minutesAgo(long m) {
        return Instant.now().minus(Duration.ofMinutes(m)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    record TestTenant(String id, SimulatedTenant sim, TenantProperties props) {
    }

}
