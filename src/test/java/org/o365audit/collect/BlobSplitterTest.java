package org.o365audit.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.o365audit.collect.TestRecords.NOW;
import static org.o365audit.collect.TestRecords.clock;
import static org.o365audit.collect.TestRecords.content;
import static org.o365audit.collect.TestRecords.msDocs;
import static org.o365audit.collect.TestRecords.otrf;
import static org.o365audit.collect.TestRecords.pantherSchema;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.o365audit.api.ContentBlob;
import org.o365audit.config.O365Properties;
import org.o365audit.record.BlobContent;
import org.o365audit.record.BlobDefect;
import org.o365audit.record.BlobStats;

class BlobSplitterTest {

    /**
     * Made up (the corpus is all minified ASCII): whitespace around every token, keys out of the usual order,
     * and non-ASCII text of 2-, 3- and 4-byte UTF-8 sequences.
     */
    private static final String SPACED_NON_ASCII = "{ \"Workload\" : \"Exchange\" ,\n"
            + "    \"Id\" :\t\"6f1c2a9e-0d4b-4c1e-9a57-3b2f7e8d9c10\",  \"RecordType\" : 2 ,\r\n"
            + "    \"Subject\" : \"Grüße aus Zürich – 東京 📎\" , \"Path\":\"\\/Inbox\\/Été\" }";

    private final ObjectMapper mapper = new ObjectMapper();

    private BlobSplitter splitter(int batchSize) {
        O365Properties props = new O365Properties();
        props.setBatchSize(batchSize);
        return new BlobSplitter(mapper, props, clock());
    }

    private static List<RecordBatch> drain(Iterator<RecordBatch> it) {
        List<RecordBatch> out = new ArrayList<>();
        while (it.hasNext()) {
            out.add(it.next());
        }
        return out;
    }

    private static List<String> raws(List<RecordBatch> batches) {
        List<String> out = new ArrayList<>();
        batches.forEach(b -> b.records().forEach(r -> out.add(r.raw())));
        return out;
    }

