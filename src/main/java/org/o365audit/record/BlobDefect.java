package org.o365audit.record;

import java.time.Instant;

/**
 * Input set aside instead of stored: a blob that cannot be read as an array of records, or one element that
 * cannot be stored as a record. The payload is the complete input of that element (or a sample of a blob
 * that is not an array), as text or Base64 (see {@link QuarantinePayload}).
 */
public record BlobDefect(String tenantId, String tenantName, String contentType, String contentId, String contentUri,
        boolean wholeBlob, String reason, QuarantinePayload payload, Instant at) {

    public BlobDefect(String tenantId, String tenantName, String contentType, String contentId, String contentUri,
            boolean wholeBlob, String reason, String payload, Instant at) {
        this(tenantId, tenantName, contentType, contentId, contentUri, wholeBlob, reason, QuarantinePayload.of(payload), at);
    }

    public String describe() {
        return "tenant " + tenantName + " " + contentType + " blob " + Texts.printable(contentId, 600) + ": "
                + Texts.printable(reason, 600);
    }
}
