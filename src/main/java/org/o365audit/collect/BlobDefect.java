package org.o365audit.collect;

import java.time.Instant;

/** Input set aside instead of stored: a blob that is not valid JSON, or one record that cannot be a record. */
public record BlobDefect(String tenantId, String tenantName, String contentType, String contentId, String contentUri,
        boolean wholeBlob, String reason, String payload, Instant at) {

    public String describe() {
        return "tenant " + tenantName + " " + contentType + " blob " + contentId + ": " + reason;
    }
}
