package org.o365audit.sink.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import static org.o365audit.sink.format.HostileRecords.READ_BACK_ONE_LINE;
import static org.o365audit.sink.format.HostileRecords.URL_PREFIX;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.o365audit.sink.SinkRecord;

class LeefFormatTest {
    private static final String HEADER_END = "|x09|";
    private final LeefFormat leef = new LeefFormat();

    @Test
    void sharePointDownloadGivesTheDocumentedLine() {
        SinkRecord r = Corpus.find("synthetic-templates.ndjson", "\"Operation\":\"FileDownloaded\"");
        String url = "https://contoso.sharepoint.com/sites/Finance/Shared Documents/Budget 2026.xlsx";

        assertThat(leef.format(r)).isEqualTo("LEEF:2.0|Microsoft|Office 365|1|FileDownloaded|x09|"
                + "devTime=1767225600000\tcat=SharePoint\tsev=3\tusrName=megan.bowen@contoso.onmicrosoft.com"
                + "\tsrc=203.0.113.24\tresource=" + url + "\turl=" + url + "\tdomain=contoso.onmicrosoft.com"
                + "\to365Id=00000000-0000-0000-0000-000000000001\torgId=00000000-0000-0000-0000-000000000000"
                + "\trecordType=6\ttenant=contoso\toutcome=success");
    }

    @Test
    void failedSignInCarriesSeverityStatusAndIpv6Source() {
        SinkRecord r = Corpus.find("otrf-security-datasets-m365.ndjson", "2eaee53c-1a71-468b-ae64-3b61f5770600");

        assertThat(attributes(leef.format(r))).contains(
                entry("devTime", "1690114413000"),
                entry("cat", "AzureActiveDirectory"),
                entry("sev", "5"),
                entry("usrName", "Henrietta@contoso.onmicrosoft.com"),
                entry("src", "2a09:bac5:114:105::1a:9b"),
                entry("resource", "Unknown"),
                entry("domain", "contoso.onmicrosoft.com"),
                entry("resultStatus", "Failed"),
                entry("outcome", "failure"),
                entry("recordType", "15"),
                entry("orgId", "8d4121ed-0008-406d-bff9-0d5bb312183c"))
                .doesNotContainKeys("srcPort", "url", "policy");
    }

    @Test
    void clientPortGoesToSrcPort() {
        SinkRecord r = Corpus.find("otrf-security-datasets-m365.ndjson", "8b30644e-adc3-430a-9e1b-08db59217c9f");

        assertThat(attributes(leef.format(r))).contains(entry("src", "104.28.196.199"), entry("srcPort", "17145"));
    }

    @Test
    void dlpMatchNamesItsPolicy() {
        SinkRecord r = Corpus.find("synthetic-templates.ndjson", "\"Operation\":\"DlpRuleMatch\"", "\"Workload\":\"SharePoint\"");

        assertThat(attributes(leef.format(r))).containsEntry("policy", "U.S. Financial Data");
    }

    @Test
    void severalDlpPoliciesAreListedOnce() {
        SinkRecord r = Corpus.record("{\"Id\":\"1\",\"Operation\":\"DlpRuleMatch\",\"PolicyDetails\":["
                + "{\"PolicyName\":\"GDPR\"},{\"PolicyName\":\"PCI\"},{\"PolicyName\":\"GDPR\"},{\"PolicyId\":\"x\"}]}");

        assertThat(attributes(leef.format(r))).containsEntry("policy", "GDPR, PCI");
    }

    @Test
    void tabsAndLineBreaksInValuesBecomeSpaces() {
        SinkRecord r = Corpus.record("{\"Id\":\"1\",\"Operation\":\"op\",\"UserId\":\"a\\tb\\r\\nc=d|e^f\"}");
        String line = leef.format(r);

        assertThat(line).doesNotContain("\n").doesNotContain("\r");
        assertThat(attributes(line)).containsEntry("usrName", "a b  c=d|e^f");
    }

    @Test
    void eventIdLosesPipesTabsAndLineBreaks() {
        SinkRecord r = Corpus.record("{\"Id\":\"1\",\"Operation\":\"Set|Thing\\tNow\\n\"}");

        assertThat(leef.format(r)).startsWith("LEEF:2.0|Microsoft|Office 365|1|Set Thing Now |x09|devTime=");
    }

    @Test
    void eventIdIsCutTo255Characters() {
        SinkRecord r = Corpus.record("{\"Id\":\"1\",\"Operation\":\"" + "E".repeat(300) + "\"}");
        String line = leef.format(r);

        assertThat(line).startsWith("LEEF:2.0|Microsoft|Office 365|1|" + "E".repeat(255) + HEADER_END);
    }

    @Test
    void eventIdIsTheOperationAndSoTheSameForEveryRecordOfThatKind() {
        SinkRecord a = Corpus.find("otrf-security-datasets-m365.ndjson", "2eaee53c-1a71-468b-ae64-3b61f5770600");
        SinkRecord b = Corpus.find("otrf-security-datasets-m365.ndjson", "f3d31ad2-1cd5-4a62-a296-b11e0d250700");

        assertThat(eventId(leef.format(a))).isEqualTo("UserLoginFailed").isEqualTo(eventId(leef.format(b)));
    }

