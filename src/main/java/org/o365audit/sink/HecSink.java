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
    private final SinkSettings settings;
    private final SinkFeed feed;
    private final BatchParts parts;
    private final HecEnvelopes envelopes = new HecEnvelopes();

    public HecSink(SinkSettings settings, SinkFeed feed, BatchParts parts) {
        this.settings = settings;
        this.feed = feed;
        this.parts = parts;
    }

    /** Body: the envelopes of the part to send (the kept records HEC has not taken yet, or some of them). */
    public void prepare(Exchange ex) {
        String sink = ex.getProperty(SinkExchange.SINK, String.class);
        if (settings.secret(sink, "token") == null) {
            throw new SinkRefusedException("o365.sinks." + sink + ".token is not set", "");
        }
        HecOptions o = new HecOptions(text(ex, "O365HecSourcetype"), text(ex, "O365HecIndex"),
                text(ex, "O365HecSource"), text(ex, "O365HecHost"));
        Message m = ex.getMessage();
        // no Authorization here: the sink's HTTP client adds it as the request leaves (SinkHttpClient)
        m.getHeaders().clear();
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(envelopes.body(BatchParts.records(ex), o));
    }

    /**
     * Done: go on with the next part, if any. Code 6: HEC indexed the events before the one it names; set that
     * one aside and send those after it. 413: send fewer. Busy: throw to send the batch again later. Anything
     * else is about the request, not an event (token, index, a reply without a position): the batch waits.
     */
    public void verdict(Exchange ex) {
        String sink = ex.getProperty(SinkExchange.SINK, String.class);
        int status = ex.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = ex.getMessage().getBody(String.class);
        HecReply reply = HecReply.parse(status, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        SinkBatch kept = ex.getProperty(SinkExchange.KEPT, SinkBatch.class);
        BatchPart part = BatchParts.part(ex);
        switch (reply.action()) {
            case OK -> parts.delivered(ex);
            case INVALID_EVENT -> {
                int bad = part.from() + reply.invalidEventNumber();
                if (bad >= part.to()) {
                    throw new SinkUnavailableException("Splunk HEC named event " + reply.invalidEventNumber()
                            + " of a request of " + part.size());
                }
                feed.setAside(ex, List.of(kept.records().get(bad)), "Splunk HEC refused the event: code 6 "
                        + reply.text());
                parts.takenUpTo(ex, bad + 1);
            }
            case TOO_LARGE -> {
                ex.setProperty(SinkExchange.REASON, "Splunk HEC refused the event as too large (HTTP 413)");
                parts.tooLarge(ex);
            }
            case RETRY -> {
                ex.setProperty(SinkExchange.RETRY_AFTER, ex.getMessage().getHeader("Retry-After", String.class));
                throw new SinkUnavailableException("Splunk HEC is busy: HTTP " + status + " code " + reply.code()
                        + " " + reply.text());
            }
            case CONFIG -> throw new SinkRefusedException(kind(reply), words(reply) + " (check o365.sinks." + sink
                    + ".token, index and url)");
            case BUG -> throw new SinkRefusedException(kind(reply), words(reply)
                    + " (about the request, not an event it names: nothing is set aside)");
        }
    }

    private static String kind(HecReply reply) {
        return "Splunk HEC answered HTTP " + reply.httpStatus() + (reply.code() == null ? "" : " code " + reply.code());
    }

    private static String words(HecReply reply) {
        return reply.text() == null ? "" : reply.text().replaceAll("[\\s\\p{Cntrl}]+", " ").strip();
    }

    private static String text(Exchange ex, String property) {
        String v = ex.getProperty(property, String.class);
        return v == null || v.isBlank() ? null : v;
    }
}
