package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.o365audit.config.Tenant;
import org.o365audit.simulator.SimBlob;
import org.o365audit.store.SqlDialect;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;

/**
 * Records enriched at collection from the directory and app inventory tables (kept by the accounts and apps
 * components, seeded here with SQL): the actor columns filled beside a raw record left as it came. The tenant's
 * Graph sync routes are not started, so nothing but the test writes those tables. Subclasses pick the database.
 */
@TestPropertySource(properties = {
        "o365.directory-check-interval=200ms",
        "o365.delayed.poll-interval=1s",
        "o365.delivery-sequencer-interval=200",
        "o365.sinks.archive.type=files",
        "o365.sinks.archive.enabled=true",
        "o365.sinks.archive.directory=${test.sinks.dir}/archive",
        "o365.sinks.archive.roll-millis=700",
        "o365.sinks.archive.poll-millis=200",
        "o365.sinks.archive.filter=${body.actorDepartment} == 'Retail'"})
abstract class EnrichmentScenarios extends CollectorTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADELE = "1abf30d3-7fe7-4e94-a578-a9d52e7a6e9f";
    private static final String MIRIAM = "cccea98b-92f6-4e15-8e52-452bad586d7c";
    private static final String CRM_SYNC_APP = "5a95e683-08ad-424e-a441-1d1aec52c02c";

    @Autowired
    DataSource dataSource;
    @Value("${test.sinks.dir}")
    String sinksDir;

    private final List<Tenant> collecting = new ArrayList<>();

    @AfterEach
    void stopCollecting() throws Exception {
        for (Tenant t : collecting) {
            routes.stopRoutes(t);
            registry.remove(t.tenantId());
        }
        collecting.clear();
    }

    @Test
    void recordsOfKnownUsersGetTheirDirectoryEntryAndRawStaysAsSent() throws Exception {
        TestTenant t = tenant();
        seedUser(t, ADELE, "Adele@contoso.onmicrosoft.com", "Adele Vance", "Retail", true);
        seedUser(t, MIRIAM, "Miriam@contoso.onmicrosoft.com", "Miriam Graham", "Sales", null);
        seedGroup(t, "g-1", "Retail Team", "microsoft365", ADELE);
        seedGroup(t, "g-2", "All Company", "microsoft365", ADELE, MIRIAM);
        seedGroup(t, "g-3", "VPN users", "security", ADELE);
        Instant at = minutesAgo(30);
        String byUpn = exchangeRecord("ADELE@Contoso.OnMicrosoft.com", "10032002643F6746", null, null, at);
        String byUserKey = exchangeRecord("Miriamcontoso.onmicrosoft.com", MIRIAM, null, null, at);
        String unknown = exchangeRecord("nobody@contoso.onmicrosoft.com", UUID.randomUUID().toString(), null, null, at);
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("enrich", 1), at, at,
                List.of(byUpn, byUserKey, unknown)));
        startWith(t, "activities", "accounts");
        awaitStored(t, 3);

        Map<String, Object> adele = actor(t, byUpn);
        assertThat(adele.get("actor_display_name")).isEqualTo("Adele Vance");
        assertThat(adele.get("actor_department")).isEqualTo("Retail");
        assertThat(adele.get("actor_groups")).as("Microsoft 365 groups only, sorted").isEqualTo("All Company; Retail Team");
        assertThat(adele.get("actor_on_premises_sync")).isEqualTo(true);
        Map<String, Object> miriam = actor(t, byUserKey);
        assertThat(miriam.get("actor_display_name")).as("found by the object id in UserKey").isEqualTo("Miriam Graham");
        assertThat(miriam.get("actor_groups")).isEqualTo("All Company");
        assertThat(miriam.get("actor_on_premises_sync")).isNull();
        assertThat(actor(t, unknown)).allSatisfy((column, value) -> assertThat(value).as(column).isNull());
        for (String sent : List.of(byUpn, byUserKey, unknown)) {
            assertRawIsAsSent(t, sent);
        }
    }

    @Test
    void aSinkFilterPicksRecordsByTheActorAndTheFilesCarryTheActorBesideTheRecord() throws Exception {
        TestTenant t = tenant();
        seedUser(t, ADELE, "adele@contoso.onmicrosoft.com", "Adele Vance", "Retail", true);
        seedUser(t, MIRIAM, "miriam@contoso.onmicrosoft.com", "Miriam Graham", "Sales", false);
        seedGroup(t, "g-1", "Retail Team", "microsoft365", ADELE);
        Instant at = minutesAgo(30);
        String retail = exchangeRecord("adele@contoso.onmicrosoft.com", "10032002643F6746", null, null, at);
        String sales = exchangeRecord("miriam@contoso.onmicrosoft.com", "10032002643F6746", null, null, at);
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("sink", 1), at, at, List.of(sales, retail)));
        startWith(t, "activities", "accounts");
        awaitStored(t, 2);
        await().atMost(PATIENCE).until(() -> !SinkFiles.lines(Path.of(sinksDir, "archive"), t.id()).isEmpty());
        // the filter has seen both records by the time the delivery order holds both and the first file is written
        List<JsonNode> lines = SinkFiles.lines(Path.of(sinksDir, "archive"), t.id());
        assertThat(lines).hasSize(1);
        JsonNode line = lines.get(0);
        assertThat(line.path("actorDisplayName").asText()).isEqualTo("Adele Vance");
        assertThat(line.path("actorDepartment").asText()).isEqualTo("Retail");
        assertThat(line.path("actorGroups").asText()).isEqualTo("Retail Team");
        assertThat(line.path("actorOnPremisesSync").asBoolean()).isTrue();
        assertThat(line.path("actorAppName").isNull()).isTrue();
        assertThat(line.path("record")).isEqualTo(JSON.readTree(retail));
    }

    @Test
    void aUserAddedToTheDirectoryAfterStartIsPickedUpByLaterBlobs() {
        TestTenant t = tenant();
        seedUser(t, ADELE, "adele@contoso.onmicrosoft.com", "Adele Vance", "Retail", false);
        Instant at = minutesAgo(30);
        String before = exchangeRecord("megan@contoso.onmicrosoft.com", "10032002643F6746", null, null, at);
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("reload", 1), at, at, List.of(before)));
        startWith(t, "activities", "accounts");
        awaitStored(t, 1);
        assertThat(actor(t, before).get("actor_display_name")).isNull();

        seedUser(t, "082a4d9d-5735-4de1-aa28-d3d47ed8312a", "Megan@contoso.onmicrosoft.com", "Megan Bowen", "Marketing",
                true);
        Instant later = minutesAgo(1);
        String after = exchangeRecord("megan@contoso.onmicrosoft.com", "10032002643F6746", null, null, later);
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("reload", 2), later, later, List.of(after)));
        awaitStored(t, 2);
        assertThat(actor(t, after).get("actor_display_name")).isEqualTo("Megan Bowen");
        assertThat(actor(t, after).get("actor_department")).isEqualTo("Marketing");
    }

    @Test
    void anActivityOfAnInventoriedAppIsLinkedToTheApp() {
        TestTenant t = tenant();
        seedApp(t, CRM_SYNC_APP, "Contoso CRM Sync");
        Instant at = minutesAgo(30);
        // MailItemsAccessed: AppId is the API called (Microsoft Graph), ClientAppId the app that called it
        String viaGraph = exchangeRecord("adele@contoso.onmicrosoft.com", "10032002643F6746",
                "00000003-0000-0000-c000-000000000000", CRM_SYNC_APP, at);
        String byAppId = exchangeRecord("adele@contoso.onmicrosoft.com", "10032002643F6746", CRM_SYNC_APP, "", at);
        String firstParty = exchangeRecord("adele@contoso.onmicrosoft.com", "10032002643F6746",
                "00000002-0000-0ff1-ce00-000000000000", null, at);
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("apps", 1), at, at,
                List.of(viaGraph, byAppId, firstParty)));
        startWith(t, "activities", "apps");
        awaitStored(t, 3);

        for (String linked : List.of(viaGraph, byAppId)) {
            assertThat(actor(t, linked)).containsEntry("actor_app_id", CRM_SYNC_APP)
                    .containsEntry("actor_app_name", "Contoso CRM Sync");
        }
        assertThat(actor(t, firstParty)).containsEntry("actor_app_id", null).containsEntry("actor_app_name", null);
    }

    @Test
    void powerBiEventsOfKnownUsersAreEnrichedToo() {
        TestTenant t = tenant();
        t.props().setContentTypes(List.of());
        t.props().getPowerbi().setEnabled(true);
        t.props().getPowerbi().setApiUrl(MICROSOFT.baseUrl() + "/powerbi");
        seedUser(t, ADELE, "john@contoso.com", "John Doe", "Finance", false);
        Instant at = minutesAgo(90);
        String id = UUID.randomUUID().toString();
        t.sim().powerBi().addEvent(DelayedFeedScenarios.pbiEvent(id, t.id(), at), at);
        startWith(t, "activities", "accounts");
        awaitStored(t, 1);
        Map<String, Object> row = jdbc.queryForMap("SELECT actor_display_name, actor_department, actor_on_premises_sync "
                + "FROM audit_event WHERE tenant_id = ? AND id = ?", t.id(), id);
        assertThat(row).containsEntry("actor_display_name", "John Doe").containsEntry("actor_department", "Finance")
                .containsEntry("actor_on_premises_sync", false);
    }

    /** Starts collection with these components known, without the Graph sync routes (the test owns the tables). */
    private void startWith(TestTenant t, String... components) {
        t.props().setComponents(List.of(components));
        Tenant known = t.props().resolve(0);
        t.props().setComponents(List.of("activities"));
        Tenant collected = t.props().resolve(0);
        registry.add(known);
        collecting.add(collected);
        routes.startRoutes(collected);
    }

    private Map<String, Object> actor(TestTenant t, String record) throws RuntimeException {
        return jdbc.queryForMap("SELECT actor_display_name, actor_department, actor_groups, actor_on_premises_sync, "
                + "actor_app_id, actor_app_name FROM audit_event WHERE tenant_id = ? AND id = ?", t.id(), idOf(record));
    }

    /** Byte for byte where raw is text (H2); the same JSON where PostgreSQL keeps it as jsonb. */
    private void assertRawIsAsSent(TestTenant t, String sent) throws Exception {
        String raw = jdbc.queryForObject("SELECT raw FROM audit_event WHERE tenant_id = ? AND id = ?", String.class,
                t.id(), idOf(sent));
        assertThat(JSON.readTree(raw)).isEqualTo(JSON.readTree(sent));
        if (SqlDialect.of(dataSource) == SqlDialect.H2) {
            assertThat(raw).isEqualTo(sent);
        }
    }

    private static String idOf(String record) {
        try {
            return JSON.readTree(record).get("Id").asText();
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An Exchange record as the corpus shows them (UserKey a PUID or an object id, AppId and ClientAppId optional). */
    private static String exchangeRecord(String userId, String userKey, String appId, String clientAppId, Instant at) {
        return "{\"CreationTime\":\"" + DelayedFeedScenarios.API_TIME.format(at.minusSeconds(60)) + "\",\"Id\":\""
                + UUID.randomUUID() + "\",\"Operation\":\"MailItemsAccessed\",\"RecordType\":50,\"ResultStatus\":\"Succeeded\","
                + "\"UserKey\":\"" + userKey + "\",\"UserType\":0,\"Version\":1,\"Workload\":\"Exchange\","
                + "\"UserId\":\"" + userId + "\",\"ClientIPAddress\":\"203.0.113.9\""
                + (appId == null ? "" : ",\"AppId\":\"" + appId + "\"")
                + (clientAppId == null ? "" : ",\"ClientAppId\":\"" + clientAppId + "\"")
                + ",\"MailboxOwnerUPN\":\"" + userId + "\"}";
    }

    private void seedUser(TestTenant t, String id, String upn, String name, String department, Boolean synced) {
        jdbc.update("""
                INSERT INTO directory_user (tenant_id, id, user_principal_name, upn_lower, display_name, department,
                  on_premises_sync, account_enabled, seen_round, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, TRUE, 1, ?)""",
                t.id(), id, upn, upn.toLowerCase(), name, department, synced, Timestamp.from(Instant.now()));
    }

    private void seedGroup(TestTenant t, String id, String name, String kind, String... members) {
        jdbc.update("""
                INSERT INTO directory_group (tenant_id, id, display_name, kind, dynamic, seen_round, updated_at)
                VALUES (?, ?, ?, ?, FALSE, 1, ?)""", t.id(), id, name, kind, Timestamp.from(Instant.now()));
        for (String m : members) {
            jdbc.update("INSERT INTO directory_member (tenant_id, group_id, member_id, member_type, seen_round) "
                    + "VALUES (?, ?, ?, 'user', 1)", t.id(), id, m);
        }
    }

    private void seedApp(TestTenant t, String appId, String name) {
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update("""
                INSERT INTO app_principal (tenant_id, id, app_id, display_name, publisher_name, first_seen, last_seen)
                VALUES (?, ?, ?, ?, 'Contoso', ?, ?)""", t.id(), UUID.randomUUID().toString(), appId, name, now, now);
    }
}
