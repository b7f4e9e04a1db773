package org.o365audit.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HostileRecordsTest {
    private static final String TENANT = "8d4121ed-0008-406d-bff9-0d5bb312183c";
    /** Jackson as an application would use it, defaults included, as a second opinion on the JSON text. */
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, Element> cases = HostileRecords.all(TENANT, 7).stream()
            .collect(Collectors.toMap(Element::name, Function.identity()));

    @Test
    void holdsEveryCaseOnceUnderItsName() {
        assertThat(cases).hasSize(HostileRecords.all(TENANT, 7).size()).containsKeys(
                "Workload of 100 KB", "ClientIP of 200 KB", "UserId as an object", "Workload as an array",
                "RecordType 99999999999 (overflows int)", "RecordType -5", "RecordType \"ExchangeAdmin\"", "RecordType \"15\"",
                "CreationTime garbage", "CreationTime +999999999-12-31T23:59:59", "CreationTime 9999-12-31T23:59:59",
                "CreationTime 0001-01-01T00:00:00", "CreationTime missing", "Id as a JSON number", "Id of 600 characters",
                "Id as an object", "Id missing", "Id \"\"", "\\u0000 in a value", "unpaired surrogate \\ud800 in a nested value",
                "terminal escapes in Operation and UserId", "5000 fields", "nesting depth 200", "non-ASCII values",
                "invalid UTF-8 (C3 28, FF) in a value", "raw control character 0x01 in a value", "bare string element",
                "number element", "null element", "nested array element");
        assertThat(HostileRecords.textCases(TENANT, 7)).hasSize(37);
        assertThat(HostileElements.cases(TENANT, 7)).hasSize(6)
                .allSatisfy(e -> assertThat(e.expectation()).isEqualTo(Expectation.QUARANTINED));
    }

    @Test
    void isDeterministicPerTenantAndSeed() {
        List<Element> again = HostileRecords.all(TENANT, 7);
        List<Element> first = HostileRecords.all(TENANT, 7);
        for (int i = 0; i < first.size(); i++) {
            assertThat(again.get(i).name()).isEqualTo(first.get(i).name());
            assertThat(again.get(i).bytes()).as(first.get(i).name()).isEqualTo(first.get(i).bytes());
        }
        assertThat(storedIds(HostileRecords.all(TENANT, 8))).doesNotContainAnyElementsOf(storedIds(first));
        assertThat(storedIds(HostileRecords.all("another-tenant", 7))).doesNotContainAnyElementsOf(storedIds(first));
    }

    @Test
    void everyStoredRecordHasAnIdOfItsOwn() {
        assertThat(storedIds(HostileRecords.all(TENANT, 7))).doesNotHaveDuplicates().hasSize(28);
    }

    @Test
    void everyStoredCaseIsAJsonObjectWithItsId() throws Exception {
        for (Element e : HostileRecords.all(TENANT, 7)) {
            if (e.expectation() == Expectation.STORED) {
                JsonNode j = JSON.readTree(e.bytes());
                assertThat(j.isObject()).as(e.name()).isTrue();
                assertThat(j.get("Id").asText()).as(e.name()).isEqualTo(e.storedId());
            }
        }
    }

    @Test
    void textCasesAreTheirTextExactly() {
        for (Element e : HostileRecords.textCases(TENANT, 7)) {
            assertThat(e.text().getBytes(StandardCharsets.UTF_8)).as(e.name()).isEqualTo(e.bytes());
        }
    }

    @Test
    void theRuleAgreesWithEveryHandWrittenLabel() {
        for (Element e : HostileRecords.all(TENANT, 7)) {
            assertThat(QuarantineRule.storedId(e.bytes())).as(e.name()).isEqualTo(Optional.ofNullable(e.storedId()));
        }
    }

    @Test
    void longValuesHaveTheirSize() throws Exception {
        for (String field : List.of("Workload", "Operation", "UserId", "ClientIP")) {
            assertThat(field(field + " of 100 KB", field).textValue()).hasSize(100 * 1024);
            assertThat(field(field + " of 200 KB", field).textValue()).hasSize(200 * 1024);
        }
    }

    @Test
    void theLongIdIsSixHundredCharacters() throws Exception {
        assertThat(field("Id of 600 characters", "Id").textValue()).hasSize(600);
        assertThat(cases.get("Id of 600 characters").expectation()).isEqualTo(Expectation.QUARANTINED);
    }

    @Test
    void wrongTypesAreWhatTheySay() throws Exception {
        assertThat(field("Operation as an object", "Operation").isObject()).isTrue();
        assertThat(field("UserId as an array", "UserId").isArray()).isTrue();
        assertThat(field("RecordType 99999999999 (overflows int)", "RecordType").canConvertToInt()).isFalse();
        assertThat(field("RecordType \"15\"", "RecordType").isTextual()).isTrue();
        assertThat(field("Id as an object", "Id").isObject()).isTrue();
        assertThat(field("Id as a JSON number", "Id").isIntegralNumber()).isTrue();
        assertThat(field("Id as a JSON number", "Id").asText()).isEqualTo(cases.get("Id as a JSON number").storedId());
        assertThat(JSON.readTree(cases.get("Id missing").bytes()).has("Id")).isFalse();
        assertThat(JSON.readTree(cases.get("CreationTime missing").bytes()).has("CreationTime")).isFalse();
    }

    @Test
    void escapesDecodeToTheCharactersTheyNameOnly() throws Exception {
        assertThat(cases.get("\\u0000 in a value").text()).contains("\\u0000").doesNotContain("\0");
        assertThat(field("\\u0000 in a value", "Operation").textValue()).contains("\0");
        assertThat(field("unpaired surrogate \\ud800 in a nested value", "Parameters").get(0).get("Value").textValue())
                .contains("\ud800");
        assertThat(field("terminal escapes in Operation and UserId", "Operation").textValue()).contains("\u001b[31m");
        assertThat(field("terminal escapes in Operation and UserId", "UserId").textValue()).contains("\u001b]0;title\u0007");
        assertThat(field("non-ASCII values", "UserId").textValue()).contains("山田太郎");
        assertThat(field("non-ASCII values", "Parameters").get(0).get("Value").textValue()).startsWith("😀");
    }

    @Test
    void wideAndDeepRecordsAreAsWideAndDeepAsNamed() throws Exception {
        assertThat(JSON.readTree(cases.get("5000 fields").bytes()).size()).isEqualTo(5000);
        assertThat(depth(JSON.readTree(cases.get("nesting depth 200").bytes()))).isEqualTo(200);
    }

    @Test
    void byteLevelElementsAreWhatTheySay() throws Exception {
        byte[] invalid = cases.get("invalid UTF-8 (C3 28, FF) in a value").bytes();
        assertThatThrownBy(() -> strictUtf8(invalid)).isInstanceOf(CharacterCodingException.class);
        assertThat(indexOf(invalid, HostileElements.INVALID_UTF8)).isPositive();
        byte[] control = cases.get("raw control character 0x01 in a value").bytes();
        assertThat(strictUtf8(control)).contains("stin\u0001ger");
        assertThatThrownBy(() -> JSON.readTree(control)).isInstanceOf(java.io.IOException.class);
        assertThat(JSON.readTree(cases.get("bare string element").bytes()).isTextual()).isTrue();
        assertThat(JSON.readTree(cases.get("number element").bytes()).isNumber()).isTrue();
        assertThat(JSON.readTree(cases.get("null element").bytes()).isNull()).isTrue();
        JsonNode nested = JSON.readTree(cases.get("nested array element").bytes());
        assertThat(nested.isArray()).isTrue();
        assertThat(nested.get(0).get("Id").isTextual()).isTrue();
    }

    @Test
    void countsAddUp() {
        List<Element> all = HostileRecords.all(TENANT, 7);
        BlobBody body = BlobBody.of(all);
        assertThat(body.expectedStoredIds().size() + body.expectedQuarantined()).isEqualTo(all.size());
        assertThat(body.expectedQuarantined()).isEqualTo(15);   // 9 text cases about the Id, NUL or surrogates + 6 byte-level
    }

    private JsonNode field(String caseName, String field) throws Exception {
        return JSON.readTree(cases.get(caseName).bytes()).get(field);
    }

    private static List<String> storedIds(List<Element> elements) {
        return elements.stream().map(Element::storedId).filter(id -> id != null).toList();
    }

    private static int depth(JsonNode node) {
        int deepest = 0;
        for (JsonNode child : node) {
            deepest = Math.max(deepest, depth(child));
        }
        return node.isContainerNode() ? deepest + 1 : 0;
    }

    static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
