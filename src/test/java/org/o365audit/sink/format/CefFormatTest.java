package org.o365audit.sink.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import static org.o365audit.sink.format.HostileRecords.HOSTILE;
import static org.o365audit.sink.format.HostileRecords.READ_BACK;
import static org.o365audit.sink.format.HostileRecords.READ_BACK_ONE_LINE;
import static org.o365audit.sink.format.HostileRecords.URL_PREFIX;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.o365audit.sink.SinkRecord;

class CefFormatTest {
    private final CefFormat cef = new CefFormat();

    @Test
    void exchangeAdminRecordGivesTheDocumentedLine() {
        SinkRecord r = Corpus.find("otrf-security-datasets-m365.ndjson", "8b30644e-adc3-430a-9e1b-08db59217c9f");

        assertThat(cef.format(r)).isEqualTo("CEF:0|Microsoft|Office 365|1|Set-Mailbox|Set-Mailbox|3|"
                + "rt=1684580456000 externalId=8b30644e-adc3-430a-9e1b-08db59217c9f"
                + " deviceExternalId=8d4121ed-0008-406d-bff9-0d5bb312183c act=Set-Mailbox cat=Exchange"
                + " suser=stinger@contoso.onmicrosoft.com suid=10032002643F6746 src=104.28.196.199 spt=17145"
                + " cs1Label=RecordType cs1=1 cs2Label=UserType cs2=2 cs3Label=Tenant cs3=contoso"
                + " cs4Label=ResultStatus cs4=True outcome=success");
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
                entry("outcome", "failure"),
                entry("cs4Label", "ResultStatus"),
                entry("cs4", "Failed"),
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

        assertThat(extension(cef.format(r)).keySet()).containsExactly("rt", "externalId", "act", "cat", "outcome");
    }

    @Test
    void versionDefaultsToOneAndOperationToUnknown() {
        SinkRecord r = Corpus.record("{\"Id\":\"1\"}");

        assertThat(cef.format(r)).startsWith("CEF:0|Microsoft|Office 365|1|Unknown|Unknown|3|");
    }

    @Test
    void everyHostileFieldReadsBackAsWrittenAndNoKeyIsSwallowed() {
        CefLine line = CefLine.read(cef.format(HostileRecords.everyFieldHostile()));

        assertThat(line.header()).containsExactly("CEF:0", "Microsoft", "Office 365", READ_BACK_ONE_LINE,
                READ_BACK_ONE_LINE, READ_BACK_ONE_LINE, "3");
        assertThat(line.extension()).containsOnlyKeys("rt", "externalId", "deviceExternalId", "act", "cat", "suser",
                "suid", "duser", "request", "fname", "cs1Label", "cs1", "cs2Label", "cs2", "cs3Label", "cs3", "cs4Label",
                "cs4", "cs5Label", "cs5", "outcome");
        assertThat(line.extension()).contains(
                entry("rt", "1714564800000"),
                entry("externalId", READ_BACK),
                entry("deviceExternalId", READ_BACK),
                entry("act", READ_BACK),
                entry("cat", READ_BACK),
                entry("suser", READ_BACK + "@" + READ_BACK),
                entry("suid", READ_BACK),
                entry("duser", READ_BACK),
                entry("request", URL_PREFIX + READ_BACK),
                entry("fname", READ_BACK),
                entry("cs1", READ_BACK),
                entry("cs2", READ_BACK),
                entry("cs3", READ_BACK),
                entry("cs4Label", "ResultStatus"),
                entry("cs4", READ_BACK),
                entry("cs5Label", "DlpPolicy"),
                entry("cs5", READ_BACK + ", PCI"),
                entry("outcome", "success"));
    }

    @Test
    void lineBreaksTravelEscapedAndNoControlCharacterIsLeftRaw() {
        String line = cef.format(HostileRecords.everyFieldHostile());

        assertThat(line).contains("suid=a\\=b|c\\\\d\\r\\ne f\uFFFDg");
        assertThat(line.chars().filter(c -> c < 0x20 || (c >= 0x7F && c <= 0x9F))).isEmpty();
    }

    @Test
    void nulAndOtherControlsBecomeTheReplacementCharacterAndTabASpace() {
        SinkRecord r = HostileRecords.with("UserId", "a\u0000b\u0001c\u001Fd\u007Fe\u0085f\tg\u000Bh\u000Ci");

        assertThat(extension(cef.format(r))).containsEntry("suser", "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf g h i");
    }

    @Test
    void unpairedSurrogatesBecomeTheReplacementCharacterSoTheLineIsUtf8() {
        SinkRecord r = HostileRecords.with("UserId", "x\uDC00y\uD800");

        assertThat(extension(cef.format(r))).containsEntry("suser", "x\uFFFDy\uFFFD");
    }

    @Test
    void leadingAndInnerTrailingSpacesSurviveAndOutcomeComesLast() {
        SinkRecord r = HostileRecords.with("UserId", "  two before, two after  ", "UserKey", "k  ");
        CefLine line = CefLine.read(cef.format(r));

        assertThat(line.extension()).containsEntry("suser", "  two before, two after  ").containsEntry("suid", "k  ");
        assertThat(List.copyOf(line.extension().keySet())).last().isEqualTo("outcome");
    }

    @Test
    void aClientIpThatIsNoAddressGivesNoSourceRatherThanAForgedOne() {
        SinkRecord r = HostileRecords.with("ClientIP", "203.0.113.7 src=10.0.0.1");

        assertThat(extension(cef.format(r))).doesNotContainKeys("src", "spt", "c6a1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "pair ending exactly at 1023 is kept;    1021; \uD83D\uDE00; \uD83D\uDE00",
            "pair across 1023 is dropped whole;      1022; \uD83D\uDE00; ''",
            "backslash exactly at 1023 is kept;      1022; \\;          \\",
            "cut between backslash and equals;       1022; \\=;         \\",
            "cut right after an equals sign;         1022; ==;            ="})
    void cuttingAtTheDictionaryLengthHappensBeforeEscaping(String name, int prefix, String tail, String kept) {
        String user = "u".repeat(prefix) + tail;
        SinkRecord r = HostileRecords.with("UserId", user, "UserKey", "next");

        assertThat(extension(cef.format(r))).containsEntry("suser", "u".repeat(prefix) + kept)
                .containsEntry("suid", "next");
    }

    @Test
    void actIsCutAt63WithoutSplittingAPairWhileTheHeaderKeepsTheWholeOperation() {
        String op = "O".repeat(62) + "\uD83D\uDE00";
        CefLine line = CefLine.read(cef.format(HostileRecords.with("Operation", op)));

        assertThat(line.extension()).containsEntry("act", "O".repeat(62));
        assertThat(line.header().get(4)).isEqualTo(op);
    }

    @Test
    void aRecordWithoutResultStatusSaysSuccessAndOneWithoutWorkloadHasItsContentTypeAsCategory() {
        Map<String, String> ext = extension(cef.format(HostileRecords.with("UserId", "u")));

        assertThat(ext).containsEntry("outcome", "success").containsEntry("cat", "Audit.General")
                .doesNotContainKey("cs4");
    }

    /** The seven header fields, unescaped. */
    static List<String> header(String line) {
        return CefLine.read(line).header();
    }

    /** The extension as a receiver following the standard reads it. */
    static Map<String, String> extension(String line) {
        return CefLine.read(line).extension();
    }
}
