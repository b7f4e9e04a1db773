package org.o365audit.sink;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.o365audit.sink.format.HecEnvelopes;
import org.o365audit.sink.format.HecOptions;
import org.o365audit.sink.format.HecReply;
import org.springframework.stereotype.Component;

/** The Splunk HEC sink's steps around the HTTP call: the envelopes, and what the reply means. */
@Component("hecSink")
public class HecSink {
    static final String DONE = "O365HecDone";
    static final String MORE = "O365HecMore";

    private final SinkSettings settings;
    private final SinkFeed feed;
    private final HecEnvelopes envelopes = new HecEnvelopes();

    public HecSink(SinkSettings settings, SinkFeed feed) {
        this.settings = settings;
        this.feed = feed;
    }

    /** Body: the envelopes of the kept records HEC has not taken yet. */
    public void prepare(Exchange ex) {
        String sink = ex.getProperty(SinkExchange.SINK, String.class);
        if (settings.secret(sink, "token") == null) {
            throw new SinkUnavailableException("sink " + sink + ": o365.sinks." + sink + ".token is not set");
        }
        SinkBatch kept = ex.getProperty(SinkExchange.KEPT, SinkBatch.class);
        int done = ex.getProperty(DONE, Math.min(kept.done(), kept.size()), Integer.class);
        if (done >= kept.size()) {
            // never POST an empty body (HEC would answer code 5 and nothing would be sent)
            throw new IllegalStateException("sink " + sink + ": batch " + kept.id() + " has no events left to send");
        }
        ex.setProperty(DONE, done);
        HecOptions o = new HecOptions(text(ex, "O365HecSourcetype"), text(ex, "O365HecIndex"),
                text(ex, "O365HecSource"), text(ex, "O365HecHost"));
        Message m = ex.getMessage();
        // no Authorization here: the sink's HTTP client adds it as the request leaves (SinkHttpClient)
        m.getHeaders().clear();
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(envelopes.body(kept.records().subList(done, kept.size()), o));
    }

    /** Done; or code 6: set the bad event aside and send the rest; or throw so the batch is sent again later. */
    public void verdict(Exchange ex) {
        String sink = ex.getProperty(SinkExchange.SINK, String.class);
        int status = ex.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = ex.getMessage().getBody(String.class);
        HecReply reply = HecReply.parse(status, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        SinkBatch kept = ex.getProperty(SinkExchange.KEPT, SinkBatch.class);
        int done = ex.getProperty(DONE, 0, Integer.class);
        ex.setProperty(MORE, false);
        switch (reply.action()) {
            case OK -> ex.setProperty(DONE, kept.size());
            case INVALID_EVENT -> {
                int bad = done + reply.invalidEventNumber();
                if (bad >= kept.size()) {
                    throw new SinkUnavailableException("Splunk HEC named event " + reply.invalidEventNumber()
                            + " of a request of " + (kept.size() - done));
                }
                feed.setAside(ex, List.of(kept.records().get(bad)), "Splunk HEC refused the event: code 6 "
                        + reply.text());
                ex.setProperty(DONE, bad + 1);
                feed.progress(ex, bad + 1);
                ex.setProperty(MORE, bad + 1 < kept.size());
            }
            case RETRY -> {
                ex.setProperty(SinkExchange.RETRY_AFTER, ex.getMessage().getHeader("Retry-After", String.class));
                throw new SinkUnavailableException("Splunk HEC is busy: HTTP " + status + " code " + reply.code()
                        + " " + reply.text());
            }
            case CONFIG -> throw new SinkUnavailableException("Splunk HEC refused the request: HTTP " + status
                    + " code " + reply.code() + " " + reply.text() + " (check o365.sinks." + sink
                    + ".token and index)");
            case BUG -> {
                List<SinkRecord> rest = kept.records().subList(done, kept.size());
                if (rest.isEmpty()) {
                    throw new SinkUnavailableException("Splunk HEC refused an empty request: HTTP " + status);
                }
                feed.setAside(ex, rest, "Splunk HEC refused the batch: HTTP " + status + " code " + reply.code() + " "
                        + reply.text());
            }
        }
    }

    private static String text(Exchange ex, String property) {
        String v = ex.getProperty(property, String.class);
        return v == null || v.isBlank() ? null : v;
    }
}
