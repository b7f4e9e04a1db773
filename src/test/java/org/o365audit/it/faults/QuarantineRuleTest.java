package org.o365audit.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QuarantineRuleTest {

    @Test
    void storesARecordUnderItsStringOrNumberId() {
        assertThat(id("{\"Id\":\"a-1\",\"Operation\":{\"x\":[]}}")).contains("a-1");
        assertThat(id(" {\"Id\":123456789} ")).contains("123456789");
    }

    @Test
    void idsUpTo512CharactersAreStored() {
        assertThat(id("{\"Id\":\"" + "x".repeat(512) + "\"}")).isPresent();
        assertThat(id("{\"Id\":\"" + "😀".repeat(512) + "\"}")).as("characters, not UTF-16 units").isPresent();
        assertThat(id("{\"Id\":\"" + "x".repeat(513) + "\"}")).isEmpty();
    }

    @Test
    void quarantinesIdsThatCannotKeyARecord() {
        assertThat(id("{\"Operation\":\"x\"}")).isEmpty();
        assertThat(id("{\"Id\":\"\"}")).isEmpty();
        assertThat(id("{\"Id\":\" \"}")).isEmpty();
        assertThat(id("{\"Id\":null}")).isEmpty();
        assertThat(id("{\"Id\":true}")).isEmpty();
        assertThat(id("{\"Id\":[\"a\"]}")).isEmpty();
    }

    @Test
    void quarantinesNulAndUnpairedSurrogatesAtAnyDepthInKeysAndValues() {
        assertThat(id("{\"Id\":\"a\",\"x\":[{\"y\":\"\\u0000\"}]}")).isEmpty();
        assertThat(id("{\"Id\":\"a\",\"x\":[{\"\\u0000\":1}]}")).isEmpty();
        assertThat(id("{\"Id\":\"a\",\"x\":\"\\ud800\"}")).isEmpty();
        assertThat(id("{\"Id\":\"a\",\"x\":\"lone \\udc00 low\"}")).isEmpty();
        assertThat(id("{\"Id\":\"a\",\"x\":\"\\ude00\\ud83d\"}")).as("a pair in the wrong order").isEmpty();
        assertThat(id("{\"Id\":\"a\",\"x\":\"end\\ud83d\"}")).isEmpty();
        assertThat(id("{\"Id\":\"a\",\"x\":\"\\ud83d\\ude00 \\u0001\"}")).as("a surrogate pair and other controls are fine").contains("a");
    }

    @Test
    void quarantinesWhatIsNotOneJsonObject() {
        assertThat(id("{\"Id\":\"a\"")).isEmpty();
        assertThat(id("{\"Id\":\"a\"} {\"Id\":\"b\"}")).isEmpty();
        assertThat(id("[{\"Id\":\"a\"}]")).isEmpty();
        assertThat(id("\"{\\\"Id\\\":\\\"a\\\"}\"")).isEmpty();
        assertThat(id("")).isEmpty();
        assertThat(QuarantineRule.storedId(new byte[] {'{', '"', 'I', 'd', '"', ':', '"', (byte) 0xFF, '"', '}'})).isEmpty();
    }

    private static Optional<String> id(String json) {
        return QuarantineRule.storedId(json.getBytes(StandardCharsets.UTF_8));
    }
}
