package org.o365audit.sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.o365audit.sink.format.BulkItemResult;
import org.o365audit.sink.format.BulkRequest;
import org.o365audit.sink.format.BulkResponse;
import org.springframework.stereotype.Component;

/** The Elasticsearch/OpenSearch sink's steps around the _bulk call: the NDJSON, and the per-item verdict. */
@Component("bulkSink")
public class BulkSink {
    private final SinkFeed feed;
    private final BulkRequest bulk = new BulkRequest();

    public BulkSink(SinkFeed feed) {
        this.feed = feed;
    }

    public void prepare(Exchange ex) {
        SinkBatch kept = ex.getProperty(SinkExchange.KEPT, SinkBatch.class);
        Message m = ex.getMessage();
        m.getHeaders().clear();
        // no Authorization here: the sink's HTTP client adds it as the request leaves (SinkHttpClient)
        m.setHeader(Exchange.CONTENT_TYPE, "application/x-ndjson");
        m.setBody(bulk.body(kept.records(), ex.getProperty("O365BulkIndex", String.class)));
    }

    /**
     * All items stored (409 on create included): done. Items the cluster could not take now (429, 5xx): the
     * batch goes again later, and creates with fixed ids make that safe. Items refused for good: set aside.
     */
    public void verdict(Exchange ex) {
        int status = ex.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = ex.getMessage().getBody(String.class);
        SinkBatch kept = ex.getProperty(SinkExchange.KEPT, SinkBatch.class);
        if (status == 429 || status == 408 || status >= 500 || status == 401 || status == 403) {
            ex.setProperty(SinkExchange.RETRY_AFTER, ex.getMessage().getHeader("Retry-After", String.class));
            throw new SinkUnavailableException("_bulk answered HTTP " + status + ": " + excerpt(body));
        }
        if (status != 200) {
            feed.setAside(ex, kept.records(), "_bulk refused the request: HTTP " + status + ": " + excerpt(body));
            return;
        }
        BulkResponse reply = BulkResponse.parse(body.getBytes(StandardCharsets.UTF_8), kept.size());
        List<BulkItemResult> retry = reply.with(BulkItemResult.Disposition.RETRY);
        if (!retry.isEmpty()) {
            throw new SinkUnavailableException("_bulk could not take " + retry.size() + " of " + kept.size()
                    + " documents now (first: " + retry.get(0).status() + " " + retry.get(0).errorType() + ")");
        }
        for (BulkItemResult r : reply.with(BulkItemResult.Disposition.REJECTED)) {
            List<SinkRecord> one = new ArrayList<>(List.of(kept.records().get(r.index())));
            feed.setAside(ex, one, "_bulk refused the document: " + r.status() + " " + r.errorType() + ": "
                    + r.errorReason());
        }
    }

    private static String excerpt(String body) {
        return body == null ? "" : body.length() > 300 ? body.substring(0, 300) : body;
    }
}