    @Test
    void userNameIsCutTo255() {
        SinkRecord r = Corpus.record("{\"Id\":\"1\",\"Operation\":\"op\",\"UserId\":\"" + "u".repeat(300) + "\"}");

        assertThat(attributes(leef.format(r)).get("usrName")).hasSize(255);
    }

    @Test
    void absentValuesLeaveTheirKeysOut() {
        SinkRecord r = Corpus.record("{\"Id\":\"1\",\"Operation\":\"op\",\"UserId\":\"SYSTEM\"}", null);

        assertThat(attributes(leef.format(r)).keySet()).containsExactly("devTime", "cat", "sev", "usrName", "o365Id",
                "outcome");
    }

    @Test
    void everyHostileFieldReadsBackWithOnlyTabsLineBreaksAndControlsReplaced() {
        LeefLine line = LeefLine.read(leef.format(HostileRecords.everyFieldHostile()));

        assertThat(line.header()).containsExactly("LEEF:2.0", "Microsoft", "Office 365", "1",
                READ_BACK_ONE_LINE.replace('|', ' '));
        assertThat(line.attributes()).containsOnlyKeys("devTime", "cat", "sev", "usrName", "resource", "url", "policy",
                "domain", "o365Id", "orgId", "recordType", "resultStatus", "tenant", "outcome");
        assertThat(line.attributes()).contains(
                entry("devTime", "1714564800000"),
                entry("cat", READ_BACK_ONE_LINE),
                entry("sev", "3"),
                entry("usrName", READ_BACK_ONE_LINE + "@" + READ_BACK_ONE_LINE),
                entry("resource", URL_PREFIX + READ_BACK_ONE_LINE),
                entry("url", URL_PREFIX + READ_BACK_ONE_LINE),
                entry("policy", READ_BACK_ONE_LINE + ", PCI"),
                entry("domain", READ_BACK_ONE_LINE),
                entry("o365Id", READ_BACK_ONE_LINE),
                entry("orgId", READ_BACK_ONE_LINE),
                entry("recordType", READ_BACK_ONE_LINE),
                entry("resultStatus", READ_BACK_ONE_LINE),
                entry("tenant", READ_BACK_ONE_LINE),
                entry("outcome", "success"));
    }

    @Test
    void nulAndOtherControlsBecomeTheReplacementCharacterAndTabASpace() {
        SinkRecord r = HostileRecords.with("UserId", "a\u0000b\u0001c\u001Fd\u007Fe\u0085f\tg\u000Bh\u000Ci\rj\nk");

        assertThat(LeefLine.read(leef.format(r)).attributes())
                .containsEntry("usrName", "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf g h i j k");
    }

    @Test
    void unpairedSurrogatesBecomeTheReplacementCharacterSoTheLineIsUtf8() {
        SinkRecord r = HostileRecords.with("UserId", "x\uDC00y\uD800");

        assertThat(LeefLine.read(leef.format(r)).attributes()).containsEntry("usrName", "x\uFFFDy\uFFFD");
    }

    @Test
    void aClientIpThatIsNoAddressGivesNoSourceRatherThanAForgedOne() {
        SinkRecord r = HostileRecords.with("ClientIP", "203.0.113.7\tsrc=10.0.0.1");

        assertThat(LeefLine.read(leef.format(r)).attributes()).doesNotContainKeys("src", "srcPort");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "pair ending exactly at 255 is kept; 253; \uD83D\uDE00; \uD83D\uDE00",
            "pair across 255 is dropped whole;   254; \uD83D\uDE00; ''",
            "backslash at 255 is kept;           254; \\;          \\",
            "equals sign at 255 is kept;         254; ==;           ="})
    void userNameAndEventIdAreCutAt255WithoutSplittingAPair(String name, int prefix, String tail, String kept) {
        String value = "u".repeat(prefix) + tail;
        LeefLine line = LeefLine.read(leef.format(HostileRecords.with("UserId", value, "Operation", value)));

        assertThat(line.attributes()).containsEntry("usrName", "u".repeat(prefix) + kept);
        assertThat(line.eventId()).isEqualTo("u".repeat(prefix) + kept);
    }

    @Test
    void aRecordWithoutResultStatusSaysSuccessAndOneWithoutWorkloadHasItsContentTypeAsCategory() {
        Map<String, String> attrs = LeefLine.read(leef.format(HostileRecords.with("UserId", "u"))).attributes();

        assertThat(attrs).containsEntry("outcome", "success").containsEntry("cat", "Audit.General")
                .doesNotContainKey("resultStatus");
    }

    @Test
    void outcomeComesLastSoTrimmingTheLineCannotShortenRecordData() {
        SinkRecord r = HostileRecords.with("UserId", "u", "ResultStatus", "Failed");

        assertThat(leef.format(r)).endsWith("\toutcome=failure");
    }

    private static String eventId(String line) {
        return LeefLine.read(line).eventId();
    }

    /** The attributes after the header, split at tabs and at the first '=' of each. */
    static Map<String, String> attributes(String line) {
        return LeefLine.read(line).attributes();
    }
}
