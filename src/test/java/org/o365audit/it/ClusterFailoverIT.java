package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.o365audit.it.receivers.WebhookReceiver;
import org.o365audit.simulator.SimBlob;
import org.o365audit.simulator.SimulatedTenant;

/**
 * Three packaged collectors in cluster mode on one PostgreSQL share three tenants (two content types each, and
 * Power BI for one), a files sink and a webhook sink. One node is killed with SIGKILL while it runs polls. Every
 * record is stored once and delivered once to each sink, the killed node's jobs run again on the others within
 * o365.cluster.takeover, the Power BI budget holds for the cluster as a whole, and a pause sent to one node stops
 * the tenant on all of them.
 */
class ClusterFailoverIT extends PackagedCollectorIT {
    static final int BLOBS = 150;
    static final int RECORDS_PER_BLOB = 20;
    static final String[] CONTENT_TYPES = {"Audit.Exchange", "Audit.SharePoint"};
    static final int TENANTS = 3;
    static final int POWER_BI_LIMIT = 8;
    static final Duration TAKEOVER = Duration.ofSeconds(10);
    static final Duration POLL = Duration.ofSeconds(2);
    static final String HOOK_SECRET = "whsec_Y2x1c3Rlci10ZXN0LXNlY3JldA";

    @Override
    String schema() {
        return "o365_cluster_nodes";
    }

