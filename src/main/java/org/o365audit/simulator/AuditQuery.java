package org.o365audit.simulator;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query options of an {@code audits} request that the simulator understands: a createdon range
 * ({@code createdon ge <instant> and createdon lt <instant>}) and {@code $orderby=createdon asc}.
 * {@code $select} and {@code $top} are accepted and ignored (with maxpagesize the service ignores $top);
 * {@code $skip} is refused, as Dataverse does not support it.
 *
 * @param filter  the {@code $filter} as sent, which a nextLink must repeat unchanged
 * @param orderBy the {@code $orderby} as sent, or null
 */
record AuditQuery(Instant from, Instant to, String filter, String orderBy) {

    private static final Pattern RANGE = Pattern.compile(
            "^\\s*createdon\\s+ge\\s+(\\S+)\\s+and\\s+createdon\\s+lt\\s+(\\S+)\\s*$");
    private static final Pattern CREATEDON_ASC = Pattern.compile("^\\s*createdon(\\s+asc)?\\s*$");

    static AuditQuery of(SimRequest request) {
        if (request.param("$skip") != null) {
            throw invalid("The query parameter $skip is not supported.");
        }
        String filter = request.param("$filter");
        if (filter == null) {
            throw invalid("This simulator needs $filter=createdon ge <instant> and createdon lt <instant>.");
        }
        Matcher range = RANGE.matcher(filter);
        if (!range.matches()) {
            throw invalid("This simulator only understands $filter=createdon ge <instant> and createdon lt"
                    + " <instant>, got: " + filter);
        }
        String orderBy = request.param("$orderby");
        if (orderBy != null && !CREATEDON_ASC.matcher(orderBy).matches()) {
            throw invalid("This simulator only understands $orderby=createdon asc, got: " + orderBy);
        }
        return new AuditQuery(instant(range.group(1)), instant(range.group(2)), filter, orderBy);
    }

    /** True when a nextLink call repeats the query of the page that issued its token. */
    boolean sameAs(AuditQuery other) {
        return filter.equals(other.filter) && Objects.equals(orderBy, other.orderBy);
    }

    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid("'" + text + "' is not a valid Edm.DateTimeOffset.");
        }
    }

    /** 400 with an OData error body, as Dataverse answers a query it cannot run; the code is the simulator's choice. */
    static ApiError invalid(String message) {
        return ApiError.badRequest("0x80060888", message);
    }
}
