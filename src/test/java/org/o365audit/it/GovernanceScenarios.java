package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.o365audit.config.GovernanceAction;
import org.o365audit.govern.GovernanceActions;
import org.o365audit.govern.GovernanceResult;
import org.o365audit.simulator.RecordedRequest;
import org.o365audit.simulator.SimulatedDirectory;
import org.o365audit.simulator.SimulatedFiles;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The governance actions end to end (routes/governance-actions.camel.yaml): each request through its direct: route,
 * the simulated tenant's Graph over HTTPS with msal4j, the audit row in governance_action and the event in
 * audit_event. What Graph received is read from the simulator's request log: a dry run sends no write. Subclasses
 * pick the database.
 */
abstract class GovernanceScenarios extends CollectorTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    GovernanceActions actions;

    /** A tenant with these actions enabled (collecting only its apps, which the actions do not need). */
    TestTenant governed(boolean dryRunOnly, GovernanceAction... enabled) {
        TestTenant t = tenant();
        t.props().setContentTypes(List.of());
        t.props().setComponents(List.of("apps"));
        t.props().setGraphUrl(MICROSOFT.graphUrl());
        t.props().getGovernance().setActions(java.util.Arrays.stream(enabled).map(GovernanceAction::key).toList());
        t.props().getGovernance().setDryRunOnly(dryRunOnly);
        start(t);
        return t;
    }

    TestTenant governed(GovernanceAction... enabled) {
        return governed(false, enabled);
    }

    static SimulatedDirectory directory(TestTenant t) {
        return t.sim().graph().directory();
    }

    /** A member of the tenant; returns its object id. */
    static String user(TestTenant t, String upn, boolean synced) {
        String id = UUID.randomUUID().toString();
        directory(t).addUser(id, upn, upn.substring(0, upn.indexOf('@')), "Sales", synced);
        return id;
    }

    GovernanceResult run(TestTenant t, GovernanceAction a, String target, boolean dryRun, boolean force) {
        return actions.run(a, t.props().getName(), target, dryRun, force, "it-test", "case 4711");
    }

    static List<RecordedRequest> writes(TestTenant t) {
        return t.sim().graph().writes();
    }

    Map<String, Object> auditRow(GovernanceResult r) {
        return jdbc.queryForMap("SELECT * FROM governance_action WHERE id = ?", r.id());
    }

    JsonNode event(TestTenant t, GovernanceResult r) throws Exception {
        List<String> raw = jdbc.queryForList("SELECT raw FROM audit_event WHERE tenant_id = ? AND source = 'governance'"
                + " AND id = ?", String.class, t.id(), r.id());
        assertThat(raw).as("governance event %s", r.id()).hasSize(1);
        return JSON.readTree(raw.get(0));
    }

    @Test
    void suspendUserDryRunSaysTheExactChangeAndSendsNoWrite() throws Exception {
        TestTenant t = governed(GovernanceAction.SUSPEND_USER);
        String id = user(t, "megan@contoso.com", false);
        GovernanceResult r = run(t, GovernanceAction.SUSPEND_USER, "megan@contoso.com", true, false);
        assertThat(r.outcome()).isEqualTo("would-change");
        assertThat(r.detail()).startsWith("would PATCH /users/" + id + " accountEnabled true -> false");
        assertThat(writes(t)).isEmpty();
        assertThat(directory(t).accountEnabled(id)).isTrue();
        Map<String, Object> row = auditRow(r);
        assertThat(row.get("dry_run")).isEqualTo(true);
        assertThat(row.get("outcome")).isEqualTo("would-change");
        assertThat(row.get("requested_by")).isEqualTo("it-test");
        assertThat(row.get("reason")).isEqualTo("case 4711");
        assertThat(event(t, r).path("Operation").asText()).isEqualTo("SuspendUser");
    }

    @Test
    void suspendUserDisablesTheAccountAndAuditsRowAndEvent() throws Exception {
        TestTenant t = governed(GovernanceAction.SUSPEND_USER);
        String id = user(t, "adele@contoso.com", false);
        GovernanceResult r = run(t, GovernanceAction.SUSPEND_USER, "adele@contoso.com", false, false);
        assertThat(r.outcome()).as(r.describe()).isEqualTo("done");
        assertThat(r.microsoftStatus()).isEqualTo(204);
        assertThat(writes(t)).extracting(w -> w.method() + " " + w.path())
                .containsExactly("PATCH /graph/v1.0/users/" + id);
        assertThat(directory(t).accountEnabled(id)).isFalse();
        Map<String, Object> row = auditRow(r);
        assertThat(row.get("dry_run")).isEqualTo(false);
        assertThat(row.get("outcome")).isEqualTo("done");
        assertThat(row.get("tenant_id")).isEqualTo(t.id());
        assertThat(((Number) row.get("ms_status")).intValue()).isEqualTo(204);
        JsonNode e = event(t, r);
        assertThat(e.path("Operation").asText()).isEqualTo("SuspendUser");
        assertThat(e.path("DryRun").asBoolean()).isFalse();
        assertThat(e.path("Outcome").asText()).isEqualTo("done");
        assertThat(e.path("Target").asText()).isEqualTo("adele@contoso.com");
        assertThat(e.path("RequestedBy").asText()).isEqualTo("it-test");
        assertThat(e.path("Id").asText()).isEqualTo(r.id());

        GovernanceResult again = run(t, GovernanceAction.SUSPEND_USER, id, false, false);
        assertThat(again.outcome()).isEqualTo("already");
        assertThat(again.detail()).contains("already disabled");
        assertThat(writes(t)).hasSize(1);
    }

    @Test
    void suspendIsRefusedOnASyncedAccountUnlessForcedAndThenSaysItWillBeReverted() {
        TestTenant t = governed(GovernanceAction.SUSPEND_USER);
        String id = user(t, "henrietta@contoso.com", true);
        GovernanceResult refused = run(t, GovernanceAction.SUSPEND_USER, "henrietta@contoso.com", false, false);
        assertThat(refused.outcome()).isEqualTo("refused");
        assertThat(refused.detail()).contains("synced from on-premises", "Entra Connect", "reverts a cloud disable",
                "30 min", "Active Directory first", "force");
        assertThat(writes(t)).isEmpty();
        assertThat(auditRow(refused).get("outcome")).isEqualTo("refused");

        GovernanceResult forced = run(t, GovernanceAction.SUSPEND_USER, "henrietta@contoso.com", false, true);
        assertThat(forced.outcome()).isEqualTo("done");
        assertThat(forced.detail()).contains("forced", "enabled again unless it is disabled in Active Directory");
        assertThat(directory(t).accountEnabled(id)).isFalse();
        assertThat(auditRow(forced).get("forced")).isEqualTo(true);
    }

    @Test
    void anActionNotEnabledIsRefusedWithTheKeyToSetAndThePermissionToGrant() throws Exception {
        TestTenant t = governed(GovernanceAction.REVOKE_SESSIONS);
        user(t, "lynne@contoso.com", false);
        GovernanceResult r = run(t, GovernanceAction.SUSPEND_USER, "lynne@contoso.com", false, false);
        assertThat(r.outcome()).isEqualTo("refused");
        assertThat(r.detail()).contains("suspend-user is not enabled for tenant " + t.props().getName(),
                "governance.actions", "User.EnableDisableAccount.All");
        assertThat(t.sim().graph().requests()).noneMatch(q -> q.path().contains("/users/"));
        assertThat(auditRow(r).get("outcome")).isEqualTo("refused");
        assertThat(event(t, r).path("Outcome").asText()).isEqualTo("refused");
    }

    @Test
    void aDryRunOnlyTenantRunsARealRequestAsADryRunAndSaysSo() {
        TestTenant t = governed(true, GovernanceAction.SUSPEND_USER);
        String id = user(t, "miriam@contoso.com", false);
        GovernanceResult r = run(t, GovernanceAction.SUSPEND_USER, "miriam@contoso.com", false, false);
        assertThat(r.outcome()).isEqualTo("would-change");
        assertThat(r.dryRun()).isTrue();
        assertThat(r.detail()).startsWith("Run as a dry run: tenant " + t.props().getName() + " has governance.dry-run-only");
        assertThat(writes(t)).isEmpty();
        assertThat(directory(t).accountEnabled(id)).isTrue();
    }

    @Test
    void aPrivilegedTargetFailsWithTheMeaningOfTheDenial() {
        TestTenant t = governed(GovernanceAction.SUSPEND_USER);
        String id = user(t, "globaladmin@contoso.com", false);
        directory(t).makePrivileged(id);
        GovernanceResult r = run(t, GovernanceAction.SUSPEND_USER, id, false, false);
        assertThat(r.outcome()).isEqualTo("failed");
        assertThat(r.microsoftStatus()).isEqualTo(403);
        assertThat(r.microsoftAnswer()).startsWith("Authorization_RequestDenied");
        assertThat(r.detail()).contains("User.EnableDisableAccount.All", "privileged admin role",
                "Privileged Authentication Administrator");
        assertThat(directory(t).accountEnabled(id)).isTrue();
    }

    @Test
    void anUnknownUserFailsAsNoSuchUserAndThrottlingSaysWhenToRetry() {
        TestTenant t = governed(GovernanceAction.SUSPEND_USER);
        GovernanceResult r = run(t, GovernanceAction.SUSPEND_USER, "nobody@contoso.com", false, false);
        assertThat(r.outcome()).isEqualTo("failed");
        assertThat(r.detail()).startsWith("no such user: nobody@contoso.com");
        assertThat(r.microsoftStatus()).isEqualTo(404);

        user(t, "alex@contoso.com", false);
        t.sim().graph().throttleNext(1, Duration.ofSeconds(120));
        GovernanceResult throttled = run(t, GovernanceAction.SUSPEND_USER, "alex@contoso.com", false, false);
        assertThat(throttled.outcome()).isEqualTo("failed");
        assertThat(throttled.detail()).contains("throttled by Microsoft Graph", "nothing was done", "retry after 1");
        assertThat(writes(t)).isEmpty();
    }

    @Test
    void revokeSessionsDryRunThenReal() throws Exception {
        TestTenant t = governed(GovernanceAction.REVOKE_SESSIONS);
        String id = user(t, "matt@contoso.com", false);
        GovernanceResult dry = run(t, GovernanceAction.REVOKE_SESSIONS, "matt@contoso.com", true, false);
        assertThat(dry.outcome()).isEqualTo("would-change");
        assertThat(dry.detail()).startsWith("would POST /users/" + id + "/revokeSignInSessions");
        assertThat(writes(t)).isEmpty();

        GovernanceResult r = run(t, GovernanceAction.REVOKE_SESSIONS, "matt@contoso.com", false, false);
        assertThat(r.outcome()).isEqualTo("done");
        assertThat(r.detail()).contains("access tokens already issued stay valid", "up to 1 h");
        assertThat(directory(t).sessionsRevoked(id)).isEqualTo(1);
        assertThat(writes(t)).extracting(RecordedRequest::path).containsExactly("/graph/v1.0/users/" + id + "/revokeSignInSessions");
        assertThat(event(t, r).path("Operation").asText()).isEqualTo("RevokeSignInSessions");
    }

    @Test
    void confirmCompromisedDryRunRealAndAlready() throws Exception {
        TestTenant t = governed(GovernanceAction.CONFIRM_COMPROMISED);
        String id = user(t, "stinger@contoso.com", false);
        GovernanceResult dry = run(t, GovernanceAction.CONFIRM_COMPROMISED, "stinger@contoso.com", true, false);
        assertThat(dry.outcome()).as(dry.describe()).isEqualTo("would-change");
        assertThat(writes(t)).isEmpty();

        GovernanceResult r = run(t, GovernanceAction.CONFIRM_COMPROMISED, "stinger@contoso.com", false, false);
        assertThat(r.outcome()).as(r.describe()).isEqualTo("done");
        assertThat(t.sim().graph().riskyUsers().state(id)).isEqualTo("confirmedCompromised");
        assertThat(event(t, r).path("Operation").asText()).isEqualTo("ConfirmCompromised");

        GovernanceResult again = run(t, GovernanceAction.CONFIRM_COMPROMISED, id, false, false);
        assertThat(again.outcome()).isEqualTo("already");
        assertThat(writes(t)).hasSize(1);
    }

    @Test
    void removeSharingDeletesAnonymousLinksAndExternalGrantsOnly() throws Exception {
        TestTenant t = governed(GovernanceAction.REMOVE_SHARING);
        SimulatedFiles files = t.sim().graph().files();
        SimulatedFiles.Drive drive = files.addLibrary("https://contoso.sharepoint.com/sites/Finance", "Shared Documents");
        SimulatedFiles.Item item = files.addFile(drive, "", "Budget.xlsx", 2048,
                SimulatedFiles.Identity.of("adele@contoso.com", "Adele Vance"), Instant.parse("2026-11-02T10:00:00Z"));
        String anonymous = files.shareAnonymously(item, "edit");
        String organization = files.shareWithOrganization(item, "view");
        String guest = files.grant(item, SimulatedFiles.Identity.of("pat@fabrikam.com", "Pat"), "read");
        String colleague = files.grant(item, SimulatedFiles.Identity.of("megan@contoso.com", "Megan"), "write");

        GovernanceResult dry = run(t, GovernanceAction.REMOVE_SHARING, item.webUrl(), true, false);
        assertThat(dry.outcome()).as(dry.describe()).isEqualTo("would-change");
        String path = "/drives/" + drive.id() + "/items/" + item.id() + "/permissions/";
        assertThat(dry.detail()).contains("would DELETE " + path + anonymous, path + guest, "pat@fabrikam.com")
                .doesNotContain(organization, colleague);
        assertThat(writes(t)).isEmpty();

        GovernanceResult r = run(t, GovernanceAction.REMOVE_SHARING, "drives/" + drive.id() + "/items/" + item.id(), false, false);
        assertThat(r.outcome()).as(r.describe()).isEqualTo("done");
        assertThat(r.detail()).contains("removed 2 of 2", "no anonymous link or external grant is left");
        assertThat(writes(t)).extracting(w -> w.method() + " " + w.path()).containsExactlyInAnyOrder(
                "DELETE /graph/v1.0" + path + anonymous, "DELETE /graph/v1.0" + path + guest);
        assertThat(files.permissions(drive.id(), item.id())).extracting(SimulatedFiles.Permission::id)
                .contains(organization, colleague).doesNotContain(anonymous, guest);
        assertThat(event(t, r).path("Operation").asText()).isEqualTo("RemoveSharing");

        GovernanceResult again = run(t, GovernanceAction.REMOVE_SHARING, item.webUrl(), false, false);
        assertThat(again.outcome()).isEqualTo("nothing-to-do");
        assertThat(writes(t)).hasSize(2);
    }
}