    @Test
    void threeNodesShareTenantsAndSurviveTheLossOfOne() throws Exception {
        List<Tenant> tenants = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Map<String, String> env = new LinkedHashMap<>();
        Instant base = Instant.now().minus(Duration.ofHours(40)).truncatedTo(ChronoUnit.SECONDS);
        for (int t = 0; t < TENANTS; t++) {
            Tenant tenant = new Tenant("cluster" + t, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                    UUID.randomUUID().toString());
            tenants.add(tenant);
            env.put("CLUSTER_SECRET_" + t, tenant.secret());
            SimulatedTenant sim = microsoft.tenant(tenant.id());
            sim.registerSecret(tenant.clientId(), tenant.secret());
            sim.pageSize(15);
            for (String ct : CONTENT_TYPES) {
                for (int i = 0; i < BLOBS; i++) {
                    Instant created = base.plusSeconds(900L * i);   // all within the 40 h before now
                    List<String> records = TestRecords.records(RECORDS_PER_BLOB, tenant.id(), created);
                    records.forEach(r -> ids.add(idOf(r)));
                    String contentId = TestRecords.contentId(tenant.name() + ct, i);
                    sim.addBlob(SimBlob.ofRecords(ct, contentId, created, created, records));
                    // as far away as Microsoft: the backfill lasts long enough to kill a node in the middle of it
                    sim.delayBlobFetch(contentId, 1, Duration.ofMillis(300));
                }
            }
        }
        // Power BI on the first tenant: one event per page, more pages than the budget allows in an hour
        SimulatedTenant pbi = microsoft.tenant(tenants.get(0).id());
        pbi.powerBi().pageSize(1);
        pbi.powerBi().hourlyLimit(POWER_BI_LIMIT);
        for (int i = 0; i < 40; i++) {
            Instant at = Instant.now().minus(Duration.ofHours(2 + 3L * i)).truncatedTo(ChronoUnit.SECONDS);
            pbi.powerBi().addEvent(DelayedFeedScenarios.pbiEvent(UUID.randomUUID().toString(), tenants.get(0).id(), at), at);
        }
        env.put("CLUSTER_HOOK_SECRET", HOOK_SECRET);

        Path files = Path.of(SinkFiles.emptyDirectory("cluster-files"));
        try (WebhookReceiver hook = WebhookReceiver.start("/o365", HOOK_SECRET)) {
            List<String> args = args(tenants, files, hook.url());
            Map<String, Node> nodes = new LinkedHashMap<>();
            try {
                for (int n = 1; n <= 3; n++) {
                    nodes.put("node-" + n, Node.start("node-" + n, args, env));
                }
                // kill node-2 while it is running polls, some records stored and delivered
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() ->
                        count("audit_event WHERE source = 'management-api'") > ids.size() / 5
                                && !pollsRunningOn("node-2").isEmpty()
                                && !hook.distinctRecordIds().isEmpty());
                Set<String> running = pollsRunningOn("node-2");
                Instant killedAt = Instant.now();
                nodes.get("node-2").kill();
                int storedAtKill = count("audit_event WHERE source = 'management-api'");
                assertThat(storedAtKill).as("killed mid-run").isLessThan(ids.size());

                // the cluster finds node-2 dead and recovers its jobs (Quartz drops its check-in and its fired
                // triggers), and each poll it was running fires again on a survivor
                await().atMost(TAKEOVER.plusSeconds(1)).pollInterval(Duration.ofMillis(100)).until(() ->
                        count("qrtz_scheduler_state WHERE instance_name = 'node-2'") == 0
                                && count("qrtz_fired_triggers WHERE instance_name = 'node-2'") == 0
                                && running.stream().allMatch(job -> resumedSince(job, killedAt, "node-2")));
                Duration takenOver = Duration.between(killedAt, Instant.now());

                // a pause sent to node-1 stops the tenant on node-3 as well
                Tenant paused = tenants.get(2);
                nodes.get("node-1").invoke("o365audit:type=Tenant,name=" + paused.name(), "pause");
                // polls already under way end (at their next listing page at the latest)
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> pollsRunningOf(paused.id()).isEmpty());
                SimulatedTenant pausedSim = microsoft.tenant(paused.id());
                pausedSim.clearRequests();
                Thread.sleep(POLL.multipliedBy(4).toMillis());
                assertThat(pausedSim.requests()).as("no node polls the paused tenant").isEmpty();
                nodes.get("node-3").invoke("o365audit:type=Tenant,name=" + paused.name(), "resume");

                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                        .until(() -> count("audit_event WHERE source = 'management-api'") >= ids.size()
                                && hook.distinctRecordIds().size() >= ids.size() + storedPowerBi()
                                && filesLines(files, tenants) >= ids.size() + storedPowerBi());
                System.out.printf("CLUSTER: %d records, node-2 killed with %d stored; its %d running polls ran again on"
                        + " a survivor %d ms after the kill (takeover %s)%n", ids.size(), storedAtKill, running.size(),
                        takenOver.toMillis(), TAKEOVER);

                // what is stored reaches both sinks (a Power BI record may just have come in)
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    Set<String> now = new HashSet<>(db.queryForList("SELECT id FROM audit_event", String.class));
                    List<String> lines = new ArrayList<>();
                    tenants.forEach(t -> SinkFiles.lines(files, t.id()).forEach(l -> lines.add(l.path("record").path("Id").asText())));
                    return hook.distinctRecordIds().containsAll(now) && lines.containsAll(now);
                });
                // stored once
                List<String> stored = db.queryForList("SELECT id FROM audit_event WHERE source = 'management-api'",
                        String.class);
                assertThat(stored).hasSize(ids.size()).doesNotHaveDuplicates();
                assertThat(Set.copyOf(stored)).isEqualTo(ids);
                assertThat(count("blob_ledger")).isEqualTo(TENANTS * CONTENT_TYPES.length * BLOBS);
                assertThat(count("quarantine")).isZero();
                // delivered once, to each sink
                Set<String> all = new HashSet<>(db.queryForList("SELECT id FROM audit_event", String.class));
                assertThat(hook.distinctRecordIds()).isEqualTo(all);
                assertThat(hook.duplicateRecordArrivals()).as(hook.duplicates().toString()).isZero();
                assertThat(hook.alteredRedeliveries()).isEmpty();
                assertThat(hook.rejectedSignatures()).isZero();
                List<String> inFiles = new ArrayList<>();
                for (Tenant t : tenants) {
                    SinkFiles.lines(files, t.id()).forEach(l -> inFiles.add(l.path("record").path("Id").asText()));
                }
                assertThat(inFiles).doesNotHaveDuplicates();
                assertThat(Set.copyOf(inFiles)).isEqualTo(all);
                // Power BI: the cluster as a whole stayed within the tenant's hourly budget
                assertThat(pbi.powerBi().requests()).as("Power BI calls").isNotEmpty().allMatch(r -> r.status() == 200);
                assertThat(pbi.powerBi().requestsInLastHour()).isLessThanOrEqualTo(POWER_BI_LIMIT);
                assertThat(storedPowerBi()).isPositive();
                // every survivor did some of the work
                assertThat(nodesThatRan()).contains("node-1", "node-3");
            } finally {
                for (Node n : nodes.values()) {
                    n.stop();
                }
            }
            String logs = "";
            for (int n = 1; n <= 3; n++) {
                logs += Files.readString(Node.log("node-" + n));
            }
            for (Tenant t : tenants) {
                assertThat(logs).doesNotContain(t.secret());
            }
            assertThat(logs).doesNotContain(HOOK_SECRET);
        }
    }

    private List<String> args(List<Tenant> tenants, Path files, String hookUrl) {
        List<String> a = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + Postgres.URL + "?currentSchema=" + schema(),
                "--spring.datasource.username=postgres",
                "--spring.flyway.schemas=" + schema(),
                "--spring.flyway.create-schemas=true",
                "--o365.cluster.enabled=true",
                "--o365.cluster.takeover=" + TAKEOVER.toSeconds() + "s",
                "--o365.poll-interval=" + POLL.toSeconds() + "s",
                "--o365.delayed.poll-interval=" + POLL.toSeconds() + "s",
                "--o365.delayed.powerbi-requests-per-hour=" + POWER_BI_LIMIT,
                "--o365.parallel-blobs=2",
                "--o365.sinks.archive.enabled=false",
                "--o365.sinks.cluster-files.type=files",
                "--o365.sinks.cluster-files.directory=" + files,
                "--o365.sinks.cluster-files.roll-millis=1000",
                "--o365.sinks.cluster-files.batch-size=200",
                "--o365.sinks.hook.type=webhook",
                "--o365.sinks.hook.url=" + hookUrl,
                "--o365.sinks.hook.secret=${CLUSTER_HOOK_SECRET}",
                "--o365.sinks.hook.batch-size=150"));
        for (int i = 0; i < tenants.size(); i++) {
            Tenant t = tenants.get(i);
            String p = "--o365.tenants[" + i + "].";
            a.addAll(List.of(p + "name=" + t.name(), p + "tenant-id=" + t.id(), p + "client-id=" + t.clientId(),
                    p + "client-secret=${CLUSTER_SECRET_" + i + "}", p + "api-url=" + microsoft.baseUrl(),
                    p + "login-url=" + microsoft.baseUrl(), p + "content-types=" + String.join(",", CONTENT_TYPES)));
            if (i == 0) {
                a.addAll(List.of(p + "powerbi.enabled=true", p + "powerbi.api-url=" + microsoft.baseUrl() + "/powerbi"));
            }
        }
        return a;
    }

    /** The poller jobs (one per tenant and content type) the node is executing now, by Quartz job name. */
    private Set<String> pollsRunningOn(String node) {
        try {
            return new HashSet<>(db.queryForList("SELECT job_name FROM qrtz_fired_triggers WHERE instance_name = ?"
                    + " AND state = 'EXECUTING' AND job_group = 'o365'", String.class, node));
        } catch (RuntimeException notYetMigrated) {
            return Set.of();
        }
    }

    /** The jobs of a tenant (polls and delayed feeds) executing on any node now. */
    private Set<String> pollsRunningOf(String tenantId) {
        return new HashSet<>(db.queryForList("SELECT job_name FROM qrtz_fired_triggers WHERE job_name LIKE ?"
                + " AND state = 'EXECUTING'", String.class, tenantId + "%"));
    }

    /**
     * True when the job runs again on a survivor: it is executing there now (the recovery run Quartz fires at once
     * for a job cut short, which holds the job until it ends) or its own trigger fired after {@code since}.
     */
    private boolean resumedSince(String job, Instant since, String dead) {
        if (count("qrtz_fired_triggers WHERE job_name = '" + job + "' AND job_group = 'o365' AND state = 'EXECUTING'"
                + " AND instance_name <> '" + dead + "'") > 0) {
            return true;
        }
        List<Long> fired = db.queryForList("SELECT prev_fire_time FROM qrtz_triggers WHERE job_name = ? AND job_group = 'o365'",
                Long.class, job);
        return !fired.isEmpty() && fired.stream().allMatch(t -> t != null && t > since.toEpochMilli());
    }

    /** The nodes that checked in with the cluster, dead ones removed. */
    private Set<String> nodesThatRan() {
        return new HashSet<>(db.queryForList("SELECT instance_name FROM qrtz_scheduler_state", String.class));
    }

    private int storedPowerBi() {
        return count("audit_event WHERE source = 'powerbi-activity'");
    }

    private static int filesLines(Path files, List<Tenant> tenants) {
        int n = 0;
        for (Tenant t : tenants) {
            n += SinkFiles.lines(files, t.id()).size();
        }
        return n;
    }

    private static String idOf(String record) {
        int at = record.indexOf("\"Id\":\"") + 6;
        return record.substring(at, at + 36);
    }

    record Tenant(String name, String id, String clientId, String secret) {
    }

    /** One collector process, with JMX on a port of its own. */
    static final class Node {
        private final Process process;
        private final int jmxPort;

        private Node(Process process, int jmxPort) {
            this.process = process;
            this.jmxPort = jmxPort;
        }

        static Path log(String name) {
            return Path.of("target", "cluster-" + name + ".log");
        }

        static Node start(String name, List<String> args, Map<String, String> env) throws IOException {
            int jmx = CollectorBenchmark.freePort();
            List<String> all = new ArrayList<>(args);
            all.add("--o365.cluster.node-name=" + name);
            Files.deleteIfExists(log(name));
            Process p = CollectorProcess.start(List.of("-Xmx384m", "-XX:TieredStopAtLevel=1",
                    "-Dcom.sun.management.jmxremote.port=" + jmx, "-Dcom.sun.management.jmxremote.rmi.port=" + jmx,
                    "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false",
                    "-Dcom.sun.management.jmxremote.host=127.0.0.1", "-Djava.rmi.server.hostname=127.0.0.1"),
                    all, new HashMap<>(env), log(name));
            return new Node(p, jmx);
        }

        /** Invokes a no-argument MBean operation, retrying while the node is still starting. */
        void invoke(String objectName, String operation) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(
                        "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi"))) {
                    MBeanServerConnection server = c.getMBeanServerConnection();
                    server.invoke(new ObjectName(objectName), operation, new Object[0], new String[0]);
                    return true;
                }
            });
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();   // SIGKILL: no shutdown hook, transactions and check-ins cut off
            process.waitFor();
        }

        void stop() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                process.waitFor();
            }
        }
    }
}
