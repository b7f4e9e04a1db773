package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.o365audit.ops.CollectorStatus;
import org.o365audit.simulator.RecordedRequest;
import org.o365audit.simulator.SimulatedDirectory;
import org.o365audit.simulator.SimulatedDirectory.GroupKind;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The accounts component end to end (routes/directory-sync.camel.yaml): users, groups and membership from the
 * simulated Graph's users/delta and groups/delta into directory_user, directory_group and directory_member, kept by
 * the stored delta links. Subclasses pick the database.
 */
@TestPropertySource(properties = "o365.graph.accounts-interval=1s")
abstract class AccountsScenarios extends CollectorTestBase {
    @Autowired
    CollectorStatus status;

    /** A tenant with only the accounts component, its Graph on the simulator. */
    TestTenant accountsTenant() {
        TestTenant t = tenant();
        t.props().setContentTypes(List.of());
        t.props().setComponents(List.of("accounts"));
        t.props().setGraphUrl(MICROSOFT.graphUrl());
        return t;
    }

    /**
     * Seven users (u1..u7, u3 synced from on-premises AD, u7 a guest) and five groups, one of each kind and a
     * dynamic Microsoft 365 group; g-sales has all seven users, more than one page entry holds.
     */
    static void contoso(SimulatedDirectory d) {
        for (int i = 1; i <= 7; i++) {
            String upn = i == 7 ? "partner_fabrikam.com#EXT#@contoso.onmicrosoft.com" : "User" + i + "@Contoso.com";
            d.addUser("u" + i, upn, "User " + i, i % 2 == 0 ? "Sales" : "Finance", i == 3);
        }
        d.addGroup("g-sales", "Sales", GroupKind.MICROSOFT365);
        d.addGroup("g-admins", "Admins", GroupKind.SECURITY);
        d.addGroup("g-news", "Newsletter", GroupKind.DISTRIBUTION);
        d.addGroup("g-mailsec", "Finance Mail", GroupKind.MAIL_ENABLED_SECURITY);
        d.addGroup("g-dyn", "All Finance", GroupKind.MICROSOFT365);
        d.makeDynamic("g-dyn");
        for (int i = 1; i <= 7; i++) {
            d.addMember("g-sales", "u" + i);
        }
        d.addMember("g-admins", "u1");
        d.addMember("g-admins", "u2");
        d.addMember("g-news", "u4");
        d.addMember("g-dyn", "u3");
    }

    static final int MEMBERSHIPS = 11;

