package org.o365audit.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One content blob of the simulated feed: its listing metadata and a source for its body.
 * Immutable; {@link #withContentUri(String)} returns a copy.
 */
public final class SimBlob {

    /** Content is retrievable for seven days after it became available. */
    static final Duration RETENTION = Duration.ofDays(7);

    private final String contentType;
    private final String contentId;
    private final Instant contentCreated;
    private final Instant visibleFrom;
    private final List<String> records;
    private final byte[] body;
    private final BodyWriter stream;
    private final Supplier<SimBlob> content;
    private final String contentUri;

    private SimBlob(String contentType, String contentId, Instant contentCreated, Instant visibleFrom,
                    List<String> records, byte[] body, BodyWriter stream, Supplier<SimBlob> content, String contentUri) {
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.contentId = Objects.requireNonNull(contentId, "contentId");
        this.contentCreated = Objects.requireNonNull(contentCreated, "contentCreated");
        this.visibleFrom = visibleFrom == null ? contentCreated : visibleFrom;
        this.records = records;
        this.body = body;
        this.stream = stream;
        this.content = content;
        this.contentUri = contentUri;
    }

    /** A blob whose body is the JSON array of the given records, each kept byte-exact. */
    public static SimBlob ofRecords(String contentType, String contentId, Instant contentCreated,
                                    Instant visibleFrom, List<String> recordJsonObjects) {
        List<String> copy = List.copyOf(recordJsonObjects);
        byte[] body = ("[" + String.join(",", copy) + "]").getBytes(StandardCharsets.UTF_8);
        return new SimBlob(contentType, contentId, contentCreated, visibleFrom, copy, body, null, null, null);
    }

    /** A blob with any body bytes, for malformed content. */
    public static SimBlob ofRawBody(String contentType, String contentId, Instant contentCreated,
                                    Instant visibleFrom, byte[] body) {
        return new SimBlob(contentType, contentId, contentCreated, visibleFrom, List.of(),
                body.clone(), null, null, null);
    }

    /** A blob whose body is written on every download and served chunked, for huge blobs. */
    public static SimBlob ofStream(String contentType, String contentId, Instant contentCreated,
                                   Instant visibleFrom, BodyWriter writer) {
        return new SimBlob(contentType, contentId, contentCreated, visibleFrom, List.of(), null,
                Objects.requireNonNull(writer, "writer"), null, null);
    }

    /**
     * A blob that keeps only its listing metadata: its records and body are made again by {@code content}
     * (a records or raw-body blob, the same every time) whenever they are asked for. The demo's blobs are
     * such, so a demo that runs for days holds a few hundred bytes per blob, not its records.
     */
    public static SimBlob generated(String contentType, String contentId, Instant contentCreated,
                                    Instant visibleFrom, Supplier<SimBlob> content) {
        return new SimBlob(contentType, contentId, contentCreated, visibleFrom, null, null, null,
                Objects.requireNonNull(content, "content"), null);
    }

    /** A copy that the listing announces under the given absolute URI instead of the simulator's own. */
    public SimBlob withContentUri(String uri) {
        return new SimBlob(contentType, contentId, contentCreated, visibleFrom, records, body, stream, content,
                Objects.requireNonNull(uri, "uri"));
    }

    public String contentType() {
        return contentType;
    }

    public String contentId() {
        return contentId;
    }

    public Instant contentCreated() {
        return contentCreated;
    }

    /** The blob is not listed before this instant (late listing). */
    public Instant visibleFrom() {
        return visibleFrom;
    }

    public Instant contentExpiration() {
        return contentCreated.plus(RETENTION);
    }

    /** The records this blob was built from; empty for raw and streamed blobs. */
    public List<String> records() {
        return content != null ? content.get().records() : records;
    }

    /** True when the body is produced by a {@link BodyWriter} and served chunked. */
    public boolean isStreamed() {
        return stream != null;
    }

    /** Body length in bytes, or -1 for a streamed blob. */
    public long length() {
        return stream != null ? -1 : bodyBytes().length;
    }

    /** Writes the body; a streamed blob is generated again on every call. */
    public void writeBody(OutputStream out) throws IOException {
        if (stream != null) {
            stream.writeTo(out);
        } else {
            out.write(bodyBytes());
        }
    }

    /** The body of a blob that is not streamed; not a copy, so callers must not modify it. */
    byte[] bodyBytes() {
        if (stream != null) {
            throw new IllegalStateException("streamed blob " + contentId + " has no body in memory");
        }
        return content != null ? content.get().bodyBytes() : body;
    }

    /** The URI the listing announces: the override, or the simulator's own retrieval URI. */
    public String contentUri(String baseUrl, String tenantId) {
        if (contentUri != null) {
            return contentUri;
        }
        return baseUrl + "/api/v1.0/" + tenantId + "/activity/feed/audit/"
                + URLEncoder.encode(contentId, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "SimBlob[" + contentType + " " + contentId + " created " + contentCreated + "]";
    }
}
