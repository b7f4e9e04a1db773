package org.o365audit.it;

import java.time.Clock;
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

    /** COUNT(*) of a query, 0 while the collector has not created the schema yet. */
    int count(String fromWhere) {
        try {
            return db.queryForObject("SELECT COUNT(*) FROM " + fromWhere, Integer.class);
        } catch (RuntimeException notYetMigrated) {
            return 0;
        }
    }
}
