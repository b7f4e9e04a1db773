package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.o365audit.Application;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.collect.TenantRoutes;
import org.o365audit.config.Tenant;
import org.o365audit.config.TenantProperties;
import org.o365audit.ops.CollectorStatus;
import org.o365audit.ops.ComponentStatus;
import org.o365audit.ops.StatusController;
import org.o365audit.simulator.ManagementApiSimulator;
import org.o365audit.simulator.SimBlob;
import org.o365audit.simulator.SimulatedTenant;
import org.o365audit.simulator.TestTls;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two collector nodes in cluster mode (two application contexts, clustered Quartz on one PostgreSQL schema) with
 * the same tenant (its Management API content type and its Power BI feed): a pause made on one node holds on the
 * other, whose polls end at once without a call to
 * Microsoft; the other's status shows it paused (and which node ran the poll, the cluster's nodes, the node in its
 * MBeans and metrics); a resume there collects what came meanwhile.
 */
class ClusterPauseTest {
    static final String SCHEMA = "o365_cluster_pause";
    static final String EXCHANGE = "Audit.Exchange";
    static final ManagementApiSimulator MICROSOFT = ManagementApiSimulator.start(0, Clock.systemUTC(), TestTls.LOCALHOST);

    static ConfigurableApplicationContext nodeA;
    static ConfigurableApplicationContext nodeB;

    @BeforeAll
    static void startNodes() {
        Postgres.dropSchema(SCHEMA);
        // an earlier @CamelSpringBootTest in this JVM may have switched Camel's JMX off for every context to come;
        // the route counters read below need it, as a real node has it
        DefaultCamelContext.setDisableJmx(false);
        // one after the other: the first creates the shared Quartz jobs, as the first node of a cluster does
        nodeA = node("node-a");
        nodeB = node("node-b");
    }

    @AfterAll
    static void stopNodes() {
        if (nodeB != null) {
            nodeB.close();
        }
        if (nodeA != null) {
            nodeA.close();
        }
        MICROSOFT.close();
    }

    @Test
    void aPauseOnOneNodeStopsThePollsOfTheOtherAndAResumeThereCatchesUp() throws Exception {
        String id = UUID.randomUUID().toString();
        TenantProperties props = SimulatedTenants.register(MICROSOFT, id, "c-" + id.substring(0, 8), List.of(EXCHANGE));
        props.getPowerbi().setEnabled(true);
        props.getPowerbi().setApiUrl(MICROSOFT.baseUrl() + "/powerbi");
        SimulatedTenant sim = MICROSOFT.tenant(id);
        Tenant tenant = props.resolve(0);
        for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
            node.getBean(TenantRegistry.class).add(tenant);
            node.getBean(TenantRoutes.class).startRoutes(tenant);
        }
        JdbcTemplate jdbc = nodeA.getBean(JdbcTemplate.class);
        sim.addBlob(blob(id, "before", 3));
        await().atMost(Duration.ofSeconds(40)).until(() -> stored(jdbc, id) == 3 && !sim.powerBi().requests().isEmpty());

        nodeA.getBean(TenantRoutes.class).pause(tenant);
        Thread.sleep(1500); // a poll already past its start on either node finishes
        int requests = sim.requests().size();
        int powerBiRequests = sim.powerBi().requests().size();
        String route = TenantRoutes.routeId(tenant, EXCHANGE);
        long pollsOnB = completed(nodeB, route);
        sim.addBlob(blob(id, "during", 2));

