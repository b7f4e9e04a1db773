package org.o365audit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Microsoft Purview's audit log as Graph's audit log query API (beta) searches it for one simulated tenant: the
 * records to find (each a Management API record, returned as a Graph auditLogRecord whose auditData it is), and the
 * queries submitted. A query is notStarted when submitted, running from its first GET and succeeded at its
 * {@link #completeAfterPolls}th GET; its result is what matched at submission, oldest first, cut at the
 * {@link #recordLimit} (then isRecordCountLimitExceeded). Submissions beyond {@link #maxSubmissions} answer 429.
 * Thread-safe; tests change it while the collector runs.
 */
public final class SimulatedAuditSearch {
    private final List<ObjectNode> records = new CopyOnWriteArrayList<>();
    private final Map<String, Query> queries = new ConcurrentHashMap<>();
    private final AtomicInteger submissions = new AtomicInteger();
    private volatile int completeAfterPolls = 2;
    private volatile int pageSize = 100;
    private volatile int recordLimit = 1_000_000;
    private volatile int maxSubmissions = 200;

    /** A query as the service keeps it. */
    static final class Query {
        final String id = UUID.randomUUID().toString();
        final JsonNode request;
        final List<ObjectNode> result;
        final boolean truncated;
        final AtomicInteger gets = new AtomicInteger();

        Query(JsonNode request, List<ObjectNode> result, boolean truncated) {
            this.request = request;
            this.result = result;
            this.truncated = truncated;
        }
    }

    /** A Management API record (JSON with Id, CreationTime, Operation, Workload, UserId, RecordType) to be found. */
    public void addRecord(String managementRecord) {
        ObjectNode data;
        try {
            data = (ObjectNode) Json.MAPPER.readTree(managementRecord);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode r = Json.object();
        r.put("id", data.path("Id").asText());
        r.put("createdDateTime", Instant.parse(data.path("CreationTime").asText() + (data.path("CreationTime").asText()
                .endsWith("Z") ? "" : "Z")).toString());
        r.put("auditLogRecordType", data.path("RecordType").asText());
        r.put("operation", data.path("Operation").asText());
        r.put("organizationId", data.path("OrganizationId").asText());
        r.put("service", data.path("Workload").asText());
        r.put("userPrincipalName", data.path("UserId").asText());
        r.set("auditData", data);
        records.add(r);
    }

    /** A record exactly as given (e.g. one without auditData, as the service should never send). */
    public void addGraphRecord(String graphRecord) {
        try {
            records.add((ObjectNode) Json.MAPPER.readTree(graphRecord));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many GETs of a query it takes to succeed (Integer.MAX_VALUE: it keeps running until set lower). */
    public void completeAfterPolls(int n) {
        completeAfterPolls = n;
    }

    public void pageSize(int n) {
        pageSize = n;
    }

    /** The most records a query returns; more matching ones set isRecordCountLimitExceeded. */
    public void recordLimit(int n) {
        recordLimit = n;
    }

    /** Submissions accepted in all; later ones answer 429 (Microsoft: about 200 in 24 hours). */
    public void maxSubmissions(int n) {
        maxSubmissions = n;
    }

    /** POSTs of queries received, accepted or not. */
    public int submissions() {
        return submissions.get();
    }

    /** The bodies of the queries accepted. */
    public List<JsonNode> submitted() {
        return queries.values().stream().map(q -> q.request).toList();
    }

    Query submit(JsonNode request) {
        if (submissions.incrementAndGet() > maxSubmissions) {
            return null;
        }
        Instant from = time(request, "filterStartDateTime");
        Instant to = time(request, "filterEndDateTime");
        List<ObjectNode> matching = new ArrayList<>(records.stream()
                .filter(r -> !Instant.parse(r.path("createdDateTime").asText()).isBefore(from)
                        && Instant.parse(r.path("createdDateTime").asText()).isBefore(to))
                .filter(r -> matches(request, "recordTypeFilters", r, "auditLogRecordType")
                        && matches(request, "serviceFilters", r, "service")
                        && matches(request, "operationFilters", r, "operation")
                        && matches(request, "userPrincipalNameFilters", r, "userPrincipalName"))
                .sorted(Comparator.comparing(r -> r.path("createdDateTime").asText())).toList());
        boolean truncated = matching.size() > recordLimit;
        Query q = new Query(request, truncated ? List.copyOf(matching.subList(0, recordLimit)) : List.copyOf(matching),
                truncated);
        queries.put(q.id, q);
        return q;
    }

    java.util.Collection<Query> queries() {
        return queries.values();
    }

    Query query(String id) {
        return queries.get(id);
    }

    /** The query's status after one more GET (counted when {@code counted}). */
    String status(Query q, boolean counted) {
        int gets = counted ? q.gets.incrementAndGet() : q.gets.get();
        if (gets >= completeAfterPolls) {
            return "succeeded";
        }
        return gets == 0 ? "notStarted" : "running";
    }

    int pageSize() {
        return pageSize;
    }

    static Instant time(JsonNode request, String field) {
        String v = request.path(field).asText("");
        try {
            return OffsetDateTime.parse(v).withOffsetSameInstant(ZoneOffset.UTC).toInstant();
        } catch (RuntimeException e) {
            throw new GraphApi.GraphError(400, "BadRequest", "Invalid value '" + v + "' for property '" + field + "'.");
        }
    }

    private static boolean matches(JsonNode request, String filter, ObjectNode record, String field) {
        JsonNode values = request.path(filter);
        if (!values.isArray() || values.isEmpty()) {
            return true;
        }
        for (JsonNode v : values) {
            if (v.asText().equalsIgnoreCase(record.path(field).asText())) {
                return true;
            }
        }
        return false;
    }
}
