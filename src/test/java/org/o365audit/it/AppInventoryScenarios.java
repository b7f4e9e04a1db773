package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.o365audit.config.Tenant;
import org.o365audit.ops.CollectorStatus;
import org.o365audit.ops.ComponentStatus;
import org.o365audit.simulator.SimulatedApps;
import org.o365audit.simulator.SimulatedApps.Consent;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;

/**
 * The apps component end to end (routes/app-inventory.camel.yaml): the simulated tenant's enterprise apps read over
 * Graph with msal4j, the inventory in app_principal, and its events stored in audit_event and delivered by a files
 * sink, line by line as a log shipper sees them. Subclasses pick the database.
 */
@TestPropertySource(properties = {
        "o365.graph.apps-interval=1s",
        "o365.delivery-sequencer-interval=200",
        "o365.sinks.archive.type=files",
        "o365.sinks.archive.enabled=true",
        "o365.sinks.archive.directory=${test.sinks.dir}/archive",
        "o365.sinks.archive.roll-millis=500",
        "o365.sinks.archive.poll-millis=200"})
abstract class AppInventoryScenarios extends CollectorTestBase {
    static final String FABRIKAM = "9a1f0d2e-1111-4c3b-9d7e-0f5e6a7b8c9d";
    static final String NORTHWIND = "3c2b1a09-2222-4d4e-8f6a-7b8c9d0e1f2a";

    @Value("${test.sinks.dir}")
    Path dir;
    @Autowired
    CollectorStatus status;

    /** A tenant that collects only its third-party apps, from the simulator's Graph. */
    TestTenant appsTenant() {
        TestTenant t = tenant();
        t.props().setContentTypes(List.of());
        t.props().setComponents(List.of("apps"));
        t.props().setGraphUrl(MICROSOFT.graphUrl());
        return t;
    }

    static SimulatedApps apps(TestTenant t) {
        return t.sim().graph().apps();
    }

    /** Lines the files sink wrote for the tenant with this operation. */
    List<JsonNode> sinkLines(TestTenant t, String operation) {
        return sinkLines(t).stream()
                .filter(l -> l.path("record").path("Operation").asText().equals(operation)).toList();
    }