        // polls keep firing on node B (clustered triggers are not paused) and end at their first step
        await().atMost(Duration.ofSeconds(30)).until(() -> completed(nodeB, route) >= pollsOnB + 2);
        assertThat(sim.requests()).hasSize(requests);
        assertThat(sim.powerBi().requests()).hasSize(powerBiRequests);
        assertThat(stored(jdbc, id)).isEqualTo(3);
        ComponentStatus onB = nodeB.getBean(CollectorStatus.class).get(id, EXCHANGE);
        assertThat(onB.state()).isEqualTo(ComponentStatus.State.PAUSED);
        Map<String, Object> status = nodeB.getBean(StatusController.class).status();
        assertThat(status).containsEntry("node", "node-b").containsEntry("clustered", true);
        @SuppressWarnings("unchecked")
        Map<String, Object> t = ((List<Map<String, Object>>) status.get("tenants")).stream()
                .filter(m -> m.get("tenantId").equals(id)).findFirst().orElseThrow();
        assertThat(t).containsEntry("paused", true).containsEntry("status", "paused");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> components = (List<Map<String, Object>>) t.get("components");
        assertThat(components.get(0).get("node")).isIn("node-a", "node-b");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) status.get("nodes");
        assertThat(nodes).extracting(n -> n.get("name")).containsExactly("node-a", "node-b");

        // the node in the MBeans (node B registered last) and on every meter
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName collector = new ObjectName("o365audit:type=Collector");
        assertThat(jmx.getAttribute(collector, "Node")).isEqualTo("node-b");
        assertThat(jmx.getAttribute(collector, "Clustered")).isEqualTo(true);
        ObjectName exchange = new ObjectName("o365audit:type=ContentType,tenant=" + tenant.name() + ",name=" + EXCHANGE);
        assertThat(jmx.getAttribute(exchange, "Node")).isEqualTo("node-b");
        assertThat(jmx.getAttribute(exchange, "Clustered")).isEqualTo(true);
        @SuppressWarnings("unchecked")
        List<String> jobs = (List<String>) jmx.getAttribute(collector, "Jobs");
        assertThat(jobs).anyMatch(j -> j.matches(java.util.regex.Pattern.quote(route) + " on node-[ab] since .+"));
        assertThat(nodeB.getBean(MeterRegistry.class).getMeters()).isNotEmpty()
                .allSatisfy(m -> assertThat(m.getId().getTag("node")).isEqualTo("node-b"));

        // Quartz's connections come on top of the pool's 10 (Hikari's default)
        assertThat(nodeB.getBean(HikariDataSource.class).getMaximumPoolSize()).isEqualTo(14);

        nodeB.getBean(TenantRoutes.class).resume(tenant);
        await().atMost(Duration.ofSeconds(40)).until(() -> stored(jdbc, id) == 5);

        for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
            node.getBean(TenantRoutes.class).stopRoutes(tenant);
            node.getBean(TenantRegistry.class).remove(id);
        }
    }

    @Test
    void aPollUnderWayEndsAtItsNextPageAfterAPauseOnTheOtherNode() throws Exception {
        String id = UUID.randomUUID().toString();
        TenantProperties props = SimulatedTenants.register(MICROSOFT, id, "l-" + id.substring(0, 8), List.of(EXCHANGE));
        SimulatedTenant sim = MICROSOFT.tenant(id);
        sim.pageSize(2);
        Tenant tenant = props.resolve(0);
        Instant created = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
        int blobs = 80;
        for (int i = 0; i < blobs; i++) {
            String contentId = TestRecords.contentId("long" + id.substring(0, 8), i);
            sim.addBlob(SimBlob.ofRecords(EXCHANGE, contentId, created.plusSeconds(i), created.plusSeconds(i),
                    TestRecords.records(2, id, created.plusSeconds(i))));
            sim.delayBlobFetch(contentId, 1, Duration.ofMillis(250));   // one poll takes several seconds
        }
        for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
            node.getBean(TenantRegistry.class).add(tenant);
            node.getBean(TenantRoutes.class).startRoutes(tenant);
        }
        JdbcTemplate jdbc = nodeA.getBean(JdbcTemplate.class);
        await().atMost(Duration.ofSeconds(40)).until(() -> stored(jdbc, id) >= 10);

        // paused through node A while node A or B is in the middle of the poll: it stops at its next page
        nodeA.getBean(TenantRoutes.class).pause(tenant);
        Thread.sleep(3000);
        int requests = sim.requests().size();
        int atPause = stored(jdbc, id);
        Thread.sleep(3000);
        assertThat(sim.requests()).as("no listing or download after the poll under way ended").hasSize(requests);
        assertThat(stored(jdbc, id)).isEqualTo(atPause).isLessThan(2 * blobs);

        nodeB.getBean(TenantRoutes.class).resume(tenant);
        await().atMost(Duration.ofSeconds(60)).until(() -> stored(jdbc, id) == 2 * blobs);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM blob_ledger WHERE tenant_id = ?", Integer.class, id))
                .isEqualTo(blobs);
        for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
            node.getBean(TenantRoutes.class).stopRoutes(tenant);
            node.getBean(TenantRegistry.class).remove(id);
        }
    }

    private static ConfigurableApplicationContext node(String name) {
        return new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE).run(
                "--spring.datasource.url=" + Postgres.URL + "?currentSchema=" + SCHEMA,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                // as @SpringBootTest does: two applications in one JVM would register the same Spring MBeans
                "--spring.jmx.enabled=false",
                "--spring.flyway.schemas=" + SCHEMA,
                "--spring.flyway.create-schemas=true",
                "--o365.simulator.mode=never",
                "--o365.sinks.archive.enabled=false",
                "--o365.poll-interval=1s",
                "--o365.delayed.poll-interval=1s",
                "--o365.http-timeout=4s",
                "--o365.cluster.enabled=true",
                "--o365.cluster.node-name=" + name,
                "--o365.cluster.takeover=10s");
    }

    private static long completed(ConfigurableApplicationContext node, String route) {
        return node.getBean(CamelContext.class).getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
                .getManagedRoute(route).getExchangesCompleted();
    }

    private static int stored(JdbcTemplate jdbc, String tenantId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE tenant_id = ?", Integer.class, tenantId);
    }

    private static SimBlob blob(String tenantId, String tag, int n) {
        Instant created = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS);
        return SimBlob.ofRecords(EXCHANGE, TestRecords.contentId(tag, 0), created, created,
                TestRecords.records(n, tenantId, created));
    }
}
