package org.o365audit.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Objects;

/**
 * One Power BI activity event: the JSON object exactly as added, plus the two fields the API selects
 * and sorts on, and when the service starts returning it.
 */
record PowerBiEvent(String id, Instant creationTime, Instant visibleFrom, String json) {

    /** The order of a listing: CreationTime, then Id, so equal times page deterministically. */
    static final Comparator<PowerBiEvent> LISTING_ORDER =
            Comparator.comparing(PowerBiEvent::creationTime).thenComparing(PowerBiEvent::id);

    static PowerBiEvent parse(String json, Instant visibleFrom) {
        Objects.requireNonNull(visibleFrom, "visibleFrom");
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a Power BI event must be a JSON object: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject() || !node.path("Id").isTextual()) {
            throw new IllegalArgumentException("a Power BI event needs a JSON object with a text \"Id\"");
        }
        return new PowerBiEvent(node.path("Id").asText(), parseCreationTime(node.path("CreationTime").asText("")),
                visibleFrom, json);
    }

    /** The API writes {@code 2019-08-13T07:55:15}: UTC without a zone; a trailing Z is tolerated. */
    private static Instant parseCreationTime(String text) {
        try {
            String local = text.endsWith("Z") ? text.substring(0, text.length() - 1) : text;
            return LocalDateTime.parse(local).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "a Power BI event needs \"CreationTime\" as yyyy-MM-dd'T'HH:mm:ss (UTC), got \"" + text + "\"");
        }
    }
}
