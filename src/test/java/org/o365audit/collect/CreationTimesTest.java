package org.o365audit.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CreationTimesTest {
    private static final Instant T = Instant.parse("2015-06-29T20:03:19Z");

    @Test
    void nullIsNull() {
        assertThat(CreationTimes.parse(null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n"})
    void blankIsNull(String text) {
        assertThat(CreationTimes.parse(text)).isNull();
    }

    @Test
    void apiFormatWithoutZoneIsUtc() {
        assertThat(CreationTimes.parse("2015-06-29T20:03:19")).isEqualTo(T);
    }

    @Test
    void trailingZIsUtc() {
        assertThat(CreationTimes.parse("2015-06-29T20:03:19Z")).isEqualTo(T);
    }

    @Test
    void offsetsAreApplied() {
        assertThat(CreationTimes.parse("2015-06-29T22:03:19+02:00")).isEqualTo(T);
        assertThat(CreationTimes.parse("2015-06-29T15:03:19-05:00")).isEqualTo(T);
        assertThat(CreationTimes.parse("2015-06-29T20:03:19+00:00")).isEqualTo(T);
    }

    @Test
    void fractionsAreKept() {
        assertThat(CreationTimes.parse("2015-06-29T20:03:19.000Z")).isEqualTo(T);
        assertThat(CreationTimes.parse("2015-06-29T20:03:19.5")).isEqualTo(T.plusMillis(500));
        // .NET writes seven fraction digits
        assertThat(CreationTimes.parse("2015-06-29T20:03:19.1234567")).isEqualTo(T.plusNanos(123_456_700));
        assertThat(CreationTimes.parse("2015-06-29T22:03:19.25+02:00")).isEqualTo(T.plusMillis(250));
    }

    @Test
    void spaceInsteadOfTIsAccepted() {
        assertThat(CreationTimes.parse("2015-06-29 20:03:19")).isEqualTo(T);
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertThat(CreationTimes.parse("  2015-06-29T20:03:19 \n")).isEqualTo(T);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a time", "06/29/2015 20:03:19", "2015-13-45T99:00:00", "1435608199",
            "2015-06-29T20:03:19+25:00", "T"})
    void unrecognisedTextIsNullAndNeverThrows(String text) {
        assertThatCode(() -> CreationTimes.parse(text)).doesNotThrowAnyException();
        assertThat(CreationTimes.parse(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-29T23:59:59", "2023-02-29T00:00:00", "2023-04-31T00:00:00", "2015-06-29T24:00:00",
            "2015-06-29T20:60:00", "2015-06-29T20:03:60", "0000-01-01T00:00:00", "9999-12-31T23:59:59", "2015-06-29T2O:03:19",
            "2015-06-29T20:03:1a", "+2015-06-29T20:03", "2015-00-10T00:00:00", "2015-06-00T00:00:00"})
    void theApiShapeReadsAsTheIsoFormatterReadsIt(String text) {
        Instant iso;
        try {
            iso = java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException e) {
            iso = null;
        }
        assertThat(CreationTimes.parse(text)).isEqualTo(iso);
    }
}
