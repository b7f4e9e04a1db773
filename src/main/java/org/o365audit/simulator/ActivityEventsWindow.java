package org.o365audit.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;

/**
 * The {@code startDateTime}/{@code endDateTime} of a first activity-events call, by the documented
 * rules: ISO-8601 UTC in single quotes, both within the same UTC day, start no more than 28 days back.
 * Both ends are inclusive, as Microsoft's own example asks for {@code 00:00:00} to {@code 23:59:59}.
 */
record ActivityEventsWindow(Instant start, Instant end) {

    /** The current reference says 28 days; older pages and samples said 30. */
    static final Duration MAX_AGE = Duration.ofDays(28);

    /** {@code 2019-08-31T00:00:00}, also with a fraction ({@code .000}) and a trailing {@code Z}. */
    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .optionalStart().appendLiteral('Z').optionalEnd()
            .toFormatter();

    static ActivityEventsWindow of(String startParam, String endParam, Instant now) {
        if (startParam == null || endParam == null) {
            throw invalid("Both startDateTime and endDateTime must be provided, or a continuationToken alone.");
        }
        Instant start = parse("startDateTime", startParam);
        Instant end = parse("endDateTime", endParam);
        if (!start.truncatedTo(ChronoUnit.DAYS).equals(end.truncatedTo(ChronoUnit.DAYS))) {
            throw invalid("startDateTime and endDateTime must be within the same UTC day.");
        }
        if (end.isBefore(start)) {
            throw invalid("startDateTime must not be after endDateTime.");
        }
        if (start.isBefore(now.minus(MAX_AGE))) {
            throw invalid("startDateTime must be within the last 28 days.");
        }
        return new ActivityEventsWindow(start, end);
    }

    /** Unquoted dates are refused: the quotes are part of the documented syntax. */
    private static Instant parse(String name, String quoted) {
        String value = quoted.trim();
        if (value.length() < 2 || value.charAt(0) != '\'' || value.charAt(value.length() - 1) != '\'') {
            throw invalid(name + " must be an ISO 8601 UTC date time in single quotes, e.g. '2019-08-31T00:00:00'.");
        }
        try {
            return LocalDateTime.parse(value.substring(1, value.length() - 1), FORMAT).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw invalid(name + " is not a valid ISO 8601 UTC date time: " + value + ".");
        }
    }

    static ApiError invalid(String message) {
        return ApiError.badRequest("InvalidRequest", message);
    }
}
