package org.o365audit.store;

import java.time.Instant;
import java.util.List;

/**
 * One query of the audit search (table audit_search_query, V15): the range and filters we asked for, why, and how far
 * it got. {@code graphId} is null until Microsoft accepted it; {@code nextLink} is where reading its records goes on.
 */
public record AuditSearchQuery(String id, String tenantId, String graphId, Instant from, Instant to,
        Filters filters, String reason, String status, String detail, boolean truncated, Instant createdAt,
        Instant submittingAt, Instant submittedAt, Instant polledAt, Instant finishedAt, long recordsStored, String nextLink,
        String parentId, String rootId) {

    public static final String PENDING = "pending";
    public static final String NOT_STARTED = "notStarted";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
    public static final String STORED = "stored";
    public static final String SPLIT = "split";
    /** Every status, in the order a query goes through them. */
    public static final List<String> STATUSES = List.of(PENDING, NOT_STARTED, RUNNING, SUCCEEDED, STORED, SPLIT,
            FAILED, CANCELLED);

    /** The optional filters of a query, as Graph's recordTypeFilters, serviceFilters, operationFilters, userPrincipalNameFilters. */
    public record Filters(List<String> recordTypes, List<String> services, List<String> operations, List<String> users) {
        public static final Filters NONE = new Filters(List.of(), List.of(), List.of(), List.of());

        public Filters {
            recordTypes = clean(recordTypes);
            services = clean(services);
            operations = clean(operations);
            users = clean(users);
        }

        /** From comma lists (JMX), each may be empty or null. */
        public static Filters ofCommaLists(String recordTypes, String services, String operations, String users) {
            return new Filters(split(recordTypes), split(services), split(operations), split(users));
        }

        static List<String> split(String commaList) {
            return commaList == null ? List.of() : List.of(commaList.split(","));
        }

        private static List<String> clean(List<String> values) {
            return values == null ? List.of() : values.stream().filter(v -> v != null && !v.isBlank()).map(String::trim)
                    .distinct().toList();
        }
    }

    /** Submitted and not finished: counts against Microsoft's queued-or-running limit. */
    public boolean active() {
        return NOT_STARTED.equals(status) || RUNNING.equals(status);
    }
}
