package org.o365audit.sink.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.o365audit.sink.SinkRecord;

class CefFormatTest {
    private static final Pattern KEY = Pattern.compile("(?:^| )([A-Za-z0-9]+)=");
    private final CefFormat cef = new CefFormat();

    @Test
    void exchangeAdminRecordGivesTheDocumentedLine() {
        SinkRecord r = Corpus.find("otrf-security-datasets-m365.ndjson", "8b30644e-adc3-430a-9e1b-08db59217c9f");

        assertThat(cef.format(r)).isEqualTo("CEF:0|Microsoft|Office 365|1|Set-Mailbox|Set-Mailbox|3|"
                + "rt=1684580456000 externalId=8b30644e-adc3-430a-9e1b-08db59217c9f"
                + " deviceExternalId=8d4121ed-0008-406d-bff9-0d5bb312183c act=Set-Mailbox outcome=True cat=Exchange"
                + " suser=stinger@contoso.onmicrosoft.com suid=10032002643F6746 src=104.28.196.199 spt=17145"
                + " cs1Label=RecordType cs1=1 cs2Label=UserType cs2=2 cs3Label=Tenant cs3=contoso");
    }

    @Test
    void failedSignInHasSeverityFiveAndItsIpv6InC6a1() {
        SinkRecord r = Corpus.find("otrf-security-datasets-m365.ndjson", "2eaee53c-1a71-468b-ae64-3b61f5770600");
        String line = cef.format(r);

        assertThat(header(line)).containsExactly("CEF:0", "Microsoft", "Office 365", "1", "UserLoginFailed",
                "UserLoginFailed", "5");
        Map<String, String> ext = extension(line);
        assertThat(ext).contains(
                entry("rt", "1690114413000"),
                entry("externalId", "2eaee53c-1a71-468b-ae64-3b61f5770600"),
                entry("act", "UserLoginFailed"),
                entry("outcome", "Failed"),
                entry("cat", "AzureActiveDirectory"),
                entry("suser", "Henrietta@contoso.onmicrosoft.com"),
                entry("suid", "e4ad2d28-703e-4189-9752-6b827ef9107d"),
                entry("c6a1Label", "ClientIP"),
                entry("c6a1", "2a09:bac5:114:105::1a:9b"),
                entry("cs1", "15"));
        assertThat(ext).doesNotContainKeys("src", "spt", "duser", "request", "fname");
    }

    @Test
    void bracketedIpv6KeepsItsPort() {
        SinkRecord r = Corpus.find("otrf-security-datasets-m365.ndjson", "7d1a3ff8-825a-4ddf-4215-08db8b48cccf");

        assertThat(extension(cef.format(r)))
                .contains(entry("c6a1", "2a09:bac5:111:105::1a:89"), entry("spt", "25138"))
                .doesNotContainKey("src");
    }

    @Test
    void mappedIpv4GoesToSrc() {
        SinkRecord r = Corpus.find("ms-office-365-management-api-docs.ndjson", "\"ClientIP\":\"::ffff:10.11.0.229\"");

        assertThat(extension(cef.format(r))).contains(entry("src", "10.11.0.229")).doesNotContainKey("c6a1");
    }

    @Test
    void sharePointFileRecordCarriesUrlAndFileName() {
        SinkRecord r = Corpus.find("synthetic-templates.ndjson", "\"Operation\":\"FileDownloaded\"");

        assertThat(extension(cef.format(r))).contains(
                entry("request", "https://contoso.sharepoint.com/sites/Finance/Shared Documents/Budget 2026.xlsx"),
                entry("fname", "Budget 2026.xlsx"),
                entry("suid", "i:0h.f|membership|10032001a1b2c3d4@live.com"),
                entry("src", "203.0.113.24"));
    }

    @Test
    void directoryChangeNamesTheTargetUser() {
        SinkRecord r = Corpus.find("otrf-security-datasets-m365.ndjson", "632c63c7-551a-4ef8-b043-3012e49e709d");

        assertThat(extension(cef.format(r))).containsEntry("duser", "stinger@contoso.onmicrosoft.com");
    }

    @Test
    void mailboxAccessNamesTheMailboxOwner() {
        SinkRecord r = Corpus.find("panther-analysis-schema-tests.ndjson", "MailItemsAccessed");

        assertThat(extension(cef.format(r))).containsEntry("duser", "user.name@companyinc.onmicrosoft.com")
                .containsEntry("c6a1", "2603:10b6:5:127::10");
    }

    @Test
    void signInsDoNotTakeTheResourceAppAsTargetUser() {
        SinkRecord r = Corpus.find("otrf-security-datasets-m365.ndjson", "UserLoggedIn");

        assertThat(extension(cef.format(r))).doesNotContainKey("duser");
    }

