package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.o365audit.simulator.RecordedRequest;
import org.o365audit.simulator.SimulatedDirectory;
import org.o365audit.simulator.SimulatedTenant;

/**
 * The packaged collector's accounts component killed with SIGKILL and started again, on PostgreSQL: it goes on from
 * the delta link stored with the last page it applied, never reading the directory again from the start.
 */
class AccountsRestartIT extends PackagedCollectorIT {
    @Override
    String schema() {
        return "o365_accounts_it";
    }

    @Test
    void appliesRemovalsWithTheStoredDeltaLinkAfterKill() throws Exception {
        Run run = new Run("accounts-restart");
        SimulatedDirectory d = run.sim.graph().directory();
        d.pageSize(3);
        AccountsScenarios.contoso(d);
        Process first = run.start();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> run.synced() && count(run.where("directory_member")) == AccountsScenarios.MEMBERSHIPS);
        } finally {
            first.destroyForcibly();
            first.waitFor();
        }
        int before = run.sim.graph().requests().size();
        d.removeUser("u5");
        d.removeMember("g-admins", "u2");
        Process second = run.start();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> count(run.where("directory_user")) == 6 && count(run.where("directory_member")
                            + " AND group_id = 'g-admins'") == 1);
        } finally {
            second.destroy();
            second.waitFor();
        }
        List<RecordedRequest> after = run.sim.graph().requests().subList(before, run.sim.graph().requests().size());
        assertThat(after).filteredOn(r -> r.path().endsWith("/users/delta")).first()
                .satisfies(r -> assertThat(r.query()).containsKey("$deltatoken"));
        assertThat(after).filteredOn(r -> r.path().endsWith("/groups/delta")).first()
                .satisfies(r -> assertThat(r.query()).containsKey("$deltatoken"));
        assertThat(after).as("no full re-read after the restart").filteredOn(r -> r.path().endsWith("/delta"))
                .isNotEmpty().allSatisfy(r -> assertThat(r.query().keySet()).containsAnyOf("$deltatoken", "$skiptoken"));
        assertThat(count(run.where("directory_member") + " AND member_id = 'u5'")).isZero();
        assertThat(Files.readString(run.log)).doesNotContain(run.secret);
    }

    @Test
    void continuesAFullReadFromTheStoredNextLinkAfterKill() throws Exception {
        Run run = new Run("accounts-midround");
        SimulatedDirectory d = run.sim.graph().directory();
        int users = 400;
        for (int i = 0; i < users; i++) {
            d.addUser("m" + i, "member" + i + "@contoso.com", "Member " + i, "Ops", false);
        }
        d.pageSize(4);
        d.answerDelay(Duration.ofMillis(40));
        Process first = run.start();
        String linkAtKill;
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                    .until(() -> count(run.where("directory_user")) >= 40);
        } finally {
            first.destroyForcibly();
            first.waitFor();
        }
        int atKill = count(run.where("directory_user"));
        linkAtKill = db.queryForObject("SELECT link FROM graph_delta WHERE tenant_id = ? AND resource = 'users' AND "
                + "full_read = TRUE", String.class, run.tenantId);
        assertThat(atKill).as("killed in the middle of the first full read").isBetween(1, users - 1);
        assertThat(linkAtKill).contains("$skiptoken=");
        int before = run.sim.graph().requests().size();
        d.answerDelay(Duration.ZERO);
        Process second = run.start();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> count(run.where("directory_user")) == users && run.synced());
        } finally {
            second.destroy();
            second.waitFor();
        }
        List<RecordedRequest> after = run.sim.graph().requests().subList(before, run.sim.graph().requests().size());
        RecordedRequest resumed = after.stream().filter(r -> r.path().endsWith("/users/delta")).findFirst().orElseThrow();
        assertThat(linkAtKill).endsWith("$skiptoken=" + resumed.query().get("$skiptoken"));
        assertThat(run.sim.graph().requests()).as("one full read of users, continued, never started again")
                .filteredOn(r -> r.path().endsWith("/users/delta") && r.query().containsKey("$select")).hasSize(1);
    }

    /** One tenant on the simulator with only the accounts component, and the process arguments to collect it. */
    final class Run {
        final String tenantId = UUID.randomUUID().toString();
        final String clientId = UUID.randomUUID().toString();
        final String secret = UUID.randomUUID().toString();
        final SimulatedTenant sim = microsoft.tenant(tenantId);
        final Path log;
        final List<String> args;

        Run(String name) throws Exception {
            sim.registerSecret(clientId, secret);
            log = Path.of("target", name + ".log");
            Files.deleteIfExists(log);
            args = new ArrayList<>(tenantArgs(name, tenantId, clientId, "ACCOUNTS_TEST_SECRET", "Audit.General"));
            args.addAll(List.of("--o365.tenants[0].components=accounts",
                    "--o365.tenants[0].graph-url=" + microsoft.graphUrl(),
                    "--o365.graph.accounts-interval=2s"));
        }

        Process start() throws Exception {
            return CollectorProcess.start(List.of("-Xmx512m"), args, Map.of("ACCOUNTS_TEST_SECRET", secret), log);
        }

        String where(String table) {
            return table + " WHERE tenant_id = '" + tenantId + "'";
        }

        boolean synced() {
            return count(where("graph_delta") + " AND full_read = FALSE") == 2;
        }
    }
}
