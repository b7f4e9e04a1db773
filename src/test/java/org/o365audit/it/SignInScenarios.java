package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.o365audit.collect.StsLogonFixture;
import org.o365audit.config.TenantProperties;
import org.o365audit.ops.CollectorStatus;
import org.o365audit.ops.ComponentStatus;
import org.o365audit.simulator.SimBlob;
import org.o365audit.simulator.SimSignIn;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Sign-ins of a tenant, from the Management API's Azure AD logon records and from the Graph sign-in log (component
 * signins), with and without {@code sign-ins: interactive-and-legacy}; subclasses pick the database.
 */
@TestPropertySource(properties = "o365.graph.signins-interval=1s")
abstract class SignInScenarios extends CollectorTestBase {
    static final String AAD = "Audit.AzureActiveDirectory";

    @Autowired
    CollectorStatus status;

    /** Graph sign-ins whose kind is known: ids name what the option keeps. */
    static final SimSignIn BROWSER = signIn("keep-browser", "Browser", true, 0);
    static final SimSignIn WRONG_PASSWORD = signIn("keep-wrong-password", "Browser", true, 50126);
    static final SimSignIn IMAP = signIn("keep-imap", "IMAP4", false, 0);
    static final SimSignIn ACTIVESYNC = signIn("keep-activesync", "Exchange ActiveSync", false, 0);
    static final SimSignIn SMTP = signIn("keep-smtp", "Authenticated SMTP", false, 50126);
    static final SimSignIn REFRESH = signIn("drop-refresh", "Mobile Apps and Desktop clients", false, 0);
    static final SimSignIn BROWSER_SSO = signIn("drop-browser-sso", "browser", false, 0);

    @Test
    void managementApiKeepsOnlyInteractiveAndLegacySignInsWhenAsked() {
        TestTenant t = tenant(List.of("activities"), true);
        start(t);
        t.sim().addBlob(aadBlob("fixture", StsLogonFixture.lines()));
        await().atMost(PATIENCE).until(() -> ledgered(t) == 1);
        assertThat(ids(t)).containsExactlyInAnyOrderElementsOf(StsLogonFixture.INTERACTIVE_AND_LEGACY);
    }

    @Test
    void managementApiKeepsEverySignInByDefault() {
        TestTenant t = tenant(List.of("activities"), false);
        start(t);
        t.sim().addBlob(aadBlob("fixture", StsLogonFixture.lines()));
        await().atMost(PATIENCE).until(() -> ledgered(t) == 1);
        assertThat(ids(t)).containsExactlyInAnyOrderElementsOf(StsLogonFixture.records().keySet());
    }

    @Test
    void graphSignInLogKeepsOnlyInteractiveAndLegacySignInsWhenAsked() {
        TestTenant t = tenant(List.of("signins"), true);
        t.sim().graph().signIns().add(BROWSER, WRONG_PASSWORD, IMAP, ACTIVESYNC, SMTP, REFRESH, BROWSER_SSO);
        start(t);
        await().atMost(PATIENCE).until(() -> succeeded(t));
        assertThat(ids(t)).containsExactlyInAnyOrder("keep-browser", "keep-wrong-password", "keep-imap",
                "keep-activesync", "keep-smtp");
        Map<String, Object> row = jdbc.queryForMap("SELECT source, content_type, app, operation, user_id, client_ip"
                + " FROM audit_event WHERE tenant_id = ? AND id = ?", t.id(), "keep-wrong-password");
        assertThat(row).containsEntry("source", "graph-signins").containsEntry("content_type", "Graph.SignIns")
                .containsEntry("app", "Microsoft Entra ID").containsEntry("operation", "SignInFailed")
                .containsEntry("user_id", "adele@contoso.onmicrosoft.com").containsEntry("client_ip", "203.0.113.7");
        assertThat(status.get(t.id(), "signins").summary()).contains("5 sign-ins stored").contains("2 non-interactive left out");
    }

    @Test
    void graphSignInLogKeepsEverySignInByDefault() {
        TestTenant t = tenant(List.of("signins"), false);
        t.sim().graph().signIns().add(BROWSER, WRONG_PASSWORD, IMAP, ACTIVESYNC, SMTP, REFRESH, BROWSER_SSO);
        start(t);
        await().atMost(PATIENCE).until(() -> succeeded(t));
        assertThat(ids(t)).hasSize(7).contains("drop-refresh", "drop-browser-sso");
    }

    @Test
    void graphSignInLogIsReadPageByPage() {
        TestTenant t = tenant(List.of("signins"), false);
        for (int i = 0; i < 2_345; i++) {
            t.sim().graph().signIns().add(signIn("page-" + i, "Browser", true, 0));
        }
        start(t);
        await().atMost(PATIENCE).until(() -> succeeded(t));
        assertThat(stored(t)).isEqualTo(2_345);
        assertThat(t.sim().graph().requests().stream().filter(r -> r.path().contains("auditLogs/signIns"))
                .filter(r -> r.query().containsKey("$skiptoken")).count()).isEqualTo(2);
    }

