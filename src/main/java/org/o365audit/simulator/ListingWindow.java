package org.o365audit.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/**
 * The {@code startTime}/{@code endTime} of a content listing, validated by the API's rules: both or
 * neither, at most 24 h apart, start no more than 7 days back (the real service allows about one
 * more hour), start before end. Neither means the 24 hours before the request.
 *
 * @param startText as given (or as computed when omitted), repeated verbatim in NextPageUri
 */
record ListingWindow(Instant start, Instant end, String startText, String endText) {

    static final Duration MAX_SPAN = Duration.ofHours(24);
    static final Duration MAX_AGE = Duration.ofDays(7);
    static final Duration AGE_GRACE = Duration.ofHours(1);

    static final String AF20030_MESSAGE = "StartTime and EndTime must both be present or absent, be no more than"
            + " 24 hours apart, and startTime no more than 7 days in the past.";
    static final String AF20055_MESSAGE = "StartTime and EndTime must both be present or absent, be no more than"
            + " 24 hours apart, startTime must be before endTime, and startTime no more than 7 days in the past.";

    /** YYYY-MM-DD, YYYY-MM-DDTHH:MM, YYYY-MM-DDTHH:MM:SS; also tolerated: fraction and Z or an offset. */
    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').appendPattern("HH:mm")
            .optionalStart().appendLiteral(':').appendPattern("ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalEnd()
            .optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
            .parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
            .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0)
            .toFormatter();

    static ListingWindow of(String startParam, String endParam, Instant now) {
        boolean hasStart = startParam != null && !startParam.isEmpty();
        boolean hasEnd = endParam != null && !endParam.isEmpty();
        if (!hasStart && !hasEnd) {
            Instant start = now.minus(MAX_SPAN);
            return new ListingWindow(start, now, Json.RECORD_TIME.format(start), Json.RECORD_TIME.format(now));
        }
        if (hasStart != hasEnd) {
            throw ApiError.badRequest("AF20030", AF20030_MESSAGE);
        }
        Instant start = parse("startTime", startParam);
        Instant end = parse("endTime", endParam);
        if (!start.isBefore(end)) {
            throw ApiError.badRequest("AF20055", AF20055_MESSAGE);
        }
        if (Duration.between(start, end).compareTo(MAX_SPAN) > 0
                || start.isBefore(now.minus(MAX_AGE).minus(AGE_GRACE))) {
            throw ApiError.badRequest("AF20030", AF20030_MESSAGE);
        }
        return new ListingWindow(start, end, startParam, endParam);
    }

    static Instant parse(String name, String value) {
        try {
            TemporalAccessor parsed = FORMAT.parse(value.trim());
            LocalDateTime local = LocalDateTime.from(parsed);
            ZoneOffset offset = parsed.isSupported(ChronoField.OFFSET_SECONDS)
                    ? ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS))
                    : ZoneOffset.UTC;
            return local.toInstant(offset);
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("AF20002", "Invalid parameter type: " + name + ". Expected type: datetime.");
        }
    }
}