    /** Every line of the tenant; read again when a file moved out of .active/ while the directory was walked. */
    List<JsonNode> sinkLines(TestTenant t) {
        for (int attempt = 1; ; attempt++) {
            try {
                return SinkFiles.lines(dir.resolve("archive"), t.id());
            } catch (java.io.UncheckedIOException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    int events(TestTenant t) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE tenant_id = ? AND source = 'graph-apps'",
                Integer.class, t.id());
    }

    int inventoryRuns(TestTenant t) {
        return (int) t.sim().graph().requests().stream().filter(r -> r.path().endsWith("/v1.0/servicePrincipals")
                && r.status() == 200 && !r.query().containsKey("$skiptoken")).count();
    }

    void awaitBaseline(TestTenant t) {
        await().atMost(PATIENCE).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM app_inventory_state WHERE tenant_id = ?", Integer.class, t.id()) == 1);
    }

    /** Waits for {@code n} more whole inventories than now, each committed (read over Graph and applied). */
    void awaitMoreRuns(TestTenant t, int n) {
        int target = inventoryRuns(t) + n;
        await().atMost(PATIENCE).until(() -> inventoryRuns(t) >= target + 1);
    }

    @Test
    void aNewAppConsentProducesExactlyOneEventInASinkEvenAfterMoreRunsAndARestart() throws Exception {
        TestTenant t = appsTenant();
        String crm = apps(t).addApp("Contoso CRM", FABRIKAM, "Fabrikam", "Fabrikam Inc.");
        apps(t).grantDelegated(crm, apps(t).graphId(), "User.Read", Consent.AllPrincipals);
        Tenant tenant = start(t);
        awaitBaseline(t);

        String notes = apps(t).addApp("Quick Notes", NORTHWIND, "Northwind", null);
        apps(t).grantDelegated(notes, apps(t).graphId(), "Mail.Read Files.Read.All", Consent.Principal);
        await().atMost(PATIENCE).until(() -> sinkLines(t, "AppAccessGranted").size() == 1);
        JsonNode line = sinkLines(t, "AppAccessGranted").get(0);
        assertThat(line.path("source").asText()).isEqualTo("graph-apps");
        assertThat(line.path("contentType").asText()).isEqualTo("Graph.Apps");
        assertThat(line.path("record").path("ObjectId").asText()).isEqualTo(notes);
        assertThat(line.path("record").path("AppDisplayName").asText()).isEqualTo("Quick Notes");
        assertThat(line.path("record").path("PublisherVerified").asBoolean()).isFalse();
        assertThat(line.path("record").path("AddedPermissions").toString()).isEqualTo(
                "[\"delegated Microsoft Graph Files.Read.All Principal\",\"delegated Microsoft Graph Mail.Read Principal\"]");

        awaitMoreRuns(t, 3);
        routes.stopRoutes(tenant);
        routes.startRoutes(tenant);
        awaitMoreRuns(t, 3);
        // the sink has delivered everything stored by now (files roll every 500 ms)
        await().atMost(PATIENCE).until(() -> sinkLines(t).size() == events(t));
        assertThat(sinkLines(t, "AppAccessGranted")).hasSize(1);
        assertThat(sinkLines(t)).hasSize(1);
        assertThat(events(t)).isEqualTo(1);
    }

    @Test
    void aGrownPermissionSetProducesOneAppPermissionsGrew() {
        TestTenant t = appsTenant();
        String crm = apps(t).addApp("Contoso CRM", FABRIKAM, "Fabrikam", "Fabrikam Inc.");
        apps(t).grantDelegated(crm, apps(t).graphId(), "User.Read", Consent.AllPrincipals);
        start(t);
        awaitBaseline(t);

        apps(t).grantApplication(crm, apps(t).graphId(), apps(t).graphRole("Mail.Read"));
        await().atMost(PATIENCE).until(() -> sinkLines(t, "AppPermissionsGrew").size() == 1);
        JsonNode record = sinkLines(t, "AppPermissionsGrew").get(0).path("record");
        assertThat(record.path("AddedPermissions").toString()).isEqualTo("[\"application Microsoft Graph Mail.Read\"]");
        assertThat(record.path("Permissions")).hasSize(2);
        assertThat(record.path("VerifiedPublisher").asText()).isEqualTo("Fabrikam Inc.");
        awaitMoreRuns(t, 3);
        assertThat(events(t)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT permissions FROM app_principal WHERE tenant_id = ? AND id = ?", String.class,
                t.id(), crm)).isEqualTo("application Microsoft Graph Mail.Read\ndelegated Microsoft Graph User.Read AllPrincipals");
    }

    @Test
    void aChangeFoundAgainFromTheSameStoredStateIsTheSameRecord() throws Exception {
        TestTenant t = appsTenant();
        String crm = apps(t).addApp("Contoso CRM", FABRIKAM, "Fabrikam", "Fabrikam Inc.");
        apps(t).grantDelegated(crm, apps(t).graphId(), "User.Read", Consent.AllPrincipals);
        Tenant tenant = start(t);
        awaitBaseline(t);
        Map<String, Object> before = jdbc.queryForMap("SELECT permissions, permissions_changed_at FROM app_principal"
                + " WHERE tenant_id = ? AND id = ?", t.id(), crm);
        apps(t).grantApplication(crm, apps(t).graphId(), apps(t).graphRole("Files.Read.All"));
        await().atMost(PATIENCE).until(() -> events(t) == 1);
        // as a second node, or a run whose inventory update was lost, would see it: the state before the change
        // (the routes stopped meanwhile, so that no run under way writes over it)
        routes.stopRoutes(tenant);
        jdbc.update("UPDATE app_principal SET permissions = ?, permissions_changed_at = ? WHERE tenant_id = ? AND id = ?",
                before.get("permissions"), before.get("permissions_changed_at"), t.id(), crm);
        routes.startRoutes(tenant);
        await().atMost(PATIENCE).until(() -> jdbc.queryForObject("SELECT permissions FROM app_principal WHERE tenant_id = ?"
                + " AND id = ?", String.class, t.id(), crm).startsWith("application"));
        awaitMoreRuns(t, 2);
        await().atMost(PATIENCE).until(() -> sinkLines(t).size() == 1);
        awaitMoreRuns(t, 2);
        assertThat(sinkLines(t, "AppPermissionsGrew")).hasSize(1);
        assertThat(events(t)).isEqualTo(1);
    }

