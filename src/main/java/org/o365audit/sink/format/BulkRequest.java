package org.o365audit.sink.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.o365audit.sink.SinkRecord;

/**
 * An Elasticsearch/OpenSearch {@code _bulk} body of {@code create} actions. With {@code create} and an id
 * derived from the record, a resent batch cannot store a record twice: the copy already there answers 409,
 * which {@link BulkResponse} counts as stored. Data streams accept nothing but {@code create} anyway.
 */
public final class BulkRequest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EcsDocument ecs;

    public BulkRequest() {
        this(new EcsDocument());
    }

    public BulkRequest(EcsDocument ecs) {
        this.ecs = ecs;
    }

    /**
     * NDJSON: an action line and a document line per record, every line ending in LF, the last one too.
     *
     * @param index the target index or data stream; null leaves it to the request URL
     */
    public byte[] body(List<SinkRecord> records, String index) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(records.size() * 2048);
        for (SinkRecord r : records) {
            ObjectNode action = JSON.createObjectNode();
            ObjectNode meta = action.putObject("create");
            if (index != null && !index.isBlank()) {
                meta.put("_index", index);
            }
            meta.put("_id", documentId(r));
            line(out, action);
            line(out, ecs.toEcs(r));
        }
        return out.toByteArray();
    }

    /**
     * Lower-case hex SHA-256 of {@code tenantId:Id}: the same record always gets the same 64-character id
     * (well inside OpenSearch's 512-byte limit), and two tenants can never collide on a record Id.
     */
    public static String documentId(SinkRecord r) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((r.getTenantId() + ":" + r.getId()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void line(ByteArrayOutputStream out, ObjectNode node) {
        try {
            out.writeBytes(JSON.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
    }
}
