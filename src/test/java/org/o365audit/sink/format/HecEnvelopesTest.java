package org.o365audit.sink.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.o365audit.sink.SinkRecord;

class HecEnvelopesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HecEnvelopes hec = new HecEnvelopes();
    private final String signInRaw = Corpus.line("otrf-security-datasets-m365.ndjson", "2eaee53c-1a71-468b-ae64-3b61f5770600");
    private final SinkRecord signIn = Corpus.record(signInRaw);
    private final SinkRecord mailbox = Corpus.find("otrf-security-datasets-m365.ndjson", "8b30644e-adc3-430a-9e1b-08db59217c9f");

    @Test
    void envelopeCarriesTheRecordVerbatimAsEvent() {
        String body = text(hec.body(List.of(signIn), HecOptions.defaults()));

        assertThat(signInRaw).contains("Mozilla\\/5.0"); // the API's \/ escape, lost by any re-serialisation
        assertThat(body).isEqualTo("{\"time\":1690114413.000,\"source\":\"Audit.AzureActiveDirectory\","
                + "\"sourcetype\":\"o365:management:activity\",\"event\":" + signInRaw
                + ",\"fields\":{\"tenant\":\"contoso\",\"app\":\"" + signIn.getApp() + "\","
                + "\"content_type\":\"Audit.AzureActiveDirectory\"}}");
    }

    @Test
    void envelopesFollowOneAnotherSeparatedByNewlineWithoutArray() throws Exception {
        String body = text(hec.body(List.of(signIn, mailbox), HecOptions.defaults()));
        String[] lines = body.split("\n", -1);

        assertThat(body).doesNotStartWith("[").doesNotEndWith("\n");
        assertThat(lines).hasSize(2);
        assertThat(JSON.readTree(lines[0]).at("/event/Id").asText()).isEqualTo("2eaee53c-1a71-468b-ae64-3b61f5770600");
        assertThat(JSON.readTree(lines[1]).at("/event/Id").asText()).isEqualTo("8b30644e-adc3-430a-9e1b-08db59217c9f");
    }

    @Test
    void optionsSetHostIndexSourceAndSourcetype() throws Exception {
        JsonNode e = JSON.readTree(hec.body(List.of(signIn), new HecOptions("my:type", "o365", "collector", "host-1")));

        assertThat(e.get("host").asText()).isEqualTo("host-1");
        assertThat(e.get("index").asText()).isEqualTo("o365");
        assertThat(e.get("source").asText()).isEqualTo("collector");
        assertThat(e.get("sourcetype").asText()).isEqualTo("my:type");
    }

    @Test
    void blankOptionsAreLeftToTheToken() throws Exception {
        JsonNode e = JSON.readTree(hec.body(List.of(signIn), new HecOptions(" ", "", null, " ")));

        assertThat(e.has("host")).isFalse();
        assertThat(e.has("index")).isFalse();
        assertThat(e.get("sourcetype").asText()).isEqualTo("o365:management:activity");
    }

    @Test
    void timeIsEpochSecondsWithThreeDecimals() {
        assertThat(HecEnvelopes.time(Instant.parse("2024-05-01T12:00:00Z"))).isEqualTo("1714564800.000");
        assertThat(HecEnvelopes.time(Instant.parse("2024-05-01T12:00:00.5Z"))).isEqualTo("1714564800.500");
        assertThat(HecEnvelopes.time(Instant.parse("2024-05-01T12:00:00.123456Z"))).isEqualTo("1714564800.123");
        assertThat(HecEnvelopes.time(Instant.parse("1969-12-31T23:59:58.750Z"))).isEqualTo("-1.250");
    }

    @Test
    void timeFallsBackToCollectionTime() throws Exception {
        SinkRecord r = Corpus.record("{\"Id\":\"1\"}");

        assertThat(JSON.readTree(hec.body(List.of(r), HecOptions.defaults())).get("time").decimalValue())
                .isEqualByComparingTo("1709294400.000");
    }

    @Test
    void fieldsAreAFlatObjectOfStrings() throws Exception {
        JsonNode fields = JSON.readTree(hec.body(List.of(mailbox), HecOptions.defaults())).get("fields");

        assertThat(fields.size()).isEqualTo(3);
        fields.forEach(f -> assertThat(f.isTextual()).isTrue());
        assertThat(fields.get("content_type").asText()).isEqualTo("Audit.Exchange");
    }

    @Test
    void rawThatIsNotJsonIsSentAsText() throws Exception {
        SinkRecord broken = Corpus.record("{\"Id\":\"1\", truncated");
        byte[] body = hec.body(List.of(broken, mailbox), HecOptions.defaults());
        String[] lines = text(body).split("\n");

        assertThat(JSON.readTree(lines[0]).get("event").asText()).isEqualTo("{\"Id\":\"1\", truncated");
        assertThat(JSON.readTree(lines[1]).at("/event/Operation").asText()).isEqualTo("Set-Mailbox");
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
