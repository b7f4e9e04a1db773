package org.o365audit.collect;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Parses CreationTime as UTC. The API writes it without a zone and without fractions
 * ({@code 2015-06-29T20:03:19}); other producers add a Z, an offset, fractions or a space for the T.
 */
public final class CreationTimes {
    private CreationTimes() {
    }

    /** The instant, or null when the text is missing or not a time we recognise. Never throws. */
    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.trim().replace(' ', 'T');
        Instant plain = plain(s);
        if (plain != null) {
            return plain;
        }
        try {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // not zone-less; try with a zone
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException ignored) {
            return null;
        }
    }

    /**
     * The API's own shape, yyyy-MM-ddTHH:mm:ss, read without a formatter (it is on every record); null when the
     * text has another shape or no such date, for the formatters to decide.
     */
    private static Instant plain(String s) {
        if (s.length() != 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException noSuchTime) {
            return null;
        }
    }

    /** The number the ASCII digits from {@code from} to {@code to} make, or -1 when one is no digit. */
    private static int digits(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + c - '0';
        }
        return n;
    }
}
