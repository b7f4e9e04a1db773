package org.o365audit.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** A token endpoint error in Entra ID's shape: {@code error}, {@code error_description} with AADSTS code, {@code error_codes}. */
final class EntraError extends RuntimeException {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final int status;
    private final String error;
    private final int aadsts;

    EntraError(int status, String error, int aadsts, String description) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.aadsts = aadsts;
    }

    int status() {
        return status;
    }

    SimResponse toResponse(Instant now) {
        String traceId = UUID.randomUUID().toString();
        String correlationId = UUID.randomUUID().toString();
        ObjectNode body = Json.object();
        body.put("error", error);
        body.put("error_description", "AADSTS" + aadsts + ": " + getMessage() + " Trace ID: " + traceId
                + " Correlation ID: " + correlationId + " Timestamp: " + STAMP.format(now));
        body.putArray("error_codes").add(aadsts);
        body.put("timestamp", STAMP.format(now));
        body.put("trace_id", traceId);
        body.put("correlation_id", correlationId);
        body.put("error_uri", "https://login.microsoftonline.com/error?code=" + aadsts);
        return SimResponse.json(status, body)
                .header("Cache-Control", "no-store, no-cache")
                .header("Pragma", "no-cache");
    }
}