    int users(TestTenant t) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM directory_user WHERE tenant_id = ?", Integer.class, t.id());
    }

    int groups(TestTenant t) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM directory_group WHERE tenant_id = ?", Integer.class, t.id());
    }

    List<String> members(TestTenant t, String groupId) {
        return jdbc.queryForList("SELECT member_id FROM directory_member WHERE tenant_id = ? AND group_id = ? ORDER BY "
                + "member_id", String.class, t.id(), groupId);
    }

    int memberships(TestTenant t) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM directory_member WHERE tenant_id = ?", Integer.class, t.id());
    }

    /** Both resources have reached a deltaLink at least once. */
    boolean synced(TestTenant t) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM graph_delta WHERE tenant_id = ? AND full_read = FALSE",
                Integer.class, t.id()) == 2;
    }

    static List<RecordedRequest> deltaCalls(TestTenant t, String resource) {
        return t.sim().graph().requests().stream().filter(r -> r.path().endsWith("/" + resource + "/delta")).toList();
    }

    /** First calls of a full read: no skip or delta token. */
    static long fullReads(TestTenant t, String resource) {
        return deltaCalls(t, resource).stream().filter(r -> r.status() == 200 && !r.query().containsKey("$skiptoken")
                && !r.query().containsKey("$deltatoken")).count();
    }

    @Test
    void firstFullSyncStoresUsersGroupsKindsAndMembershipsOverSeveralPages() {
        TestTenant t = accountsTenant();
        SimulatedDirectory d = t.sim().graph().directory();
        d.pageSize(3);
        d.memberSlice(3);
        contoso(d);
        start(t);
        await().atMost(PATIENCE).until(() -> synced(t));
        assertThat(users(t)).isEqualTo(7);
        assertThat(groups(t)).isEqualTo(5);
        assertThat(members(t, "g-sales")).as("merged from the group's repeated entries")
                .containsExactly("u1", "u2", "u3", "u4", "u5", "u6", "u7");
        assertThat(memberships(t)).isEqualTo(MEMBERSHIPS);
        Map<String, Object> u3 = jdbc.queryForMap("SELECT * FROM directory_user WHERE tenant_id = ? AND id = 'u3'", t.id());
        assertThat(u3).containsEntry("upn_lower", "user3@contoso.com").containsEntry("user_principal_name", "User3@Contoso.com")
                .containsEntry("display_name", "User 3").containsEntry("department", "Finance")
                .containsEntry("on_premises_sync", true).containsEntry("account_enabled", true).containsEntry("user_type", "Member");
        assertThat(jdbc.queryForObject("SELECT user_type FROM directory_user WHERE tenant_id = ? AND id = 'u7'", String.class,
                t.id())).isEqualTo("Guest");
        assertThat(jdbc.queryForObject("SELECT on_premises_sync FROM directory_user WHERE tenant_id = ? AND id = 'u1'",
                Boolean.class, t.id())).isNull();
        Map<String, String> kinds = new java.util.TreeMap<>();
        jdbc.query("SELECT id, kind, dynamic FROM directory_group WHERE tenant_id = ?", rs -> {
            kinds.put(rs.getString(1), rs.getString(2) + (rs.getBoolean(3) ? "+dynamic" : ""));
        }, t.id());
        assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of("g-sales", "microsoft365", "g-admins", "security",
                "g-news", "distribution", "g-mailsec", "mail-enabled-security", "g-dyn", "microsoft365+dynamic"));
        assertThat(deltaCalls(t, "users")).filteredOn(r -> r.query().containsKey("$skiptoken")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(deltaCalls(t, "groups")).filteredOn(r -> r.query().containsKey("$skiptoken")).hasSizeGreaterThanOrEqualTo(2);
        RecordedRequest first = deltaCalls(t, "users").get(0);
        assertThat(first.query().get("$select")).contains("userPrincipalName", "department", "onPremisesSyncEnabled");
        assertThat(deltaCalls(t, "groups").get(0).query().get("$select")).contains("groupTypes", "members");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(status.get(t.id(), "accounts").summary())
                .isEqualTo("7 users, 5 groups (2 Microsoft 365), 11 memberships"));
        assertThat(status.get(t.id(), "accounts").lastSuccess()).isNotNull();
    }

    @Test
    void appliesARemovedUserAndARemovedMembershipWithTheStoredDeltaLink() {
        TestTenant t = accountsTenant();
        SimulatedDirectory d = t.sim().graph().directory();
        d.pageSize(4);
        contoso(d);
        start(t);
        await().atMost(PATIENCE).until(() -> synced(t) && memberships(t) == MEMBERSHIPS);
        d.removeUser("u5");
        d.removeMember("g-admins", "u2");
        d.updateUser("u1", "department", "Legal");
        await().atMost(PATIENCE).until(() -> users(t) == 6 && members(t, "g-admins").equals(List.of("u1")));
        assertThat(members(t, "g-sales")).as("the removed user's memberships went with it").doesNotContain("u5");
        assertThat(members(t, "g-sales")).contains("u2");
        await().atMost(PATIENCE).until(() -> "Legal".equals(jdbc.queryForObject(
                "SELECT department FROM directory_user WHERE tenant_id = ? AND id = 'u1'", String.class, t.id())));
        assertThat(deltaCalls(t, "users")).filteredOn(r -> r.query().containsKey("$deltatoken")).isNotEmpty();
        assertThat(deltaCalls(t, "groups")).filteredOn(r -> r.query().containsKey("$deltatoken")).isNotEmpty();
        assertThat(fullReads(t, "users")).as("one full read, then only deltas").isEqualTo(1);
        assertThat(fullReads(t, "groups")).isEqualTo(1);
    }

    @Test
    void recoversFromAnExpiredDeltaLinkByAFullReadWithoutEmptyingTheTables() throws Exception {
        TestTenant t = accountsTenant();
        SimulatedDirectory d = t.sim().graph().directory();
        d.pageSize(2);
        d.memberSlice(2);
        contoso(d);
        start(t);
        await().atMost(PATIENCE).until(() -> synced(t) && memberships(t) == MEMBERSHIPS);
        AtomicInteger fewestUsers = new AtomicInteger(Integer.MAX_VALUE);
        AtomicInteger fewestMemberships = new AtomicInteger(Integer.MAX_VALUE);
        AtomicReference<Boolean> watching = new AtomicReference<>(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                fewestUsers.accumulateAndGet(users(t), Math::min);
                fewestMemberships.accumulateAndGet(memberships(t), Math::min);
            }
        });
        watcher.start();
        try {
            d.answerDelay(Duration.ofMillis(60));
            d.expireDeltaLinks();
            // removed while the link is dead: a full read never mentions them, only the sweep at its end can tell
            d.removeUser("u6");
            d.removeGroup("g-news");
            d.removeMember("g-sales", "u1");
            await().atMost(PATIENCE).until(() -> users(t) == 6 && groups(t) == 4 && !members(t, "g-sales").contains("u1"));
        } finally {
            watching.set(false);
            watcher.join();
        }
        assertThat(deltaCalls(t, "users")).filteredOn(r -> r.status() == 410).isNotEmpty();
        assertThat(deltaCalls(t, "groups")).filteredOn(r -> r.status() == 410).isNotEmpty();
        assertThat(fullReads(t, "users")).isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT round_number FROM graph_delta WHERE tenant_id = ?", Long.class, t.id()))
                .containsOnly(2L);
        assertThat(fewestUsers.get()).as("users were never emptied during the re-read").isGreaterThanOrEqualTo(6);
        assertThat(fewestMemberships.get()).as("memberships were never emptied").isGreaterThanOrEqualTo(MEMBERSHIPS - 3);
        assertThat(members(t, "g-sales")).containsExactly("u2", "u3", "u4", "u5", "u7");
        assertThat(members(t, "g-admins")).containsExactly("u1", "u2");
    }

    @Test
    void throttlingDelaysTheSyncButItCompletes() {
        TestTenant t = accountsTenant();
        SimulatedDirectory d = t.sim().graph().directory();
        contoso(d);
        t.sim().graph().throttleNext(2, Duration.ofSeconds(2));
        start(t);
        await().atMost(PATIENCE).until(() -> synced(t) && memberships(t) == MEMBERSHIPS && users(t) == 7);
        List<RecordedRequest> calls = t.sim().graph().requests();
        assertThat(calls.get(0).status()).isEqualTo(429);
        RecordedRequest firstAnswered = calls.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
        assertThat(Duration.between(calls.get(0).at(), firstAnswered.at())).as("Retry-After: 2 honoured")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(status.get(t.id(), "accounts").throttledCount()).as("the throttled run counted as throttled")
                .isPositive();
        assertThat(status.get(t.id(), "accounts").state().name()).isEqualTo("RUNNING");
    }

    @Test
    void hostileDirectoryEntriesAreCleanedOrLeftOutAloneAndTheRoundCompletes() {
        TestTenant t = accountsTenant();
        SimulatedDirectory d = t.sim().graph().directory();
        contoso(d);
        // a display name PostgreSQL cannot store (U+0000) and far longer than its column, an unpaired surrogate
        d.addUser("u-hostile", "Hostile@Contoso.com", "Eve\u0000" + "x".repeat(3000), "Sales\uD800", false);
        // an id no table can key on
        d.addUser("u-".repeat(40), "Longid@Contoso.com", "Long Id", "Sales", false);
        d.addMember("g-sales", "u-hostile");
        start(t);
        await().atMost(PATIENCE).until(() -> synced(t));
        assertThat(users(t)).as("the contoso users and the hostile one, cleaned; not the one without a usable id")
                .isEqualTo(8);
        Map<String, Object> hostile = jdbc.queryForMap("SELECT display_name, department FROM directory_user"
                + " WHERE tenant_id = ? AND id = 'u-hostile'", t.id());
        assertThat((String) hostile.get("display_name")).startsWith("Eve").doesNotContain("\u0000").hasSizeLessThanOrEqualTo(512);
        assertThat((String) hostile.get("department")).startsWith("Sales").doesNotContain("\uD800");
        assertThat(members(t, "g-sales")).contains("u-hostile").hasSize(8);
    }

    @Test
    void aStoredLinkOnAnotherHostIsNeverCalledAndTheDirectoryIsReadAgain() {
        TestTenant t = accountsTenant();
        contoso(t.sim().graph().directory());
        start(t);
        await().atMost(PATIENCE).until(() -> synced(t));
        long before = fullReads(t, "users");
        // graph-url named another host when these links were stored (the demo's simulator on another port)
        jdbc.update("UPDATE graph_delta SET link = REPLACE(link, 'https://localhost:', 'https://elsewhere.invalid:')"
                + " WHERE tenant_id = ?", t.id());
        await().atMost(PATIENCE).until(() -> fullReads(t, "users") > before && synced(t)
                && jdbc.queryForObject("SELECT COUNT(*) FROM graph_delta WHERE tenant_id = ? AND link LIKE"
                        + " 'https://localhost:%'", Integer.class, t.id()) == 2);
        assertThat(users(t)).isEqualTo(7);
        assertThat(memberships(t)).isEqualTo(MEMBERSHIPS);
    }
}
