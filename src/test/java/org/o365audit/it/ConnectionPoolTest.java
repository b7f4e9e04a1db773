package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.o365audit.Application;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.collect.TenantRoutes;
import org.o365audit.config.Tenant;
import org.o365audit.config.TenantProperties;
import org.o365audit.simulator.ManagementApiSimulator;
import org.o365audit.simulator.SimBlob;
import org.o365audit.simulator.SimulatedTenant;
import org.o365audit.simulator.TestTls;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A database connection is held only for a blob's writes, never across its download: 20 tenants × 5 content
 * types, every blob taking 3 s to download, against a pool of 10 connections that gives up after 1 s. If a
 * connection were held for a download, 16 parallel polls would need 16 connections (time-outs) and hold each
 * for 3 s (Hikari's leak detection, set to 2 s, would report it).
 */
@CamelSpringBootTest
@SpringBootTest(classes = Application.class, webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "o365.simulator.mode=never",
        "o365.poll-interval=2s",
        "o365.initial-backoff=100ms",
        "o365.http-timeout=10s",
        "o365.blob-max-attempts=3",
        "o365.sinks.archive.enabled=false",
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_pool",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_pool",
        "spring.flyway.create-schemas=true",
        "spring.datasource.hikari.maximum-pool-size=10",
        "spring.datasource.hikari.connection-timeout=1000",
        "spring.datasource.hikari.leak-detection-threshold=2000"})
class ConnectionPoolTest {
    static {
        Postgres.dropSchema("o365_pool");
    }

    static final ManagementApiSimulator MICROSOFT = ManagementApiSimulator.start(0, Clock.systemUTC(), TestTls.LOCALHOST);
    static final List<String> CONTENT_TYPES = List.of("Audit.AzureActiveDirectory", "Audit.Exchange", "Audit.SharePoint",
            "Audit.General", "DLP.All");

    @Autowired
    TenantRegistry registry;
    @Autowired
    TenantRoutes routes;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;

    private final List<Tenant> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Tenant t : started) {
            routes.stopRoutes(t);
            registry.remove(t.tenantId());
        }
    }

    @Test
    void twentyTenantsTimesFiveContentTypesShareTenConnectionsWithoutHoldingOneAcrossADownload() {
        AtomicInteger downloading = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        Set<String> ids = new HashSet<>();
        Instant created = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<Tenant> tenants = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String tenantId = UUID.randomUUID().toString();
            TenantProperties p = SimulatedTenants.register(MICROSOFT, tenantId, "pool-" + i, CONTENT_TYPES);
            SimulatedTenant sim = MICROSOFT.tenant(tenantId);
            for (String ct : CONTENT_TYPES) {
                List<String> records = TestRecords.records(10, tenantId, created);
                records.forEach(r -> ids.add(tenantId + "|" + r.substring(r.indexOf("\"Id\":\"") + 6, r.indexOf("\"Id\":\"") + 42)));
                byte[] body = ("[" + String.join(",", records) + "]").getBytes(StandardCharsets.UTF_8);
                sim.addBlob(SimBlob.ofStream(ct, TestRecords.contentId("pool-" + i + "-" + ct, 0), created, created, out -> {
                    mostAtOnce.accumulateAndGet(downloading.incrementAndGet(), Math::max);
                    try {
                        out.write(body, 0, 1);
                        out.flush();
                        Thread.sleep(3000);   // a slow download: the connection must not wait on it
                        out.write(body, 1, body.length - 1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        downloading.decrementAndGet();
                    }
                }));
            }
            tenants.add(p.resolve(i));
        }
        ListAppender<ILoggingEvent> leaks = new ListAppender<>();
        leaks.start();
        ((Logger) LoggerFactory.getLogger("com.zaxxer.hikari")).addAppender(leaks);
        try {
            for (Tenant t : tenants) {
                registry.add(t);
                started.add(t);
                routes.startRoutes(t);
            }
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM blob_ledger", Integer.class) == 100);
        } finally {
            ((Logger) LoggerFactory.getLogger("com.zaxxer.hikari")).detachAppender(leaks);
        }
        List<String> stored = jdbc.queryForList("SELECT tenant_id || '|' || id FROM audit_event", String.class);
        assertThat(stored).hasSize(ids.size()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM blob_attempt", Integer.class)).as("no blob failed").isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM quarantine", Integer.class)).isZero();
        assertThat(mostAtOnce.get()).as("more downloads at once than the pool has connections").isGreaterThan(10);
        assertThat(meters.get("hikaricp.connections.timeout").counter().count()).as("no connection time-out").isZero();
        assertThat(leaks.list).as("no connection held past 2 s (Hikari's leak detection)")
                .noneMatch(e -> e.getFormattedMessage().contains("leak"));
    }
}
