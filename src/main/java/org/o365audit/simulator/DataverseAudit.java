package org.o365audit.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Objects;

/** One row of a Dataverse {@code audits} table: the JSON object as added, its key, its time and its visibility. */
record DataverseAudit(String auditId, Instant createdOn, Instant visibleFrom, String json) {

    /** Rows in {@code $orderby=createdon asc} order; the key breaks ties so pages are deterministic. */
    static final Comparator<DataverseAudit> ORDER =
            Comparator.comparing(DataverseAudit::createdOn).thenComparing(DataverseAudit::auditId);

    static DataverseAudit parse(String json, Instant visibleFrom) {
        Objects.requireNonNull(visibleFrom, "visibleFrom");
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("an audit row must be a JSON object: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject() || !node.path("auditid").isTextual()) {
            throw new IllegalArgumentException("an audit row needs a JSON object with a text \"auditid\"");
        }
        String createdOn = node.path("createdon").asText("");
        try {
            return new DataverseAudit(node.path("auditid").asText(), OffsetDateTime.parse(createdOn).toInstant(),
                    visibleFrom, json);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("an audit row needs \"createdon\" like 2026-11-24T10:00:00Z, got \""
                    + createdOn + "\"");
        }
    }
}
