package org.o365audit.sink.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
                + "\trecordType=6\ttenant=contoso");
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

        assertThat(attributes(leef.format(r)).keySet()).containsExactly("devTime", "sev", "usrName", "o365Id");
    }

    private static String eventId(String line) {
        return line.split("\\|")[4];
    }

    /** The attributes after the header, split at tabs and at the first '=' of each. */
    static Map<String, String> attributes(String line) {
        int start = line.indexOf(HEADER_END);
        assertThat(start).as("LEEF 2.0 header with tab delimiter").isPositive();
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : line.substring(start + HEADER_END.length()).split("\t", -1)) {
            int eq = pair.indexOf('=');
            assertThat(eq).as("key=value in " + pair).isPositive();
            assertThat(out.put(pair.substring(0, eq), pair.substring(eq + 1))).as("duplicate key").isNull();
        }
        return out;
    }
}
