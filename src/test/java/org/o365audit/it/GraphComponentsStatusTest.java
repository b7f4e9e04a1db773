package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.o365audit.ops.StatusController;
import org.o365audit.ops.TenantHealth;
import org.o365audit.simulator.SimSignIn;
import org.o365audit.simulator.SimulatedApps;
import org.o365audit.simulator.SimulatedDirectory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Status;
import org.springframework.test.context.TestPropertySource;

/**
 * Each Graph component has a status of its own on the connected-tenants page (/api/status), in its MBean and in
 * readiness: when Microsoft Graph refuses one for a permission the app was not granted, that component says which
 * permission to grant, the tenant's other components and its activities go on, readiness stays up, and granting the
 * permission brings the component back on its next run.
 */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:graph-status;DB_CLOSE_DELAY=-1",
        "o365.graph.accounts-interval=1s", "o365.graph.apps-interval=1s", "o365.graph.signins-interval=1s"})
class GraphComponentsStatusTest extends CollectorTestBase {
    static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    @Autowired
    StatusController statusPage;
    @Autowired
    TenantHealth readiness;

    @Test
    void aMissingPermissionShowsWhatToGrantAndTheOtherComponentsKeepRunning() throws Exception {
        TestTenant t = tenant();
        t.props().setComponents(List.of("activities", "accounts", "apps", "signins"));
        t.props().setGraphUrl(MICROSOFT.graphUrl());
        SimulatedDirectory d = t.sim().graph().directory();
        d.addUser("u1", "megan@contoso.com", "Megan Bowen", "Marketing", false);
        d.addGroup("g1", "Marketing", SimulatedDirectory.GroupKind.MICROSOFT365);
        d.addMember("g1", "u1");
        SimulatedApps apps = t.sim().graph().apps();
        apps.grantApplication(apps.addApp("Fabrikam Sync", "3f2a9c1e-5b6d-4e7f-8a9b-0c1d2e3f4a5b", "Fabrikam", null),
                apps.graphId(), apps.graphRole("Mail.Read"));
        t.sim().graph().signIns().add(SimSignIn.browser("s1", minutesAgo(30), "megan@contoso.com"));
        // the app was not granted the permission to list service principals
        t.sim().graph().deny("servicePrincipals");
        for (int i = 0; i < 3; i++) {
            t.sim().addBlob(blob(t, "graph-status", i, minutesAgo(60 - i), 4));
        }
        start(t);

        await().atMost(PATIENCE).untilAsserted(() -> {
            Map<String, Object> apps1 = component(t, "apps");
            assertThat(apps1).containsEntry("kind", "graph").containsEntry("state", "error")
                    .containsEntry("status", "error").containsEntry("errorCode", "permission");
            assertThat((String) apps1.get("message")).contains("grant the app registration the application permission(s)"
                    + " Application.Read.All, Directory.Read.All").contains("The other components go on");
            assertThat(component(t, "accounts")).containsEntry("state", "running")
                    .containsEntry("summary", "1 users, 1 groups (1 Microsoft 365), 1 memberships");
            assertThat(component(t, "signins")).containsEntry("state", "running");
            assertThat(stored(t)).as("the activities and the sign-in are stored").isEqualTo(3 * 4 + 1);
        });
        assertThat(component(t, "Audit.Exchange")).containsEntry("status", "healthy");
        assertThat(tenantOnPage(t).get("componentsOff")).asList().extracting("name").containsExactly("files");
        assertThat(tenantOnPage(t).get("governance")).as("no governance action unless configured")
                .isEqualTo(Map.of("actions", List.of(), "dryRunOnly", false));

        ObjectName mbean = new ObjectName("o365audit:type=Component,tenant=" + t.props().getName() + ",name=apps");
        assertThat(JMX.getAttribute(mbean, "ErrorCode")).isEqualTo("permission");
        assertThat((String) JMX.getAttribute(mbean, "Permissions")).isEqualTo("Application.Read.All, Directory.Read.All");

        var health = readiness.health();
        assertThat(health.getStatus()).as("a refused Graph component does not take the collector out of readiness")
                .isEqualTo(Status.UP);
        assertThat(health.getDetails().get(t.props().getName())).asString().contains("apps=permission: ")
                .contains("accounts=healthy");

        // the permission is granted: the next run brings the component back
        t.sim().graph().allow("servicePrincipals");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(component(t, "apps"))
                .containsEntry("state", "running").containsEntry("errorCode", null)
                .containsEntry("summary", "1 apps (1 unverified publishers), 1 grants"));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> tenantOnPage(TestTenant t) {
        return ((List<Map<String, Object>>) statusPage.status().get("tenants")).stream()
                .filter(m -> m.get("tenantId").equals(t.id())).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> component(TestTenant t, String name) {
        return ((List<Map<String, Object>>) tenantOnPage(t).get("components")).stream()
                .filter(c -> c.get("name").equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no component " + name + " on the page"));
    }
}
