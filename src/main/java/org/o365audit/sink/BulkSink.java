package org.o365audit.sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.o365audit.sink.format.BulkItemResult;
import org.o365audit.sink.format.BulkRequest;
import org.o365audit.sink.format.BulkResponse;
import org.o365audit.sink.format.EcsDocument;
import org.o365audit.sink.format.ecs.EcsMapping;
import org.springframework.stereotype.Component;

/** The Elasticsearch/OpenSearch sink's steps around the _bulk call: the NDJSON, and the per-item verdict. */
@Component("bulkSink")
public class BulkSink {
    private final SinkFeed feed;
    private final BatchParts parts;
    private final BulkRequest bulk;

    public BulkSink(SinkFeed feed, BatchParts parts, EcsMapping ecsMapping) {
        this.feed = feed;
        this.parts = parts;
        this.bulk = new BulkRequest(new EcsDocument(ecsMapping));
    }

    /** Body: the NDJSON of the part to send (the whole kept batch unless the cluster answered 413). */
    public void prepare(Exchange ex) {
        Message m = ex.getMessage();
        m.getHeaders().clear();
        // no Authorization here: the sink's HTTP client adds it as the request leaves (SinkHttpClient)
        m.setHeader(Exchange.CONTENT_TYPE, "application/x-ndjson");
        m.setBody(bulk.body(BatchParts.records(ex), ex.getProperty("O365BulkIndex", String.class)));
    }

    /**
     * All items stored (409 on create included): done. Items the cluster could not take now (429, 5xx): the
     * batch goes again later, and creates with fixed ids make that safe. Items refused for a reason of the
     * cluster's (privileges, index missing or closed): the batch waits, refused. Documents refused for good
     * (mapping errors): set aside. A whole request answered 413: send fewer; 408, 429, 5xx: again later; any
     * other status (401, 403, 404, a redirect …) is about the request, not a document: the batch waits, refused.
     */
    public void verdict(Exchange ex) {
        int status = ex.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = ex.getMessage().getBody(String.class);
        BatchPart part = BatchParts.part(ex);
        List<SinkRecord> records = BatchParts.records(ex);
        if (status == 429 || status == 408 || status >= 500) {
            ex.setProperty(SinkExchange.RETRY_AFTER, ex.getMessage().getHeader("Retry-After", String.class));
            throw new SinkUnavailableException("_bulk answered HTTP " + status + ": " + excerpt(body));
        }
        if (status == 413) {
            ex.setProperty(SinkExchange.REASON, "_bulk refused the document as too large (HTTP 413)");
            parts.tooLarge(ex);
            return;
        }
        if (status != 200) {
            throw new SinkRefusedException("_bulk answered HTTP " + status, excerpt(body));
        }
        BulkResponse reply = BulkResponse.parse(body.getBytes(StandardCharsets.UTF_8), part.size());
        List<BulkItemResult> refused = reply.with(BulkItemResult.Disposition.REFUSED);
        if (!refused.isEmpty()) {
            BulkItemResult r = refused.get(0);
            throw new SinkRefusedException("_bulk refused " + r.status() + " " + r.errorType(), refused.size() + " of "
                    + part.size() + " documents, first: " + excerpt(r.errorReason()));
        }
        List<BulkItemResult> retry = reply.with(BulkItemResult.Disposition.RETRY);
        if (!retry.isEmpty()) {
            throw new SinkUnavailableException("_bulk could not take " + retry.size() + " of " + part.size()
                    + " documents now (first: " + retry.get(0).status() + " " + retry.get(0).errorType() + ")");
        }
        for (BulkItemResult r : reply.with(BulkItemResult.Disposition.REJECTED)) {
            List<SinkRecord> one = new ArrayList<>(List.of(records.get(r.index())));
            feed.setAside(ex, one, "_bulk refused the document: " + r.status() + " " + r.errorType() + ": "
                    + r.errorReason());
        }
        parts.delivered(ex);
    }

    private static String excerpt(String body) {
        if (body == null) {
            return "";
        }
        String oneLine = body.replaceAll("[\\s\\p{Cntrl}]+", " ").strip();
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "…" : oneLine;
    }
}
