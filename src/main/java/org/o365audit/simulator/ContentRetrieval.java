package org.o365audit.simulator;

import java.time.Instant;

/** {@code GET /audit/{contentId}}: the JSON array of one blob, chunked when the blob is streamed. */
final class ContentRetrieval {

    private ContentRetrieval() {
    }

    static SimResponse retrieve(String contentId, SimulatedTenant tenant) {
        SimBlob blob = tenant.blobStore().find(contentId)
                .orElseThrow(() -> ApiError.badRequest("AF20050", "Content does not exist: " + contentId + "."));
        Instant now = tenant.clock().instant();
        if (blob.contentExpiration().isBefore(now)) {
            throw ApiError.badRequest("AF20051", "Content " + contentId
                    + " is expired. Content older than 7 days cannot be retrieved.");
        }
        if (blob.isStreamed()) {
            return SimResponse.streamed(200, SimResponse.JSON_UTF8, blob::writeBody);
        }
        return SimResponse.bytes(200, SimResponse.JSON_UTF8, blob.bodyBytes());
    }
}
