package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.o365audit.config.Tenant;
import org.o365audit.ops.CollectorStatus;
import org.o365audit.ops.ComponentStatus;
import org.o365audit.simulator.SimBlob;
import org.o365audit.simulator.SimulatedFiles;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The files component end to end (routes/file-watch.camel.yaml): SharePoint activities collected from the
 * simulated feed into audit_event, the files they name read over Graph with msal4j (shares, drives, permissions),
 * file_item and the sharing events in audit_event. Subclasses pick the database.
 */
@TestPropertySource(properties = {
        "o365.graph.files-interval=1s",
        "o365.delivery-sequencer-interval=200"})
abstract class FileWatchScenarios extends CollectorTestBase {
    static final String SHAREPOINT = "Audit.SharePoint";
    static final String SITE = "https://contoso.sharepoint.com/sites/Finance";
    static final SimulatedFiles.Identity ADELE = SimulatedFiles.Identity.of("adele@contoso.com", "Adele Vance");
    private static final DateTimeFormatter API_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AtomicInteger blobs = new AtomicInteger();

    @Autowired
    CollectorStatus status;

    /** A tenant that collects its SharePoint activities and watches the files they name. */
    TestTenant filesTenant() {
        TestTenant t = tenant();
        t.props().setContentTypes(List.of(SHAREPOINT));
        t.props().setComponents(List.of("activities", "files"));
        t.props().setGraphUrl(MICROSOFT.graphUrl());
        return t;
    }

    static SimulatedFiles files(TestTenant t) {
        return t.sim().graph().files();
    }

    SimulatedFiles.Item budget(TestTenant t) {
        SimulatedFiles.Drive library = files(t).addLibrary(SITE, "Shared Documents");
        return files(t).addFile(library, "Plans", "Budget 2027.xlsx", 18_000, ADELE, Instant.parse("2026-11-20T09:00:00Z"));
    }

    /** The activity as the feed delivers it: ObjectId is the file's URL, its spaces not encoded. */
    static String activity(TestTenant t, String operation, String objectId) {
        return "{\"CreationTime\":\"" + API_TIME.format(minutesAgo(5)) + "\",\"Id\":\"" + UUID.randomUUID()
                + "\",\"Operation\":\"" + operation + "\",\"OrganizationId\":\"" + t.id() + "\",\"RecordType\":14,"
                + "\"UserKey\":\"i:0h.f|membership|10032002643f6746@live.com\",\"UserType\":0,\"Version\":1,"
                + "\"Workload\":\"SharePoint\",\"ClientIP\":\"203.0.113.7\",\"UserId\":\"adele@contoso.com\","
                + "\"EventSource\":\"SharePoint\",\"ItemType\":\"File\",\"SiteUrl\":\"" + SITE + "/\","
                + (objectId == null ? "" : "\"ObjectId\":\"" + objectId + "\",")
                + "\"SourceRelativeUrl\":\"Shared Documents/Plans\",\"SourceFileName\":\"Budget 2027.xlsx\"}";
    }

    static String url(SimulatedFiles.Item item) {
        return SITE + "/Shared Documents" + item.path() + "/" + item.name();
    }

    /** The feed delivers these records in a blob of their own. */
    void deliver(TestTenant t, String... records) {
        int i = blobs.incrementAndGet();
        String contentId = "20261125" + String.format("%09d", i) + "$20261125" + String.format("%09d", i)
                + "$audit_sharepoint$Audit_SharePoint$files-" + t.id().substring(0, 8);
        Instant created = minutesAgo(3);
        t.sim().addBlob(SimBlob.ofRecords(SHAREPOINT, contentId, created, created, Arrays.asList(records)));
    }

    List<JsonNode> events(TestTenant t, String operation) {
        return jdbc.queryForList("SELECT raw FROM audit_event WHERE tenant_id = ? AND source = 'graph-files'"
                + " AND operation = ?", String.class, t.id(), operation).stream().map(FileWatchScenarios::json).toList();
    }

