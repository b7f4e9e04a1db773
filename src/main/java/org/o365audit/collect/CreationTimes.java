package org.o365audit.collect;

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
}
