package org.o365audit.sink;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.springframework.stereotype.Component;

/**
 * The route sink's delivery: each kept record of the batch, in order, to a Camel endpoint of the application (a
 * policy route, {@code direct:policies}), one exchange per record with the {@link SinkRecord} as body. Each record
 * goes on an exchange of its own, outside the sink route, so what a policy route sets (headers, body) never
 * reaches the next record, and a record the endpoint fails on fails the batch instead of being handled away by
 * the sink's error handling.
 */
@Component("routeSink")
public class RouteSink {
    /** The endpoint URI the records go to (the template's endpoint parameter). */
    public static final String ENDPOINT = "O365RouteSinkEndpoint";

    private final SinkFeed feed;
    private final ProducerTemplate producer;

    public RouteSink(SinkFeed feed, CamelContext camel) {
        this.feed = feed;
        this.producer = camel.createProducerTemplate();
    }

    /**
     * Sends the kept records after those the endpoint already took (a retry starts at the one that failed). When
     * the endpoint throws, the records before it are written down as taken and the exception fails the batch: it
     * stays pending and is retried with back-off, starting with that record.
     */
    public void deliver(Exchange ex) throws Exception {
        SinkBatch kept = ex.getProperty(SinkExchange.KEPT, SinkBatch.class);
        String endpoint = ex.getProperty(ENDPOINT, String.class);
        String sink = ex.getProperty(SinkExchange.SINK, String.class);
        List<SinkRecord> records = kept.records();
        int first = Math.min(kept.done(), records.size());
        for (int i = first; i < records.size(); i++) {
            Exchange one = new DefaultExchange(ex.getContext());
            one.setProperty(SinkExchange.SINK, sink);
            one.getIn().setBody(records.get(i));
            Exchange answer = producer.send(endpoint, one);
            if (answer.getException() != null) {
                if (i > first) {
                    feed.progress(ex, i);
                }
                SinkRecord r = records.get(i);
                throw new SinkUnavailableException("sink " + sink + ": " + endpoint + " failed on record " + r.getId()
                        + " of tenant " + r.getTenantName() + ": " + answer.getException().getMessage(),
                        answer.getException());
            }
        }
    }
}
