package org.o365audit.collect;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.o365audit.api.ContentBlob;
import org.o365audit.config.O365Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Blobs whose collection failed (network cut, 5xx after retries). The poll goes on with the other blobs
 * and the window stays open for a retry; after {@code o365.blob-max-attempts} failures the blob is
 * quarantined instead, so one bad blob cannot hold the listing cursor back until it expires. Counted in
 * memory: a restart gives every blob its attempts again.
 */
@Component
public class BlobFailures {
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.progress");

    private final ConcurrentMap<String, Failure> failures = new ConcurrentHashMap<>();
    private final O365Properties props;

    public BlobFailures(O365Properties props) {
        this.props = props;
    }

    public void failed(String tenantName, String tenantId, ContentBlob blob, Throwable error) {
        Failure f = failures.merge(key(tenantId, blob), new Failure(1, describe(error)),
                (old, now) -> new Failure(old.attempts + 1, now.lastError));
        LOG.error("tenant {} {} blob {}: collection failed (attempt {} of {}), the window is retried on the next poll: {}",
                tenantName, blob.contentType(), blob.contentId(), f.attempts, props.getBlobMaxAttempts(), f.lastError);
    }

    /** The reason to give up on the blob, or null while it still has attempts left. */
    public String givingUp(String tenantId, ContentBlob blob) {
        Failure f = failures.get(key(tenantId, blob));
        if (f == null || f.attempts < props.getBlobMaxAttempts()) {
            return null;
        }
        return "gave up after " + f.attempts + " failed attempts; last error: " + f.lastError;
    }

    public void succeeded(String tenantId, ContentBlob blob) {
        failures.remove(key(tenantId, blob));
    }

    private static String key(String tenantId, ContentBlob blob) {
        return tenantId + "|" + blob.contentId();
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != e; c = c.getCause()) {
            sb.append(" <- ").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
            e = c;
        }
        return sb.length() > 500 ? sb.substring(0, 500) : sb.toString();
    }

    private record Failure(int attempts, String lastError) {
    }
}
