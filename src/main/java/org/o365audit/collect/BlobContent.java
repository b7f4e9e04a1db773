package org.o365audit.collect;

import java.io.InputStream;
import org.o365audit.api.ContentBlob;
import org.o365audit.config.Tenant;

/**
 * A blob opened for reading: either a stream of its body, or the reason it was refused
 * (foreign host, expired, gone), which is then quarantined like a malformed blob.
 */
public record BlobContent(Tenant tenant, ContentBlob blob, InputStream body, String refusal, BlobStats stats) {
}