    @Test
    void headerEscapesPipeAndBackslash() {
        SinkRecord r = Corpus.record("{\"Id\":\"1\",\"Operation\":\"Get|Item\\\\All\",\"Version\":\"2|b\"}");
        String line = cef.format(r);

        assertThat(line).startsWith("CEF:0|Microsoft|Office 365|2\\|b|Get\\|Item\\\\All|Get\\|Item\\\\All|3|");
        assertThat(header(line)).containsExactly("CEF:0", "Microsoft", "Office 365", "2|b", "Get|Item\\All",
                "Get|Item\\All", "3");
    }

    @Test
    void headerTurnsLineBreaksIntoSpaces() {
        SinkRecord r = Corpus.record("{\"Id\":\"1\",\"Operation\":\"a\\r\\nb\"}");

        assertThat(cef.format(r)).startsWith("CEF:0|Microsoft|Office 365|1|a  b|a  b|3|").doesNotContain("\n");
    }

    @Test
    void extensionEscapesEqualsBackslashAndLineBreaksButNotPipe() {
        SinkRecord r = Corpus.record("{\"Id\":\"1\",\"Operation\":\"op\",\"UserId\":\"a=b\\\\c|d\\r\\ne\","
                + "\"SourceFileName\":\"x cs9=y.txt\"}");
        String line = cef.format(r);

        assertThat(line).contains("suser=a\\=b\\\\c|d\\r\\ne ").contains("fname=x cs9\\=y.txt");
        assertThat(line).doesNotContain("\n").doesNotContain("\r");
        assertThat(extension(line)).contains(entry("suser", "a=b\\c|d\r\ne"), entry("fname", "x cs9=y.txt"))
                .doesNotContainKey("cs9");
    }

    @Test
    void valuesAreCutToTheDictionaryLengthsBeforeEscaping() {
        String longOp = "O".repeat(100);
        String id = "=".repeat(50);
        SinkRecord r = Corpus.record("{\"Id\":\"" + id + "\",\"Operation\":\"" + longOp + "\",\"UserId\":\""
                + "u".repeat(2000) + "\",\"OrganizationId\":\"" + "g".repeat(300) + "\"}");
        Map<String, String> ext = extension(cef.format(r));

        assertThat(ext.get("externalId")).isEqualTo("=".repeat(40));
        assertThat(ext.get("act")).hasSize(63);
        assertThat(ext.get("suser")).hasSize(1023);
        assertThat(ext.get("deviceExternalId")).hasSize(255);
        assertThat(header(cef.format(r)).get(4)).isEqualTo(longOp);
    }

    @Test
    void cuttingNeverSplitsASurrogatePair() {
        String user = "u".repeat(1022) + "\uD83D\uDE00";
        SinkRecord r = Corpus.record("{\"Id\":\"1\",\"Operation\":\"op\",\"UserId\":\"" + user + "\"}");

        assertThat(extension(cef.format(r)).get("suser")).isEqualTo("u".repeat(1022));
    }

    @Test
    void absentValuesLeaveTheirKeysOut() {
        SinkRecord r = Corpus.record("{\"Id\":\"1\",\"Operation\":\"op\",\"ClientIP\":\"<null>\",\"ObjectId\":\"Unknown\"}",
                null);

        assertThat(extension(cef.format(r)).keySet()).containsExactly("rt", "externalId", "act");
    }

    @Test
    void versionDefaultsToOneAndOperationToUnknown() {
        SinkRecord r = Corpus.record("{\"Id\":\"1\"}");

        assertThat(cef.format(r)).startsWith("CEF:0|Microsoft|Office 365|1|Unknown|Unknown|3|");
    }

    /** The seven header fields, unescaped. */
    static List<String> header(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        int i = 0;
        for (; i < line.length() && fields.size() < 7; i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                f.append(line.charAt(++i));
            } else if (c == '|') {
                fields.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        return fields;
    }

    /** The extension as a receiver splits it: at each " key=", where '=' in a value is always escaped. */
    static Map<String, String> extension(String line) {
        String ext = line.substring(nthPipe(line, 7) + 1);
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = KEY.matcher(ext);
        List<int[]> keys = new ArrayList<>();
        while (m.find()) {
            keys.add(new int[] {m.start(1), m.end(1), m.end()});
        }
        for (int k = 0; k < keys.size(); k++) {
            int valueEnd = k + 1 < keys.size() ? keys.get(k + 1)[0] - 1 : ext.length();
            out.put(ext.substring(keys.get(k)[0], keys.get(k)[1]), unescape(ext.substring(keys.get(k)[2], valueEnd)));
        }
        return out;
    }

    private static int nthPipe(String line, int n) {
        for (int i = 0, seen = 0; i < line.length(); i++) {
            if (line.charAt(i) == '\\') {
                i++;
            } else if (line.charAt(i) == '|' && ++seen == n) {
                return i;
            }
        }
        throw new AssertionError("fewer than " + n + " header separators: " + line);
    }

    private static String unescape(String v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                char n = v.charAt(++i);
                b.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
