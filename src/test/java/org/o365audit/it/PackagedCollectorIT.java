package org.o365audit.it;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.o365audit.simulator.SimBlob;
import org.o365audit.simulator.SimulatedTenant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.o365audit.simulator.ManagementApiSimulator;
import org.o365audit.simulator.TestTls;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Base of the tests that run the packaged collector as a child process against the simulated Microsoft
 * endpoints (kept in this JVM, so they outlive a killed collector) and a PostgreSQL schema of their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PackagedCollectorIT {
    ManagementApiSimulator microsoft;
    JdbcTemplate db;

    abstract String schema();

    @BeforeAll
    void startMicrosoftAndEmptySchema() {
        Postgres.dropSchema(schema());
        microsoft = ManagementApiSimulator.start(0, Clock.systemUTC(), TestTls.LOCALHOST);
        db = new JdbcTemplate(new DriverManagerDataSource(Postgres.URL + "?currentSchema=" + schema(), "postgres", ""));
    }

    @AfterAll
    void stopMicrosoft() {
        microsoft.close();
    }

    /** Command-line arguments for one tenant on the simulator; the secret comes from ${secretVariable}. */
    List<String> tenantArgs(String name, String tenantId, String clientId, String secretVariable, String contentType) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + Postgres.URL + "?currentSchema=" + schema(),
                "--spring.datasource.username=postgres",
                "--spring.flyway.schemas=" + schema(),
                "--spring.flyway.create-schemas=true",
                "--o365.sinks.archive.enabled=false",
                "--o365.tenants[0].name=" + name,
                "--o365.tenants[0].tenant-id=" + tenantId,
                "--o365.tenants[0].client-id=" + clientId,
                "--o365.tenants[0].client-secret=${" + secretVariable + "}",
                "--o365.tenants[0].api-url=" + microsoft.baseUrl(),
                "--o365.tenants[0].login-url=" + microsoft.baseUrl(),
                "--o365.tenants[0].content-types=" + contentType));
        return args;
    }

    /** A tenant on the simulator, its app's secret, and the Ids of the Exchange records its blobs hold. */
    record Backfill(String tenantId, String clientId, String secret, SimulatedTenant sim, Set<String> ids) {
    }

    /**
     * A new tenant on the simulator with {@code blobs} Exchange blobs of {@code perBlob} records each, the first
     * created 20 hours ago and each next one {@code spacingSeconds} later; its listings come {@code pageSize} blobs
     * a page.
     */
    Backfill backfill(String label, int blobs, int perBlob, int pageSize, long spacingSeconds) {
        String tenantId = UUID.randomUUID().toString();
        String clientId = UUID.randomUUID().toString();
        String secret = UUID.randomUUID().toString();
        SimulatedTenant sim = microsoft.tenant(tenantId);
        sim.registerSecret(clientId, secret);
        sim.pageSize(pageSize);
        Set<String> ids = new HashSet<>();
        Instant base = Instant.now().minus(Duration.ofHours(20)).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < blobs; i++) {
            Instant created = base.plusSeconds(spacingSeconds * i);
            List<String> records = TestRecords.records(perBlob, tenantId, created);
            records.forEach(r -> ids.add(r.substring(r.indexOf("\"Id\":\"") + 6, r.indexOf("\"Id\":\"") + 42)));
            sim.addBlob(SimBlob.ofRecords("Audit.Exchange", TestRecords.contentId(label, i), created, created, records));
        }
        return new Backfill(tenantId, clientId, secret, sim, ids);
    }

    /** COUNT(*) of a query, 0 while the collector has not created the schema yet. */
    int count(String fromWhere) {
        try {
            return db.queryForObject("SELECT COUNT(*) FROM " + fromWhere, Integer.class);
        } catch (RuntimeException notYetMigrated) {
            return 0;
        }
    }
}
