package org.o365audit.sink.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.o365audit.sink.format.HecReply.Action;

class HecReplyTest {

    @Test
    void successIsOk() {
        HecReply r = HecReply.parse(200, bytes("{\"text\":\"Success\",\"code\":0}"));

        assertThat(r.action()).isEqualTo(Action.OK);
        assertThat(r.code()).isZero();
        assertThat(r.text()).isEqualTo("Success");
        assertThat(r.ackId()).isNull();
    }

    @Test
    void successWithAcksCarriesTheAckId() {
        HecReply r = HecReply.parse(200, bytes("{\"text\":\"Success\",\"code\":0,\"ackId\":42}"));

        assertThat(r.action()).isEqualTo(Action.OK);
        assertThat(r.ackId()).isEqualTo(42L);
    }

    @Test
    void invalidDataFormatNamesTheEventToSetAside() {
        HecReply r = HecReply.parse(400, bytes("{\"text\":\"Invalid data format\",\"code\":6,\"invalid-event-number\":3}"));

        assertThat(r.action()).isEqualTo(Action.INVALID_EVENT);
        assertThat(r.invalidEventNumber()).isEqualTo(3);
    }

    @Test
    void invalidDataFormatWithoutPositionIsABug() {
        assertThat(HecReply.parse(400, bytes("{\"text\":\"Invalid data format\",\"code\":6}")).action())
                .isEqualTo(Action.BUG);
    }

    @ParameterizedTest(name = "HTTP {0} code {1} -> {2}")
    @CsvSource({
            "500, 8, RETRY", "503, 9, RETRY",
            "403, 1, CONFIG", "401, 2, CONFIG", "401, 3, CONFIG", "403, 4, CONFIG", "400, 7, CONFIG",
            "400, 10, CONFIG", "400, 11, CONFIG", "400, 14, CONFIG", "400, 16, CONFIG", "400, 21, CONFIG",
            "400, 22, CONFIG",
            "400, 5, BUG", "400, 12, BUG", "400, 13, BUG", "400, 15, BUG",
            "503, 18, RETRY", "400, 99, CONFIG", "200, 17, OK"})
    void codesAreClassifiedPerTheTable(int http, int code, Action action) {
        HecReply r = HecReply.parse(http, bytes("{\"text\":\"t\",\"code\":" + code + "}"));

        assertThat(r.action()).isEqualTo(action);
        assertThat(r.code()).isEqualTo(code);
        assertThat(r.httpStatus()).isEqualTo(http);
    }

    @ParameterizedTest(name = "HTTP {0} without HEC body -> {1}")
    @CsvSource({"502, RETRY", "503, RETRY", "504, RETRY", "429, RETRY", "408, RETRY", "413, TOO_LARGE", "404, CONFIG",
            "301, CONFIG", "200, OK"})
    void withoutACodeTheHttpStatusDecides(int http, Action action) {
        HecReply r = HecReply.parse(http, bytes("<html><body>Bad Gateway</body></html>"));

        assertThat(r.action()).isEqualTo(action);
        assertThat(r.code()).isNull();
        assertThat(r.text()).contains("Bad Gateway");
    }

    @Test
    void tooLargeIsToldApartWhateverTheBody() {
        assertThat(HecReply.parse(413, bytes("{\"text\":\"Content too large\",\"code\":27}")).action())
                .isEqualTo(Action.TOO_LARGE);
        assertThat(HecReply.parse(413, null).action()).isEqualTo(Action.TOO_LARGE);
    }

    @Test
    void emptyBodyIsJudgedByStatus() {
        assertThat(HecReply.parse(503, new byte[0]).action()).isEqualTo(Action.RETRY);
        assertThat(HecReply.parse(401, null).action()).isEqualTo(Action.CONFIG);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
