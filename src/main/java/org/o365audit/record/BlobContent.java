package org.o365audit.record;

import java.io.InputStream;
import org.o365audit.api.ContentBlob;
import org.o365audit.config.Tenant;

/**
 * A blob opened for reading: either a stream of its body, or the reason it was refused (foreign host,
 * expired, gone, given up), which is then quarantined like a malformed blob. {@code finalAttempt} says
 * whether a body that breaks off (truncated, not an array) is to be kept as it is, the complete records
 * stored and the rest quarantined, or failed so that the blob is fetched again: a cut-off transfer can look
 * exactly like a truncated blob.
 */
public record BlobContent(Tenant tenant, ContentBlob blob, InputStream body, String refusal, BlobStats stats,
        boolean finalAttempt) {

    /** Content that is read once and for all (delayed feeds' pages, refusals). */
    public BlobContent(Tenant tenant, ContentBlob blob, InputStream body, String refusal, BlobStats stats) {
        this(tenant, blob, body, refusal, stats, true);
    }
}
