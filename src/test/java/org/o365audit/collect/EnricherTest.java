package org.o365audit.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.o365audit.collect.TestRecords.NOW;
import static org.o365audit.collect.TestRecords.msDocs;
import static org.o365audit.collect.TestRecords.otrf;
import static org.o365audit.collect.TestRecords.otrfWrapped;
import static org.o365audit.collect.TestRecords.pantherRule;
import static org.o365audit.collect.TestRecords.pantherSchema;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.o365audit.record.AuditEvent;
import org.o365audit.record.BlobContent;
import org.o365audit.record.BlobDefect;
import org.o365audit.record.EnrichedBatch;
import org.o365audit.store.BlobKeys;

class EnricherTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final Enricher enricher = new Enricher(TestRecords.clock());

    private final RecordReader reader = new RecordReader(mapper.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS));

    /** The record as the splitter reads it (one streaming pass), which must match what the tree shows. */
    private RecordBatch.RawRecord raw(String json) {
        try {
            RecordFields streamed = reader.read(json);
            assertThat(streamed).as("streaming pass over %s", json).isEqualTo(RecordFields.of((ObjectNode) mapper.readTree(json)));
            return new RecordBatch.RawRecord(json, streamed);
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private EnrichedBatch enrich(Enricher e, List<BlobDefect> earlier, String... records) {
        List<RecordBatch.RawRecord> raws = new ArrayList<>();
        for (String r : records) {
            raws.add(raw(r));
        }
        BlobContent c = TestRecords.content(new ByteArrayInputStream(new byte[0]));
        return e.enrich(new RecordBatch(c, raws, earlier));
    }

    private AuditEvent one(String record) {
        EnrichedBatch b = enrich(enricher, List.of(), record);
        assertThat(b.defects()).isEmpty();
        assertThat(b.events()).hasSize(1);
        return b.events().get(0);
    }

    /** Made-up record with just the fields a case needs; {@code extra} is spliced in as JSON members. */
    private static String made(String id, String extra) {
        return "{\"CreationTime\":\"2024-03-01T11:00:00\",\"Id\":\"" + id + "\",\"Operation\":\"Test\"" + extra + "}";
    }

    // --- RecordType -------------------------------------------------------------------------------

    @Test
    void recordTypeAsNumberKeepsNumberAndName() {
        AuditEvent e = one(msDocs(1));

        assertThat(e.recordType()).isEqualTo(9);
        assertThat(e.recordTypeName()).isEqualTo("AzureActiveDirectoryAccountLogon");
    }

    @Test
    void recordTypeAsNumericStringBecomesTheNumber() {
        AuditEvent e = one(made("rt-string", ",\"RecordType\":\"50\",\"Workload\":\"Exchange\""));

        assertThat(e.recordType()).isEqualTo(50);
        assertThat(e.recordTypeName()).isEqualTo("ExchangeItemAggregated");
    }

    @Test
    void recordTypeAsNumericStringInTheSentinelRowIsReadAsNumber() throws Exception {
        ObjectNode wrapped = (ObjectNode) mapper.readTree(otrfWrapped());

        assertThat(wrapped.get("RecordType").isTextual()).isTrue();
        assertThat(Enricher.recordType(RecordFields.Value.of(wrapped.get("RecordType")))).isEqualTo(50);
    }

    @Test
    void recordTypeAsNameStringGivesNoNumberAndKeepsTheName() {
        AuditEvent e = one(made("rt-name", ",\"RecordType\":\"PowerBIAudit\",\"Workload\":\"PowerBI\""));

        assertThat(e.recordType()).isNull();
        assertThat(e.recordTypeName()).isEqualTo("PowerBIAudit");
        assertThat(e.app()).isEqualTo("Power BI");
    }

    @Test
    void unknownRecordTypeNumberIsKeptWithoutName() {
        AuditEvent e = one(made("rt-new", ",\"RecordType\":999,\"Workload\":\"Exchange\""));

        assertThat(e.recordType()).isEqualTo(999);
        assertThat(e.recordTypeName()).isNull();
    }

    @Test
    void missingRecordTypeGivesNulls() {
        AuditEvent e = one(made("rt-none", ",\"Workload\":\"Exchange\""));

        assertThat(e.recordType()).isNull();
        assertThat(e.recordTypeName()).isNull();
    }

    // --- ClientIP ---------------------------------------------------------------------------------

    @Test
    void ipv4WithPortLosesThePort() {
        assertThat(one(otrf(3)).clientIp()).isEqualTo("104.28.196.199");
        assertThat(one(pantherSchema(2)).clientIp()).isEqualTo("13.82.145.167");
    }

    @Test
    void bracketedIpv6WithPortLosesBracketsAndPort() {
        assertThat(one(otrf(1)).clientIp()).isEqualTo("2a09:bac5:111:105::1a:89");
    }

    @Test
    void plainIpv6IsKeptWhole() {
        assertThat(one(otrf(2)).clientIp()).isEqualTo("2a09:bac5:114:105::1a:9b");
    }

    @Test
    void ipv4MappedIpv6IsKeptWhole() {
        assertThat(one(msDocs(3)).clientIp()).isEqualTo("::ffff:10.11.0.229");
    }

    @Test
    void plainIpv4IsKept() {
        assertThat(one(msDocs(1)).clientIp()).isEqualTo("134.170.188.221");
    }

    @Test
    void addressWithOneColonButNoPortIsNotCutAtTheColon() {
        // Microsoft's own Copilot sample has ClientIP "ffff:10.11.0.229": one colon, but what follows is no port
        AuditEvent e = one(msDocs(2));

        assertThat(e.clientIp()).isIn("ffff:10.11.0.229", "10.11.0.229");
    }

    @Test
    void nullMarkerFallsBackToClientIPAddress() {
        // made up: the "<null>" marker is documented (o365-api.md 2.1) but absent from the corpus
        AuditEvent e = one(made("ip-1", ",\"ClientIP\":\"<null>\",\"ClientIPAddress\":\"10.20.30.40:443\""));

        assertThat(e.clientIp()).isEqualTo("10.20.30.40");
    }

    @Test
    void nullMarkerFallsBackToActorIpAddress() {
        AuditEvent e = one(made("ip-2", ",\"ClientIP\":\"<null>\",\"ActorIpAddress\":\"[2a09:bac5:114:105::1a:9b]:54809\""));

        assertThat(e.clientIp()).isEqualTo("2a09:bac5:114:105::1a:9b");
    }

    @Test
    void jsonNullAndNullTextFallBackToActorIpAddress() {
        assertThat(one(made("ip-3", ",\"ClientIP\":null,\"ActorIpAddress\":\"1.2.3.4\"")).clientIp()).isEqualTo("1.2.3.4");
        assertThat(one(made("ip-4", ",\"ClientIP\":\"NULL\",\"ClientIPAddress\":\"<null>\",\"ActorIpAddress\":\"1.2.3.4\""))
                .clientIp()).isEqualTo("1.2.3.4");
    }

    @Test
    void missingClientIpFallsBackToClientIPAddress() {
        assertThat(one(pantherSchema(1)).clientIp()).isEqualTo("2603:10b6:5:127::10");
    }

    @Test
    void noAddressAnywhereGivesNull() {
        assertThat(one(otrf(4)).clientIp()).isNull();
        assertThat(one(msDocs(4)).clientIp()).isNull();
        assertThat(one(made("ip-5", ",\"ClientIP\":\"<null>\"")).clientIp()).isNull();
    }

    // --- app names --------------------------------------------------------------------------------

    @Test
    void missingWorkloadStillGetsAnAppFromRecordType() {
        AuditEvent e = one(pantherRule(1));

        assertThat(e.workload()).isNull();
        assertThat(e.recordType()).isEqualTo(15);
        assertThat(e.app()).isEqualTo("Azure AD");
    }

    @Test
    void oneDriveRecordTypeSevenUnderSharePointWorkloadIsOneDrive() {
        AuditEvent e = one(made("od-1", ",\"RecordType\":7,\"Workload\":\"SharePoint\""));

        assertThat(e.recordTypeName()).isEqualTo("OneDrive");
        assertThat(e.app()).isEqualTo("OneDrive");
    }

    @Test
    void oneDriveWorkloadIsOneDrive() {
        assertThat(one(pantherRule(2)).app()).isEqualTo("OneDrive");
        assertThat(one(made("od-2", ",\"RecordType\":7")).app()).isEqualTo("OneDrive");
    }

    @Test
    void exchangeAndAzureAdRecordsFromRealTenantsGetTheirApps() {
        assertThat(one(otrf(1)).app()).isEqualTo("Exchange");
        assertThat(one(otrf(2)).app()).isEqualTo("Azure AD");
        assertThat(one(msDocs(1)).app()).isEqualTo("Azure AD");
    }

    @ParameterizedTest(name = "Workload {0} -> {1}")
    @CsvSource({
            "Exchange, Exchange",
            "AzureActiveDirectory, Azure AD",
            "MicrosoftTeams, Teams",
            "PowerBI, Power BI",
            "CRM, Dynamics 365",
            "MicrosoftFlow, Power Automate",
            "Yammer, Yammer",
            "MicrosoftForms, Forms",
            "MicrosoftStream, Stream",
            "Sway, Sway",
            "SkypeForBusiness, Skype",
            "Lync, Skype",
            "SharePoint, SharePoint"})
    void workloadGivesTheAppName(String workload, String app) {
        // made up: no public raw records exist for most of these workloads (corpus SOURCES.md); no RecordType,
        // so the name can only come from the Workload
        AuditEvent e = one(made("app-" + workload, ",\"Workload\":\"" + workload + "\""));

        assertThat(e.workload()).isEqualTo(workload);
        assertThat(e.app()).isEqualTo(app);
    }

    @Test
    void unknownWorkloadKeepsItsName() {
        AuditEvent e = one(made("app-new", ",\"RecordType\":999,\"Workload\":\"MicrosoftLoop\""));

        assertThat(e.app()).isEqualTo("MicrosoftLoop");
    }

    // --- Id ---------------------------------------------------------------------------------------

    @Test
    void recordWithoutIdBecomesARecordDefectAndTheOthersAreKept() {
        EnrichedBatch b = enrich(enricher, List.of(), otrf(1), otrfWrapped(), otrf(2));

        assertThat(b.events()).extracting(AuditEvent::id)
                .containsExactly("7d1a3ff8-825a-4ddf-4215-08db8b48cccf", "2eaee53c-1a71-468b-ae64-3b61f5770600");
        assertThat(b.defects()).singleElement().satisfies(d -> {
            assertThat(d.wholeBlob()).isFalse();
            assertThat(d.reason()).contains("no Id");
            assertThat(d.payload().text()).isEqualTo(otrfWrapped());
            assertThat(d.tenantId()).isEqualTo(TestRecords.TENANT_ID);
            assertThat(d.contentId()).isEqualTo(TestRecords.CONTENT_ID);
            assertThat(d.at()).isEqualTo(NOW);
        });
    }

    @Test
    void blankIdIsADefect() {
        EnrichedBatch b = enrich(enricher, List.of(), made(" ", ""), "{\"Id\":null,\"Workload\":\"Exchange\"}");

        assertThat(b.events()).isEmpty();
        assertThat(b.defects()).hasSize(2);
    }

    @Test
    void defectsFromSplittingArePassedOn() {
        BlobDefect earlier = new BlobDefect(TestRecords.TENANT_ID, "contoso", "Audit.Exchange", TestRecords.CONTENT_ID,
                TestRecords.CONTENT_URI, false, "element #1 is not a JSON object but VALUE_NUMBER_INT", "42", NOW);

        EnrichedBatch b = enrich(enricher, List.of(earlier), otrf(1));

        assertThat(b.defects()).containsExactly(earlier);
        assertThat(b.events()).hasSize(1);
    }

    // --- event fields -----------------------------------------------------------------------------

    @Test
    void eventCarriesTenantBlobFieldsAndTheUntouchedRawRecord() {
        AuditEvent e = one(otrf(2));

        assertThat(e.tenantId()).isEqualTo(TestRecords.TENANT_ID);
        assertThat(e.tenantName()).isEqualTo("contoso");
        assertThat(e.contentType()).isEqualTo("Audit.Exchange");
        assertThat(e.contentId()).isEqualTo(TestRecords.CONTENT_ID);
        assertThat(e.id()).isEqualTo("2eaee53c-1a71-468b-ae64-3b61f5770600");
        assertThat(e.operation()).isEqualTo("UserLoginFailed");
        assertThat(e.userId()).isEqualTo("Henrietta@contoso.onmicrosoft.com");
        assertThat(e.workload()).isEqualTo("AzureActiveDirectory");
        assertThat(e.raw()).isEqualTo(otrf(2));
        assertThat(e.collectedAt()).isEqualTo(NOW);
    }

    // --- CreationTime -----------------------------------------------------------------------------

    @Test
    void creationTimeIsReadAsUtcAndLagCountsFromTheClock() {
        Enricher anHourLater = new Enricher(Clock.fixed(Instant.parse("2015-06-29T21:03:19Z"), ZoneOffset.UTC));

        AuditEvent e = enrich(anHourLater, List.of(), msDocs(1)).events().get(0);

        assertThat(e.creationTime()).isEqualTo(Instant.parse("2015-06-29T20:03:19Z"));
        assertThat(e.collectedAt()).isEqualTo(Instant.parse("2015-06-29T21:03:19Z"));
        assertThat(e.lagSeconds()).isEqualTo(3600L);
    }

    @Test
    void pantherStyleTimeWithASpaceIsParsed() {
        AuditEvent e = one(pantherRule(1));

        assertThat(e.creationTime()).isEqualTo(Instant.parse("2022-12-12T15:57:57Z"));
        assertThat(e.lagSeconds()).isEqualTo(NOW.getEpochSecond() - Instant.parse("2022-12-12T15:57:57Z").getEpochSecond());
    }

    @Test
    void unparseableTimeGivesNullTimeAndNullLagWithoutFailing() {
        String rec = "{\"CreationTime\":\"12/12/2022 3:57:57 PM\",\"Id\":\"bad-time\",\"Workload\":\"Exchange\"}";
        String noTime = "{\"Id\":\"no-time\",\"Workload\":\"Exchange\"}";
        String objectTime = "{\"CreationTime\":{\"when\":\"now\"},\"Id\":\"object-time\",\"Workload\":\"Exchange\"}";

        assertThatCode(() -> enrich(enricher, List.of(), rec, noTime, objectTime)).doesNotThrowAnyException();
        EnrichedBatch b = enrich(enricher, List.of(), rec, noTime, objectTime);

        assertThat(b.events()).hasSize(3).allSatisfy(e -> {
            assertThat(e.creationTime()).isNull();
            assertThat(e.lagSeconds()).isNull();
            assertThat(e.app()).isEqualTo("Exchange");
        });
    }

    // --- hostile shapes: each record decided alone --------------------------------------------------

    @Test
    void overlongAndNonStringValuesAreCappedAndCleanedWhileRawKeepsEverything() {
        String big = "W".repeat(200_000);
        String rec = "{\"Id\":\"long-1\",\"Workload\":\"" + big + "\",\"Operation\":{\"nested\":[1,2]},"
                + "\"UserId\":[\"a\",\"b\"],\"ClientIP\":\"" + "9".repeat(5000) + "\",\"RecordType\":99999999999}";

        AuditEvent e = one(rec);

        assertThat(e.workload()).hasSize(128);
        assertThat(e.app()).hasSize(64);
        assertThat(e.operation()).isEqualTo("{\"nested\":[1,2]}");
        assertThat(e.userId()).isEqualTo("[\"a\",\"b\"]");
        assertThat(e.clientIp()).hasSize(128);
        assertThat(e.recordType()).as("does not fit an integer").isNull();
        assertThat(e.recordTypeName()).isEqualTo("99999999999");
        assertThat(e.raw()).isEqualTo(rec);
    }

    @Test
    void terminalEscapesNeverReachADerivedColumn() {
        AuditEvent e = one(made("esc-1", ",\"UserId\":\"\\u001b[31mroot\\u001b]0;title\\u0007\",\"Workload\":\"Ex\\u0000change\""
                .replace("\\u0000", "\\u0085")));

        assertThat(e.userId()).doesNotContain("\u001b").doesNotContain("\u0007").contains("root");
        assertThat(e.workload()).doesNotContain("\u0085");
    }

    @Test
    void numericIdIsStoredAsItsText() {
        assertThat(one("{\"Id\":123456789,\"Workload\":\"Exchange\"}").id()).isEqualTo("123456789");
    }

    @Test
    void unparseableFarFutureAndAncientTimesLeaveTheColumnEmpty() {
        EnrichedBatch b = enrich(enricher, List.of(), made("t1", "").replace("2024-03-01T11:00:00", "+999999999-12-31T23:59:59"),
                made("t2", "").replace("2024-03-01T11:00:00", "0001-01-01T00:00:00"),
                made("t3", "").replace("2024-03-01T11:00:00", "garbage"),
                made("t4", "").replace("2024-03-01T11:00:00", "9999-12-31T23:59:59"));

        assertThat(b.defects()).isEmpty();
        assertThat(b.events()).extracting(AuditEvent::creationTime)
                .containsExactly(null, null, null, Instant.parse("9999-12-31T23:59:59Z"));
    }

    @Test
    void recordsNoDatabaseCanKeepAreSetAsideAloneWithTheirReason() {
        String nul = made("nul-1", ",\"Operation\":\"a\\u0000b\"");
        String loneSurrogate = made("sur-1", ",\"Deep\":{\"x\":[\"ok\",\"\\ud800\"]}");
        String nulKey = made("nulkey-1", ",\"k\\u0000\":1");
        String longId = made("L".repeat(513), "");
        String objectId = "{\"Id\":{\"a\":1},\"Workload\":\"Exchange\"}";
        String emptyId = made("", "");
        String pairedSurrogate = made("emoji-1", ",\"Operation\":\"\\ud83d\\udcce\"");

        EnrichedBatch b = enrich(enricher, List.of(), otrf(1), nul, loneSurrogate, nulKey, longId, objectId, emptyId,
                pairedSurrogate, otrf(2));

        assertThat(b.events()).extracting(AuditEvent::id).containsExactly("7d1a3ff8-825a-4ddf-4215-08db8b48cccf", "emoji-1",
                "2eaee53c-1a71-468b-ae64-3b61f5770600");
        assertThat(b.defects()).extracting(BlobDefect::reason).satisfiesExactly(
                r -> assertThat(r).contains("U+0000").contains(".Operation"),
                r -> assertThat(r).contains("unpaired surrogate").contains(".Deep.x[1]"),
                r -> assertThat(r).contains("U+0000"),
                r -> assertThat(r).contains("513 characters"),
                r -> assertThat(r).contains("not a string but OBJECT"),
                r -> assertThat(r).contains("no Id"));
        assertThat(b.defects()).allSatisfy(d -> assertThat(d.wholeBlob()).isFalse());
        assertThat(b.defects().get(0).payload().text()).isEqualTo(nul);
    }

    @Test
    void aContentIdLongerThanItsColumnIsKeyedByItsStartAndHash() {
        String id = "c".repeat(3000);
        assertThat(BlobKeys.of(id)).hasSizeLessThanOrEqualTo(512).startsWith("ccc").contains("sha256:");
        assertThat(BlobKeys.of(id)).isNotEqualTo(BlobKeys.of(id + "d"));
        assertThat(BlobKeys.of("short$id")).isEqualTo("short$id");
    }
}
