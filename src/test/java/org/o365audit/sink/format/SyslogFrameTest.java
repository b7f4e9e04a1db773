package org.o365audit.sink.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.o365audit.sink.SinkRecord;

class SyslogFrameTest {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private final SyslogFrame syslog = new SyslogFrame();
    private final SyslogOptions options = SyslogOptions.defaults().withHostname("collector.example");

    @Test
    void successfulRecordGivesAnInformationalLogAuditMessage() {
        SinkRecord r = Corpus.find("otrf-security-datasets-m365.ndjson", "8b30644e-adc3-430a-9e1b-08db59217c9f");
        byte[] message = syslog.message(r, "{}", options);

        String expectedHead = "<110>1 2023-05-20T11:00:56.000Z collector.example o365-audit - AUDIT "
                + "[o365@32473 id=\"8b30644e-adc3-430a-9e1b-08db59217c9f\" tenant=\"contoso\" ws=\"Exchange\""
                + " op=\"Set-Mailbox\"] ";
        assertThat(message).isEqualTo(concat(ascii(expectedHead), BOM, ascii("{}")));
    }

    @Test
    void failedRecordIsAWarning() {
        SinkRecord r = Corpus.find("otrf-security-datasets-m365.ndjson", "2eaee53c-1a71-468b-ae64-3b61f5770600");

        assertThat(text(syslog.message(r, "x", options))).startsWith("<108>1 2023-07-23T12:13:33.000Z ");
    }

    @Test
    void facilityIsConfigurable() {
        SinkRecord r = Corpus.find("otrf-security-datasets-m365.ndjson", "8b30644e-adc3-430a-9e1b-08db59217c9f");
        SyslogOptions local0 = new SyslogOptions(16, "h", null, null, null, true);

        assertThat(text(syslog.message(r, "x", local0))).startsWith("<134>1 ");
    }

    @Test
    void frameIsPrefixedWithItsOctetCountIncludingBomAndMultiByteText() {
        SinkRecord r = Corpus.record("{\"Id\":\"1\",\"Operation\":\"op\",\"CreationTime\":\"2024-05-01T12:00:00\"}");
        String msg = "Grüße 😀 ✓"; // 10 chars, 16 octets: ü and ß take 2, the emoji 4, the check mark 3
        String head = "<110>1 2024-05-01T12:00:00.000Z collector.example o365-audit - AUDIT"
                + " [o365@32473 id=\"1\" tenant=\"contoso\" op=\"op\"]";
        byte[] frame = syslog.frame(r, msg, options);

        int octets = head.length() + 1 + 3 + 16;
        assertThat(frame).isEqualTo(concat(ascii(octets + " " + head + " "), BOM, msg.getBytes(StandardCharsets.UTF_8)));
        assertThat(syslog.message(r, msg, options)).hasSize(octets);
    }

    @Test
    void lineBreaksStayInsideTheCountedFrame() {
        SinkRecord r = Corpus.record("{\"Id\":\"1\"}");
        byte[] frame = syslog.frame(r, "line1\nline2\n", options);
        String s = text(frame);
        int space = s.indexOf(' ');

        assertThat(Integer.parseInt(s.substring(0, space))).isEqualTo(frame.length - space - 1);
        assertThat(s).endsWith("line1\nline2\n");
    }

    @Test
    void timestampHasExactlyThreeFractionalDigitsInUtc() {
        SinkRecord r = Corpus.record("{\"Id\":\"1\",\"CreationTime\":\"2024-05-01T12:00:00.1234567\"}");

        assertThat(text(syslog.message(r, null, options))).startsWith("<110>1 2024-05-01T12:00:00.123Z ");
    }

    @Test
    void timestampFallsBackToCollectionTime() {
        SinkRecord r = Corpus.record("{\"Id\":\"1\",\"CreationTime\":\"yesterday\"}");

        assertThat(text(syslog.message(r, null, options))).startsWith("<110>1 2024-03-01T12:00:00.000Z ");
    }

    @Test
    void noTimeAtAllIsTheNilValue() {
        SinkRecord r = new SinkRecord(1, 1, "t", "n", "Audit.General", "1", null, null, null, null, null, null,
                null, null, null, null, null, "{\"Id\":\"1\"}");

        assertThat(text(syslog.message(r, null, options))).startsWith("<110>1 - collector.example ");
    }

