package org.o365audit.sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.o365audit.sink.format.SentinelRows;
import org.springframework.stereotype.Component;

/**
 * The Sentinel sink's steps around camel-http (Azure Monitor Logs Ingestion API): the token, the part of the batch
 * that fits in one call (at most max-body-bytes of JSON, the API takes 1 MB compressed or not), its body and
 * headers, and what an answer that is neither success nor "try later" means. Parts are nodes of BatchPart's
 * halving tree, chosen from the rows' sizes alone, so after a retry or a restart the same records go in the
 * same parts; a row larger than the limit on its own is set aside.
 */
@Component("sentinelSink")
public class SentinelSink {
    /** The rows of the kept batch, written once per batch. */
    static final String ROWS = "O365SentinelRows";

    private final SentinelTokens tokens;
    private final SinkFeed feed;
    private final BatchParts parts;

    public SentinelSink(SentinelTokens tokens, SinkFeed feed, BatchParts parts) {
        this.tokens = tokens;
        this.feed = feed;
        this.parts = parts;
    }

    /**
     * The body and headers of the next part that fits in {@code maxBodyBytes}; no part (property O365SinkPart
     * removed) when the records left were each too large and set aside.
     */
    public void prepare(Exchange ex, long maxBodyBytes) {
        String sink = ex.getProperty(SinkExchange.SINK, String.class);
        SinkBatch kept = ex.getProperty(SinkExchange.KEPT, SinkBatch.class);
        List<byte[]> rows = rows(ex, kept);
        BatchPart part = ex.getProperty(BatchParts.PART, BatchPart.class);
        while (part != null && SentinelRows.size(rows.subList(part.from(), part.to())) > maxBodyBytes) {
            if (part.size() > 1) {
                part = part.firstHalf();
                ex.setProperty(BatchParts.PART, part);
                continue;
            }
            long size = SentinelRows.size(rows.subList(part.from(), part.to()));
            feed.setAside(ex, kept.records().subList(part.from(), part.to()), "the record is " + size
                    + " bytes as a Logs Ingestion row, more than one call may carry (max-body-bytes " + maxBodyBytes
                    + "; the API takes 1 MB per call)");
            parts.takenUpTo(ex, part.to());
            part = ex.getProperty(BatchParts.PART, BatchPart.class);
        }
        Message m = ex.getMessage();
        m.getHeaders().clear();
        if (part == null) {
            m.setBody(null);
            return;
        }
        tokens.ensure(sink);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        // the same id on every retry of the part, also after a restart: the request shows up in Azure's logs under it
        String id = part.id(kept.id());
        m.setHeader("x-ms-client-request-id", UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString());
        m.setBody(SentinelRows.body(rows.subList(part.from(), part.to())));
    }

    /** HTTP 401, 403, 404, 400, a redirect …: the API refuses the request itself; the batch stays pending. */
    public void refused(Exchange ex) {
        Message m = ex.getMessage();
        String sink = ex.getProperty(SinkExchange.SINK, String.class);
        int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String kind = "Logs Ingestion API answered HTTP " + status;
        String why = switch (status) {
            case 401 -> "the token was refused (tenant-id, client-id, cloud?); a new one is asked for";
            case 403 -> "the app (client-id) lacks the Monitoring Metrics Publisher role on the data collection rule"
                    + " (a new assignment takes up to 30 minutes)";
            case 404 -> "no such data collection rule or stream at this endpoint (endpoint, dcr-id, stream?)";
            default -> status >= 300 && status < 400 ? "a redirect; set endpoint to the final address" : "";
        };
        if (status == 401) {
            tokens.forget(sink);
        }
        String answer = WebhookSink.excerpt(m.getBody(String.class));
        throw new SinkRefusedException(kind, why.isEmpty() ? answer : answer.isEmpty() ? why : why + ": " + answer);
    }

    private static List<byte[]> rows(Exchange ex, SinkBatch kept) {
        Rows cached = ex.getProperty(ROWS, Rows.class);
        if (cached != null && cached.batch() == kept) {
            return cached.rows();
        }
        List<byte[]> rows = new ArrayList<>(kept.size());
        for (SinkRecord r : kept.records()) {
            rows.add(SentinelRows.row(r));
        }
        ex.setProperty(ROWS, new Rows(kept, rows));
        return rows;
    }

    /** Rows written for this very batch object (a new claim, even under the same id, writes them again). */
    record Rows(SinkBatch batch, List<byte[]> rows) {
    }
}
