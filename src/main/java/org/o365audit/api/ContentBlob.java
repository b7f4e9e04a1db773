package org.o365audit.api;

import java.time.Instant;

/** One entry of a content listing: a blob of audit records that can be fetched until it expires. */
public record ContentBlob(String contentType, String contentId, String contentUri, Instant contentCreated,
        Instant contentExpiration) {
}