    @Test
    void anUnchangedInventoryProducesNothing() {
        TestTenant t = appsTenant();
        String crm = apps(t).addApp("Contoso CRM", FABRIKAM, "Fabrikam", "Fabrikam Inc.");
        apps(t).grantDelegated(crm, apps(t).graphId(), "User.Read", Consent.AllPrincipals);
        apps(t).grantApplication(crm, apps(t).graphId(), apps(t).graphRole("User.Read.All"));
        start(t);
        awaitBaseline(t);
        awaitMoreRuns(t, 4);
        assertThat(events(t)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM app_principal WHERE tenant_id = ?", Integer.class, t.id()))
                .isEqualTo(1);
    }

    @Test
    void keepsVerifiedAndUnverifiedPublishersAndLeavesMicrosoftsOwnAppsOut() {
        TestTenant t = appsTenant();
        String crm = apps(t).addApp("Contoso CRM", FABRIKAM, "Fabrikam", "Fabrikam Inc.");
        String notes = apps(t).addApp("Quick Notes", NORTHWIND, "Northwind", null);
        apps(t).addApp("Own line-of-business app", t.id(), "Contoso", null);
        apps(t).pageSize(1);   // every list over several pages
        start(t);
        awaitBaseline(t);
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT id, publisher_name, verified_publisher, owner_tenant_id"
                + " FROM app_principal WHERE tenant_id = ? ORDER BY display_name", t.id());
        assertThat(rows).extracting(r -> r.get("id")).containsExactly(crm, notes);
        assertThat(rows.get(0).get("verified_publisher")).isEqualTo("Fabrikam Inc.");
        assertThat(rows.get(1).get("verified_publisher")).isNull();
        assertThat(rows.get(1).get("publisher_name")).isEqualTo("Northwind");
        assertThat(rows.get(1).get("owner_tenant_id")).isEqualTo(NORTHWIND);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(status.get(t.id(), "apps").summary())
                .isEqualTo("2 apps (1 unverified publishers), 0 grants"));
    }

    @Test
    void aRefusedReadChangesNothingAndNamesThePermissionToGrant() {
        TestTenant t = appsTenant();
        apps(t).addApp("Contoso CRM", FABRIKAM, "Fabrikam", "Fabrikam Inc.");
        String notes = apps(t).addApp("Quick Notes", NORTHWIND, "Northwind", null);
        start(t);
        awaitBaseline(t);
        t.sim().graph().deny("oauth2PermissionGrants");
        apps(t).removeApp(notes);
        await().atMost(PATIENCE).untilAsserted(() -> {
            ComponentStatus c = status.get(t.id(), "apps");
            assertThat(c.state()).isEqualTo(ComponentStatus.State.ERROR);
            assertThat(c.errorCode()).isEqualTo("permission");
            assertThat(c.message()).contains("Directory.Read.All");
        });
        awaitMoreRuns(t, 2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM app_principal WHERE tenant_id = ? AND removed_at IS NOT NULL",
                Integer.class, t.id())).isZero();

        t.sim().graph().allow("oauth2PermissionGrants");
        await().atMost(PATIENCE).until(() -> status.get(t.id(), "apps").state() == ComponentStatus.State.RUNNING);
        assertThat(jdbc.queryForObject("SELECT id FROM app_principal WHERE tenant_id = ? AND removed_at IS NOT NULL",
                String.class, t.id())).isEqualTo(notes);
    }

    @Test
    void aRemovedAppGetsRemovedAt() {
        TestTenant t = appsTenant();
        String crm = apps(t).addApp("Contoso CRM", FABRIKAM, "Fabrikam", "Fabrikam Inc.");
        String notes = apps(t).addApp("Quick Notes", NORTHWIND, "Northwind", null);
        start(t);
        awaitBaseline(t);
        apps(t).removeApp(notes);
        await().atMost(PATIENCE).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM app_principal WHERE tenant_id = ?"
                + " AND removed_at IS NOT NULL", Integer.class, t.id()) == 1);
        assertThat(jdbc.queryForObject("SELECT id FROM app_principal WHERE tenant_id = ? AND removed_at IS NOT NULL",
                String.class, t.id())).isEqualTo(notes);
        assertThat(jdbc.queryForObject("SELECT removed_at FROM app_principal WHERE tenant_id = ? AND id = ?",
                java.sql.Timestamp.class, t.id(), crm)).isNull();
    }
}