    @Test
    void signInInBothSourcesIsStoredOnce() {
        TestTenant t = tenant(List.of("activities", "signins"), true);
        // the Graph log's entry of the browser sign-in of the fixture: the same request id
        t.sim().graph().signIns().add(signIn(StsLogonFixture.BROWSER_SIGN_IN, "Browser", true, 0), BROWSER);
        t.sim().addBlob(aadBlob("both", StsLogonFixture.lines()));
        start(t);
        await().atMost(PATIENCE).until(() -> ledgered(t) == 1 && succeeded(t));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE tenant_id = ? AND id = ?", Integer.class,
                t.id(), StsLogonFixture.BROWSER_SIGN_IN)).isEqualTo(1);
        assertThat(stored(t)).isEqualTo(StsLogonFixture.INTERACTIVE_AND_LEGACY.size() + 1);
    }

    @Test
    void signInThatAppearsLateInTheLogIsCollectedByTheNextRun() {
        TestTenant t = tenant(List.of("signins"), false);
        t.sim().graph().signIns().add(BROWSER);
        start(t);
        await().atMost(PATIENCE).until(() -> succeeded(t) && stored(t) == 1);
        // created three minutes ago, before the end of the window already read, but only in the log now
        t.sim().graph().signIns().add(new SimSignIn("late", minutesAgo(3), "lee@contoso.onmicrosoft.com",
                "Office 365 Exchange Online", "Browser", true, "203.0.113.9", 0, UUID.randomUUID().toString()));
        awaitStored(t, 2);
        assertThat(ids(t)).contains("late");
    }

    @Test
    void withoutLicenceSignInsReportLicenceAndAreAskedOnlyHourlyWhileActivitiesGoOn() {
        TestTenant t = tenant(List.of("activities", "signins"), true);
        t.sim().graph().premium(false);
        t.sim().graph().signIns().add(BROWSER);
        t.sim().addBlob(aadBlob("first", StsLogonFixture.lines()));
        start(t);
        await().atMost(PATIENCE).untilAsserted(() -> {
            ComponentStatus c = status.get(t.id(), "signins");
            assertThat(c.state()).isEqualTo(ComponentStatus.State.ERROR);
            assertThat(c.errorCode()).isEqualTo("licence");
        });
        await().atMost(PATIENCE).until(() -> ledgered(t) == 1);
        // a blob the activities collect only 3 s (three sign-in runs) from now
        Instant later = Instant.now().plusSeconds(3);
        t.sim().addBlob(SimBlob.ofRecords(AAD, "20261125000000002$20261125000000002$audit_aad$later", later, later,
                List.of(StsLogonFixture.records().get(StsLogonFixture.ADD_USER).replace(StsLogonFixture.ADD_USER, "later-1"))));
        await().atMost(PATIENCE).until(() -> ledgered(t) == 2);
        assertThat(ids(t)).contains("later-1").doesNotContain("keep-browser");
        assertThat(t.sim().graph().requests().stream().filter(r -> r.path().contains("auditLogs")).count()).isEqualTo(1);
        assertThat(status.get(t.id(), "signins").errorCode()).isEqualTo("licence");
    }

    TestTenant tenant(List<String> components, boolean interactiveAndLegacy) {
        String id = UUID.randomUUID().toString();
        TenantProperties p = SimulatedTenants.register(MICROSOFT, id, "s-" + id.substring(0, 8), List.of(AAD));
        p.setComponents(components);
        p.setSignIns(interactiveAndLegacy ? "interactive-and-legacy" : "all");
        p.setGraphUrl(MICROSOFT.graphUrl());
        return new TestTenant(id, MICROSOFT.tenant(id), p);
    }

    static SimBlob aadBlob(String tag, List<String> records) {
        Instant created = minutesAgo(20);
        return SimBlob.ofRecords(AAD, "20261125000000001$20261125000000001$audit_aad$" + tag, created, created, records);
    }

    static SimSignIn signIn(String id, String clientApp, boolean interactive, int errorCode) {
        return new SimSignIn(id, minutesAgo(30), "adele@contoso.onmicrosoft.com", "Office 365 Exchange Online", clientApp,
                interactive, "203.0.113.7", errorCode, UUID.randomUUID().toString());
    }

    boolean succeeded(TestTenant t) {
        ComponentStatus c = status.get(t.id(), "signins");
        return c != null && c.lastSuccess() != null;
    }

    Set<String> ids(TestTenant t) {
        return Set.copyOf(jdbc.queryForList("SELECT id FROM audit_event WHERE tenant_id = ?", String.class, t.id()));
    }
}