    private static List<BlobDefect> defects(List<RecordBatch> batches) {
        List<BlobDefect> out = new ArrayList<>();
        batches.forEach(b -> out.addAll(b.defects()));
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void recordsKeepTheirExactBytesAcrossBatchBoundaries() {
        List<String> records = List.of(otrf(2), SPACED_NON_ASCII, otrf(1), msDocs(2), pantherSchema(2));
        String blob = "[\n" + records.get(0) + ",\n" + records.get(1) + " ,  " + records.get(2) + ",\r\n"
                + records.get(3) + "," + records.get(4) + "\n]\n";
        BlobContent c = content(blob);

        List<RecordBatch> batches = drain(splitter(2).batches(c));

        assertThat(batches).extracting(b -> b.records().size()).containsExactly(2, 2, 1);
        assertThat(defects(batches)).isEmpty();
        List<String> raws = raws(batches);
        assertThat(raws).containsExactlyElementsOf(records);
        for (int i = 0; i < records.size(); i++) {
            assertThat(utf8(raws.get(i))).as("bytes of record %d", i).isEqualTo(utf8(records.get(i)));
        }
        // the escapes are the API's own text, not Jackson's re-serialisation
        assertThat(raws.get(0)).contains("Mozilla\\/5.0");
        assertThat(raws.get(1)).contains("Grüße aus Zürich – 東京 📎").contains("\"Id\" :\t\"").contains("\\/Inbox\\/Été");
        assertThat(raws.get(4)).contains("NT AUTHORITY\\\\SYSTEM (w3wp)");
        assertThat(c.stats().blobRejected()).isFalse();
    }

    @Test
    void parsedFieldsMatchTheRawRecord() {
        // the fields enrichment reads, here holding the non-ASCII text and the escapes
        String spaced = SPACED_NON_ASCII.replace("\"Subject\"", "\"Operation\"").replace("\"Path\"", "\"UserId\"");
        BlobContent c = content("[" + spaced + "," + otrf(2) + "]");

        List<RecordBatch.RawRecord> records = drain(splitter(500).batches(c)).get(0).records();

        assertThat(records).hasSize(2);
        assertThat(records.get(0).fields().id().text()).isEqualTo("6f1c2a9e-0d4b-4c1e-9a57-3b2f7e8d9c10");
        assertThat(records.get(0).fields().operation().text()).isEqualTo("Grüße aus Zürich – 東京 📎");
        assertThat(records.get(0).fields().userId().text()).isEqualTo("/Inbox/Été");
        assertThat(records.get(0).fields().recordType().integer()).isEqualTo(2);
        assertThat(records.get(1).fields().id().text()).isEqualTo("2eaee53c-1a71-468b-ae64-3b61f5770600");
    }

    @Test
    void blobBiggerThanTheRecordingBufferWithManyRecordsIsSplitCompletely() {
        List<String> records = new ArrayList<>();
        StringBuilder blob = new StringBuilder("[");
        for (int i = 0; i < 600; i++) {
            // distinct Ids, same length, otherwise the corpus record unchanged
            String r = (i % 2 == 0 ? otrf(2) : SPACED_NON_ASCII)
                    .replace("2eaee53c-1a71-468b-ae64-3b61f5770600", String.format("2eaee53c-1a71-468b-ae64-%012d", i))
                    .replace("6f1c2a9e-0d4b-4c1e-9a57-3b2f7e8d9c10", String.format("6f1c2a9e-0d4b-4c1e-9a57-%012d", i));
            records.add(r);
            blob.append(i == 0 ? "" : ",\n").append(r);
        }
        blob.append("]");
        assertThat(utf8(blob.toString()).length).isGreaterThan(4 * 64 * 1024);
        BlobContent c = content(blob.toString());

        List<RecordBatch> batches = drain(splitter(100).batches(c));

        assertThat(batches).hasSize(6).allSatisfy(b -> assertThat(b.records()).hasSize(100));
        assertThat(defects(batches)).isEmpty();
        assertThat(raws(batches)).containsExactlyElementsOf(records);
    }

    @Test
    void recordBiggerThanTheRecordingBufferKeepsItsBytes() {
        String big = "{\"Id\":\"big-1\",\"Workload\":\"Exchange\",\"Body\":\"" + "Ünïcödé \\/ text ".repeat(8000) + "\"}";
        assertThat(utf8(big).length).isGreaterThan(2 * 64 * 1024);
        String blob = "[" + otrf(1) + "," + big + "," + otrf(3) + "]";

        List<RecordBatch> batches = drain(splitter(500).batches(content(blob)));

        assertThat(raws(batches)).containsExactly(otrf(1), big, otrf(3));
        assertThat(defects(batches)).isEmpty();
    }

    @Test
    void escapedQuotesBackslashesAndBracketsInStringsAcrossBufferFillsDoNotEndAnElement() {
        // escapes and brackets inside strings at every offset of the scanner's buffer fills
        String tricky = "{\"Id\":\"tricky-1\",\"Body\":\"" + "a\\\"}],{[\\\\ \\\\\\\"]".repeat(6000) + "\"}";
        String blob = "[" + otrf(1) + ",\n" + tricky + " ,\"scalar \\\" ]\"," + otrf(3) + "]";

        List<RecordBatch> batches = drain(splitter(500).batches(content(blob)));

        assertThat(raws(batches)).containsExactly(otrf(1), tricky, otrf(3));
        assertThat(defects(batches)).singleElement().satisfies(d -> assertThat(d.payload().text()).isEqualTo("\"scalar \\\" ]\""));
    }

    @Test
    void aReplacementCharacterWrittenInTheRecordIsValidText() {
        String withFffd = "{\"Id\":\"fffd-1\",\"Operation\":\"broken \uFFFD once\"}";

        List<RecordBatch> batches = drain(splitter(500).batches(content("[" + withFffd + "," + otrf(1) + "]")));

        assertThat(raws(batches)).containsExactly(withFffd, otrf(1));
        assertThat(defects(batches)).isEmpty();
    }

    @Test
    void utf8ByteOrderMarkDoesNotShiftTheRecords() {
        String blob = "\uFEFF[" + otrf(1) + "," + otrf(3) + "]";

        List<RecordBatch> batches = drain(splitter(500).batches(content(blob)));

        assertThat(raws(batches)).containsExactly(otrf(1), otrf(3));
    }

    @Test
    void truncatedBlobYieldsTheRecordsBeforeTheBreakAndOneWholeBlobDefect() {
        String third = otrf(3);
        String blob = "[" + otrf(1) + "," + otrf(2) + "," + third.substring(0, third.length() / 2);
        int length = utf8(blob).length;
        BlobContent c = content(blob);

        List<RecordBatch> batches = drain(splitter(500).batches(c));

        assertThat(raws(batches)).containsExactly(otrf(1), otrf(2));
        List<BlobDefect> defects = defects(batches);
        assertThat(defects).hasSize(1);
        BlobDefect d = defects.get(0);
        assertThat(d.wholeBlob()).isTrue();
        Matcher m = Pattern.compile("at byte (\\d+)").matcher(d.reason());
        assertThat(m.find()).as("reason names a byte offset: %s", d.reason()).isTrue();
        assertThat(Long.parseLong(m.group(1))).as("offset where the input broke off").isEqualTo(length);
        assertThat(d.payload().text()).as("payload is the cut-off element, whole").isNotEmpty()
                .isEqualTo(third.substring(0, third.length() / 2));
        assertThat(blob).endsWith(d.payload().text());
        assertThat(c.stats().blobRejected()).isTrue();
    }

    @Test
    void truncatedBlobKeepsRecordsAlreadyHandedOutInEarlierBatches() {
        String blob = "[" + otrf(1) + "," + otrf(2) + "," + otrf(3) + ",{\"Id\":\"cut-";
        BlobContent c = content(blob);

        List<RecordBatch> batches = drain(splitter(2).batches(c));

        assertThat(raws(batches)).containsExactly(otrf(1), otrf(2), otrf(3));
        assertThat(defects(batches)).singleElement().satisfies(d -> assertThat(d.wholeBlob()).isTrue());
        assertThat(batches.get(batches.size() - 1).defects()).hasSize(1);
        assertThat(c.stats().blobRejected()).isTrue();
    }

    @Test
    void garbageInsideTheArrayIsSetAsideAloneAtItsOffsetAndTheRecordsAfterItAreKept() {
        String head = "[" + otrf(1) + ",";
        String blob = head + "@@@," + otrf(2) + "]";
        int at = utf8(head).length;
        BlobContent c = content(blob);

        List<RecordBatch> batches = drain(splitter(500).batches(c));

        assertThat(raws(batches)).containsExactly(otrf(1), otrf(2));
        BlobDefect d = defects(batches).get(0);
        assertThat(defects(batches)).hasSize(1);
        assertThat(d.wholeBlob()).isFalse();
        assertThat(d.payload().text()).isEqualTo("@@@");
        Matcher m = Pattern.compile("at byte (\\d+)").matcher(d.reason());
        assertThat(m.find()).as(d.reason()).isTrue();
        assertThat(Long.parseLong(m.group(1))).as(d.reason()).isEqualTo(at);
        assertThat(c.stats().blobRejected()).isFalse();
    }

    @Test
    void aBrokenElementIsSetAsideAloneWithItsBytesAndItsNeighboursAreKept() {
        byte[] invalidUtf8 = "{\"Id\":\"bad-utf8\",\"Operation\":\"x\u00c3(y\"}".getBytes(StandardCharsets.ISO_8859_1);
        invalidUtf8[invalidUtf8.length - 5] = (byte) 0xC3;   // 0xC3 0x28: an invalid two-byte sequence
        String rawControl = "{\"Id\":\"ctl\",\"Operation\":\"a\u0001b\"}";   // an unescaped control character
        String missingColon = "{\"Id\" \"no-colon\"}";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(utf8("[" + otrf(1) + ","));
        out.writeBytes(invalidUtf8);
        out.writeBytes(utf8("," + rawControl + "," + otrf(2) + "," + missingColon + "," + otrf(3) + "]"));
        BlobContent c = content(new java.io.ByteArrayInputStream(out.toByteArray()));

        List<RecordBatch> batches = drain(splitter(2).batches(c));

        assertThat(raws(batches)).containsExactly(otrf(1), otrf(2), otrf(3));
        List<BlobDefect> defects = defects(batches);
        assertThat(defects).hasSize(3).allSatisfy(d -> assertThat(d.wholeBlob()).isFalse());
        assertThat(defects.get(0).reason()).contains("element #1").contains("not valid UTF-8");
        assertThat(defects.get(0).payload().encoding()).isEqualTo("base64");
        assertThat(java.util.Base64.getDecoder().decode(defects.get(0).payload().text())).isEqualTo(invalidUtf8);
        assertThat(defects.get(1).reason()).startsWith("not valid JSON in element #2");
        assertThat(defects.get(1).payload().encoding()).as("U+0001 is storable text").isNull();
        assertThat(defects.get(1).payload().text()).isEqualTo(rawControl);
        assertThat(defects.get(2).reason()).startsWith("not valid JSON in element #4");
        assertThat(defects.get(2).payload().text()).isEqualTo(missingColon);
        assertThat(c.stats().blobRejected()).isFalse();
    }

    @Test
    void anElementLargerThanTheLimitIsSetAsideWithItsFirstBytes() {
        O365Properties props = new O365Properties();
        String big = "{\"Id\":\"big\",\"Body\":\"" + "x".repeat(20_000) + "\"}";
        BlobContent c = content("[" + otrf(1) + "," + big + "," + otrf(2) + "]");
        props.setMaxRecordSize(org.springframework.util.unit.DataSize.ofBytes(
                Math.max(utf8(otrf(1)).length, utf8(otrf(2)).length) + 10));

        List<RecordBatch> batches = drain(new BlobSplitter(mapper, props, clock()).batches(c));

        assertThat(raws(batches)).containsExactly(otrf(1), otrf(2));
        assertThat(defects(batches)).singleElement().satisfies(d -> {
            assertThat(d.reason()).contains("more than o365.max-record-size");
            assertThat(big).startsWith(d.payload().text());
        });
    }

    @Test
    void contentAfterTheClosingBracketIsAWholeBlobDefect() {
        // "[...] [...]" or "[...] junk" is not valid JSON; the records after "]" must not vanish silently
        String blob = "[" + otrf(1) + "]\n[" + otrf(2) + "]";
        BlobContent c = content(blob);

        List<RecordBatch> batches = drain(splitter(500).batches(c));

        assertThat(raws(batches)).startsWith(otrf(1));
        assertThat(defects(batches)).as("a defect for the text after the array")
                .anySatisfy(d -> assertThat(d.wholeBlob()).isTrue());
        assertThat(c.stats().blobRejected()).isTrue();
    }

    @Test
    void elementsThatAreNotObjectsAreRecordDefectsAndLaterRecordsStillCome() {
        String blob = "[" + otrf(1) + ",\"just a string\",42,[1,{\"Id\":\"nested\"}]," + otrf(2) + ",null," + otrf(3) + "]";
        BlobContent c = content(blob);

        List<RecordBatch> batches = drain(splitter(500).batches(c));

        assertThat(raws(batches)).containsExactly(otrf(1), otrf(2), otrf(3));
        List<BlobDefect> defects = defects(batches);
        assertThat(defects).hasSize(4).allSatisfy(d -> assertThat(d.wholeBlob()).isFalse());
        assertThat(defects).extracting(BlobDefect::reason).satisfiesExactly(
                r -> assertThat(r).contains("#1").contains("STRING"),
                r -> assertThat(r).contains("#2").contains("NUMBER"),
                r -> assertThat(r).contains("#3").contains("ARRAY"),
                r -> assertThat(r).contains("#5").contains("NULL"));
        assertThat(c.stats().blobRejected()).isFalse();
    }

    @Test
    void recordDefectPayloadIsTheWholeElementText() {
        String blob = "[\"just a string\",42,[1,{\"Id\":\"nested\"}]," + otrf(1) + "]";

        List<RecordBatch> batches = drain(splitter(500).batches(content(blob)));

        assertThat(raws(batches)).containsExactly(otrf(1));
        assertThat(defects(batches)).extracting(d -> d.payload().text())
                .containsExactly("\"just a string\"", "42", "[1,{\"Id\":\"nested\"}]");
    }

    @Test
    void topLevelObjectInsteadOfAnArrayIsAWholeBlobDefect() {
        BlobContent c = content(otrf(1));

        List<RecordBatch> batches = drain(splitter(500).batches(c));

        assertThat(raws(batches)).isEmpty();
        assertThat(defects(batches)).singleElement().satisfies(d -> {
            assertThat(d.wholeBlob()).isTrue();
            assertThat(d.reason()).contains("not a JSON array");
            assertThat(d.payload().text()).startsWith("{\"CreationTime\":\"2023-07-23T06:48:19\"");
        });
        assertThat(c.stats().blobRejected()).isTrue();
    }

    @Test
    void emptyBodyIsAWholeBlobDefect() {
        BlobContent c = content("");

        List<RecordBatch> batches = drain(splitter(500).batches(c));

        assertThat(raws(batches)).isEmpty();
        assertThat(defects(batches)).singleElement().satisfies(d -> {
            assertThat(d.wholeBlob()).isTrue();
            assertThat(d.reason()).contains("empty body");
        });
        assertThat(c.stats().blobRejected()).isTrue();
    }

    @Test
    void bodyThatIsNotJsonAtAllIsAWholeBlobDefect() {
        BlobContent c = content("<html><body>Service Unavailable</body></html>");

        List<RecordBatch> batches = drain(splitter(500).batches(c));

        assertThat(raws(batches)).isEmpty();
        assertThat(defects(batches)).singleElement().satisfies(d -> {
            assertThat(d.wholeBlob()).isTrue();
            assertThat(d.reason()).contains("not a JSON array");
            assertThat(d.payload().text()).contains("Service Unavailable");
        });
        assertThat(c.stats().blobRejected()).isTrue();
    }

    @Test
    void emptyArrayGivesNoBatchAndNoDefect() {
        BlobContent c = content(" [ \n ] ");

        Iterator<RecordBatch> it = splitter(500).batches(c);

        assertThat(it.hasNext()).isFalse();
        assertThat(c.stats().blobRejected()).isFalse();
    }

    @Test
    void refusedBlobYieldsOneWholeBlobDefectNamingTenantAndBlob() {
        ContentBlob blob = TestRecords.blob();
        BlobContent c = new BlobContent(TestRecords.tenant(), blob, null,
                "contentUri host evil.example.com is not the tenant's API host", new BlobStats(blob));

        List<RecordBatch> batches = drain(splitter(500).batches(c));

        assertThat(batches).singleElement().satisfies(b -> assertThat(b.records()).isEmpty());
        BlobDefect d = batches.get(0).defects().get(0);
        assertThat(batches.get(0).defects()).hasSize(1);
        assertThat(d.wholeBlob()).isTrue();
        assertThat(d.reason()).isEqualTo("contentUri host evil.example.com is not the tenant's API host");
        assertThat(d.payload().text()).isNull();
        assertThat(d.tenantId()).isEqualTo(TestRecords.TENANT_ID);
        assertThat(d.tenantName()).isEqualTo("contoso");
        assertThat(d.contentType()).isEqualTo("Audit.Exchange");
        assertThat(d.contentId()).isEqualTo(TestRecords.CONTENT_ID);
        assertThat(d.contentUri()).isEqualTo(TestRecords.CONTENT_URI);
        assertThat(d.at()).isEqualTo(NOW);
        assertThat(c.stats().blobRejected()).isTrue();
    }

    @Test
    void iteratorClosesTheInputStreamAtTheEnd() {
        TestRecords.CloseCountingStream body = new TestRecords.CloseCountingStream(
                "[" + otrf(1) + "," + otrf(2) + "," + otrf(3) + "," + otrf(4) + "]");
        Iterator<RecordBatch> it = splitter(2).batches(content(body));

        assertThat(it.next().records()).hasSize(2);
        assertThat(it.next().records()).hasSize(2);
        assertThat(it.hasNext()).isFalse();
        assertThat(body.closes.get()).isPositive();
    }

    @Test
    void iteratorClosesTheInputStreamAfterAWholeBlobDefect() {
        TestRecords.CloseCountingStream body = new TestRecords.CloseCountingStream("[" + otrf(1) + ",{\"Id\":");

        drain(splitter(500).batches(content(body)));

        assertThat(body.closes.get()).isPositive();
    }

    @Test
    void iteratorClosesTheInputStreamOfABodyThatIsNotAnArray() {
        TestRecords.CloseCountingStream body = new TestRecords.CloseCountingStream(otrf(1));

        drain(splitter(500).batches(content(body)));

        assertThat(body.closes.get()).isPositive();
    }

    @Test
    void nextAfterTheLastBatchThrows() {
        Iterator<RecordBatch> it = splitter(500).batches(content("[" + otrf(1) + "]"));

        it.next();

        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void aBodyThatBreaksOffFailsTheBlobUntilItsLastAttempt() {
        String blob = "[" + otrf(1) + "," + otrf(2).substring(0, 100);
        ContentBlob b = TestRecords.blob();
        BlobContent notLast = new BlobContent(TestRecords.tenant(), b,
                new java.io.ByteArrayInputStream(utf8(blob)), null, new BlobStats(b), false);

        assertThatThrownBy(() -> drain(splitter(500).batches(notLast)))
                .isInstanceOf(IncompleteBlobException.class).hasMessageContaining("fetched again");

        BlobContent last = new BlobContent(TestRecords.tenant(), b, new java.io.ByteArrayInputStream(utf8(blob)), null,
                new BlobStats(b), true);
        List<RecordBatch> batches = drain(splitter(500).batches(last));
        assertThat(raws(batches)).containsExactly(otrf(1));
        assertThat(defects(batches)).singleElement().satisfies(d -> assertThat(d.wholeBlob()).isTrue());
    }
}