    int allEvents(TestTenant t) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE tenant_id = ? AND source = 'graph-files'",
                Integer.class, t.id());
    }

    String level(TestTenant t, SimulatedFiles.Item item) {
        List<String> l = jdbc.queryForList("SELECT sharing_level FROM file_item WHERE tenant_id = ? AND item_id = ?",
                String.class, t.id(), item.id());
        return l.isEmpty() ? null : l.get(0);
    }

    int fileReads(TestTenant t) {
        return (int) t.sim().graph().requests().stream().filter(r -> r.path().contains("/permissions")).count();
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anAnonymousLinkMakesTheFilePublicOnceEvenReadAgainAndItsRemovalIsReported() throws Exception {
        TestTenant t = filesTenant();
        SimulatedFiles.Item budget = budget(t);
        files(t).shareAnonymously(budget, "view");
        Tenant tenant = start(t);
        String created = activity(t, "AnonymousLinkCreated", url(budget));
        deliver(t, created);
        await().atMost(PATIENCE).until(() -> events(t, "FileSharedPublicly").size() == 1);
        JsonNode e = events(t, "FileSharedPublicly").get(0);
        assertThat(e.path("Workload").asText()).isEqualTo("SharePoint");
        assertThat(e.path("ObjectId").asText()).isEqualTo(budget.webUrl());
        assertThat(e.path("SharingLevel").asText()).isEqualTo("public");
        assertThat(e.path("PreviousSharingLevel").isNull()).isTrue();
        assertThat(e.path("Sharing").toString()).isEqualTo("[\"anonymous view link\"]");
        assertThat(e.path("CausedBy").path("Id").asText()).isEqualTo(json(created).path("Id").asText());
        assertThat(e.path("UserId").asText()).isEqualTo("adele@contoso.com");
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM file_item WHERE tenant_id = ?", t.id());
        assertThat(row.get("sharing_level")).isEqualTo("public");
        assertThat(row.get("path")).isEqualTo("/Plans/Budget 2027.xlsx");
        assertThat(row.get("owner")).isEqualTo("adele@contoso.com");
        assertThat(((Number) row.get("size_bytes")).longValue()).isEqualTo(18_000);
        assertThat(row.get("last_activity")).isEqualTo("AnonymousLinkCreated");

        // the same activity applied again, as after a kill -9 before the commit: the same event, stored once
        routes.stopRoutes(tenant);
        jdbc.update("UPDATE file_cursor SET epoch = 0, seq = 0 WHERE tenant_id = ?", t.id());
        jdbc.update("DELETE FROM file_item WHERE tenant_id = ?", t.id());
        int reads = fileReads(t);
        routes.startRoutes(tenant);
        await().atMost(PATIENCE).until(() -> "public".equals(level(t, budget)) && fileReads(t) > reads);
        assertThat(events(t, "FileSharedPublicly")).hasSize(1);

        files(t).removeLinks(budget, "anonymous");
        deliver(t, activity(t, "AnonymousLinkRemoved", url(budget)));
        await().atMost(PATIENCE).until(() -> events(t, "PublicLinkRemoved").size() == 1);
        assertThat(level(t, budget)).isEqualTo("private");
        assertThat(events(t, "PublicLinkRemoved").get(0).path("PreviousSharingLevel").asText()).isEqualTo("public");
        assertThat(allEvents(t)).isEqualTo(2);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(status.get(t.id(), "files").summary())
                .isEqualTo("1 files watched (0 public, 0 external)"));
    }

    @Test
    void aGrantToAGuestSharesTheFileExternally() {
        TestTenant t = filesTenant();
        SimulatedFiles.Item budget = budget(t);
        start(t);
        deliver(t, activity(t, "FileUploaded", url(budget)));
        await().atMost(PATIENCE).until(() -> "private".equals(level(t, budget)));
        files(t).grant(budget, SimulatedFiles.Identity.of("pat@fabrikam.com", "Pat Guest"), "read");
        deliver(t, activity(t, "SharingSet", url(budget)), activity(t, "SharingInvitationCreated", url(budget)));
        await().atMost(PATIENCE).until(() -> events(t, "FileSharedExternally").size() == 1);
        assertThat(events(t, "FileSharedExternally").get(0).path("PreviousSharingLevel").asText()).isEqualTo("private");
        assertThat(jdbc.queryForObject("SELECT sharing FROM file_item WHERE tenant_id = ?", String.class, t.id()))
                .isEqualTo("guest pat@fabrikam.com (read)");
        assertThat(allEvents(t)).isEqualTo(1);
    }

    @Test
    void aFileWithALongNonLatinPathAndAGuestNamedWithANulIsKept() {
        TestTenant t = filesTenant();
        SimulatedFiles.Drive library = files(t).addLibrary(SITE, "Shared Documents");
        // a path beyond SharePoint's 400 characters (input is not trusted to keep limits): 3 KB of UTF-8 once decoded,
        // beyond what a PostgreSQL index row may hold, 9 KB as a URL
        java.util.Random random = new java.util.Random(7);
        String folder = random.ints(1000, 0x4e00, 0x9fff).collect(StringBuilder::new, StringBuilder::appendCodePoint,
                StringBuilder::append).toString();   // not repetitive: PostgreSQL compresses index rows that are
        SimulatedFiles.Item deep = files(t).addFile(library, folder, "\u8a08\u753b.xlsx", 1_000, ADELE,
                Instant.parse("2026-11-20T09:00:00Z"));
        files(t).grant(deep, SimulatedFiles.Identity.of("pat\u0000@fabrikam.com", "Pat\u0000Guest"), "read");
        start(t);
        deliver(t, activity(t, "SharingSet", url(deep)));
        await().atMost(PATIENCE).until(() -> events(t, "FileSharedExternally").size() == 1);
        assertThat(level(t, deep)).isEqualTo("external");
        assertThat(jdbc.queryForObject("SELECT sharing FROM file_item WHERE tenant_id = ?", String.class, t.id()))
                .doesNotContain("\u0000");
    }

    @Test
    void aFileLastReadADayAgoIsReadAgainWithoutAnActivity() {
        TestTenant t = filesTenant();
        SimulatedFiles.Item budget = budget(t);
        start(t);
        deliver(t, activity(t, "FileUploaded", url(budget)));
        await().atMost(PATIENCE).until(() -> "private".equals(level(t, budget)));
        // shared while the feed has not delivered the activity yet; the file's last read is over a day old
        files(t).shareAnonymously(budget, "view");
        jdbc.update("UPDATE file_item SET checked_at = ? WHERE tenant_id = ?",
                java.sql.Timestamp.from(Instant.now().minus(java.time.Duration.ofHours(25))), t.id());
        await().atMost(PATIENCE).until(() -> events(t, "FileSharedPublicly").size() == 1);
        assertThat(events(t, "FileSharedPublicly").get(0).path("CausedBy").path("Operation").asText())
                .isEqualTo("PeriodicRead");
    }

    @Test
    void aDeletedFileIsMarkedDeletedWithoutAnError() {
        TestTenant t = filesTenant();
        SimulatedFiles.Item budget = budget(t);
        start(t);
        deliver(t, activity(t, "FileUploaded", url(budget)));
        await().atMost(PATIENCE).until(() -> "private".equals(level(t, budget)));
        files(t).delete(budget);
        deliver(t, activity(t, "FileDeleted", url(budget)));
        await().atMost(PATIENCE).until(() -> jdbc.queryForObject("SELECT deleted FROM file_item WHERE tenant_id = ?",
                Boolean.class, t.id()));
        assertThat(status.get(t.id(), "files").state()).isNotEqualTo(ComponentStatus.State.ERROR);
        assertThat(jdbc.queryForObject("SELECT last_activity FROM file_item WHERE tenant_id = ?", String.class, t.id()))
                .isEqualTo("FileDeleted");
    }

    @Test
    void aRecordThatNamesNoFileIsSkippedAloneAndItsNeighbourIsRead() {
        TestTenant t = filesTenant();
        SimulatedFiles.Item budget = budget(t);
        files(t).shareWithOrganization(budget, "view");
        start(t);
        deliver(t, activity(t, "FileModified", null), activity(t, "SharingSet", "javascript:alert(1)"),
                activity(t, "FileModified", "https://contoso.sharepoint.com/sites/Finance/Shared Documents/none.docx"),
                activity(t, "SharingSet", url(budget)));
        await().atMost(PATIENCE).until(() -> "internal".equals(level(t, budget)));
        assertThat(status.get(t.id(), "files").state()).isNotEqualTo(ComponentStatus.State.ERROR);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM file_item WHERE tenant_id = ?", Integer.class, t.id()))
                .isEqualTo(1);
    }

    @Test
    void aRefusedReadShowsPermissionAndTheActivitiesWaitForTheGrant() {
        TestTenant t = filesTenant();
        SimulatedFiles.Item budget = budget(t);
        files(t).shareAnonymously(budget, "edit");
        t.sim().graph().deny("shares");
        start(t);
        deliver(t, activity(t, "AnonymousLinkCreated", url(budget)));
        await().atMost(PATIENCE).untilAsserted(() -> {
            ComponentStatus c = status.get(t.id(), "files");
            assertThat(c.state()).isEqualTo(ComponentStatus.State.ERROR);
            assertThat(c.errorCode()).isEqualTo("permission");
            assertThat(c.message()).contains("Files.Read.All");
        });
        assertThat(level(t, budget)).isNull();
        t.sim().graph().allow("shares");
        await().atMost(PATIENCE).until(() -> events(t, "FileSharedPublicly").size() == 1);
        await().atMost(PATIENCE).until(() -> status.get(t.id(), "files").state() == ComponentStatus.State.RUNNING);
    }
}