    @Test
    void structuredDataEscapesQuoteBackslashAndBracket() {
        SinkRecord r = Corpus.record("{\"Id\":\"a\\\"b\",\"Operation\":\"x]y\\\\z\",\"Workload\":\"[w]\"}", "t\"1");

        assertThat(SyslogFrame.structuredData(r, "o365@32473"))
                .isEqualTo("[o365@32473 id=\"a\\\"b\" tenant=\"t\\\"1\" ws=\"[w\\]\" op=\"x\\]y\\\\z\"]");
    }

    @Test
    void structuredDataLeavesOutAbsentParameters() {
        SinkRecord r = Corpus.record("{\"Id\":\"1\"}", null);

        assertThat(SyslogFrame.structuredData(r, "o365@32473")).isEqualTo("[o365@32473 id=\"1\"]");
    }

    @Test
    void structuredDataKeepsUtf8() {
        SinkRecord r = Corpus.record("{\"Id\":\"1\"}", "Müller AG");
        String s = text(syslog.message(r, null, options));

        assertThat(s).contains("tenant=\"Müller AG\"");
    }

    @Test
    void withoutBomTheMessageIsTheTextAlone() {
        SinkRecord r = Corpus.record("{\"Id\":\"1\"}");
        SyslogOptions noBom = new SyslogOptions(13, "h", null, null, null, false);

        assertThat(text(syslog.message(r, "hi", noBom))).endsWith("[o365@32473 id=\"1\" tenant=\"contoso\"] hi");
    }

    @Test
    void withoutMsgTheMessageEndsAfterStructuredData() {
        SinkRecord r = Corpus.record("{\"Id\":\"1\"}");

        assertThat(text(syslog.message(r, null, options))).endsWith("tenant=\"contoso\"]");
    }

    @Test
    void headerFieldsKeepOnlyPrintableAsciiAndAreCapped() {
        assertThat(SyslogFrame.headerField("my host\tname", 255)).isEqualTo("myhostname");
        assertThat(SyslogFrame.headerField("hôte", 255)).isEqualTo("hte");
        assertThat(SyslogFrame.headerField("a".repeat(300), 255)).hasSize(255);
        assertThat(SyslogFrame.headerField("A".repeat(40), 32)).hasSize(32);
        assertThat(SyslogFrame.headerField("", 48)).isEqualTo("-");
        assertThat(SyslogFrame.headerField(" \u00e9 ", 48)).isEqualTo("-");
        assertThat(SyslogFrame.headerField(null, 48)).isEqualTo("-");
    }

    @Test
    void headerUsesTheCapsForAppNameAndMsgId() {
        SinkRecord r = Corpus.record("{\"Id\":\"1\"}");
        SyslogOptions o = new SyslogOptions(13, null, "x".repeat(60), "M".repeat(40), null, true);

        assertThat(text(syslog.message(r, null, o)))
                .contains(" - " + "x".repeat(48) + " - " + "M".repeat(32) + " [o365@32473 ");
    }

    @Test
    void framesAreConcatenatedInOrder() {
        SinkRecord a = Corpus.record("{\"Id\":\"a\"}");
        SinkRecord b = Corpus.record("{\"Id\":\"b\"}");
        byte[] fa = syslog.frame(a, "1", options);
        byte[] fb = syslog.frame(b, "2", options);

        assertThat(SyslogFrame.frames(List.of(fa, fb))).isEqualTo(concat(fa, fb));
        assertThat(SyslogFrame.frames(List.of())).isEmpty();
    }

    @Test
    void optionsFillDefaults() {
        SyslogOptions d = SyslogOptions.defaults();

        assertThat(d.facility()).isEqualTo(13);
        assertThat(d.hostname()).isNull();
        assertThat(d.appName()).isEqualTo("o365-audit");
        assertThat(d.msgId()).isEqualTo("AUDIT");
        assertThat(d.sdId()).isEqualTo("o365@32473");
        assertThat(d.bom()).isTrue();
    }

    @Test
    void optionsRefuseBadFacilityAndSdId() {
        assertThatThrownBy(() -> new SyslogOptions(24, null, null, null, null, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("facility");
        for (String bad : new String[] {"o365", "o 365@1", "o365=@1", "o365]@1", "o\"365@1", "@32473", "x".repeat(30) + "@32473"}) {
            assertThatThrownBy(() -> new SyslogOptions(13, null, null, null, bad, true))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SD-ID");
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        byte[] out = new byte[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
