package org.o365audit.sink;

import java.net.URI;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.o365audit.sink.format.WebhookBody;
import org.o365audit.sink.format.WebhookSignature;
import org.springframework.stereotype.Component;

/**
 * The webhook sink's steps around camel-http: the JSON body of the part to send, its id headers and, with a
 * secret, its signatures; and what an answer that is neither success nor "try later" means.
 */
@Component("webhookSink")
public class WebhookSink {
    private final SinkSettings settings;
    private final Clock clock;
    private final WebhookBody bodies = new WebhookBody();

    public WebhookSink(SinkSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Body and headers of the part to send: the whole kept batch under its id, or a part under the part's id. */
    public void prepare(Exchange ex) {
        String sink = ex.getProperty(SinkExchange.SINK, String.class);
        SinkBatch kept = ex.getProperty(SinkExchange.KEPT, SinkBatch.class);
        String id = BatchParts.part(ex).id(kept.id());
        byte[] body = bodies.body(id, sink, BatchParts.records(ex));
        Message m = ex.getMessage();
        m.getHeaders().clear();
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        String secret = settings.secret(sink, "secret");
        if (secret != null) {
            new WebhookSignature(secret).headers(id, clock.instant(), body).forEach(m::setHeader);
        } else {
            m.setHeader("webhook-id", id);
            m.setHeader("Idempotency-Key", "\"" + id + "\"");
        }
        m.setBody(body);
    }

    /**
     * A redirect or a 4xx other than 408, 413 and 429: the webhook refuses the request itself (credentials, URL,
     * what it expects), which says nothing about the records in it. The batch stays pending.
     */
    public void refused(Exchange ex) {
        Message m = ex.getMessage();
        int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String kind = "webhook answered HTTP " + status;
        if (status >= 300 && status < 400) {
            String location = withoutCredentials(m.getHeader("Location", String.class));
            throw new SinkRefusedException(kind, "a redirect" + (location == null ? "" : " to " + location)
                    + "; redirects are not followed, set the sink's url to the final address");
        }
        throw new SinkRefusedException(kind, excerpt(m.getBody(String.class)));
    }

    /** scheme://host:port/path of a Location, without user info or query (they may carry a token). */
    static String withoutCredentials(String location) {
        if (location == null || location.isBlank()) {
            return null;
        }
        try {
            URI u = URI.create(location.trim());
            if (u.getHost() == null) {
                return u.getRawPath();
            }
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())
                    + (u.getRawPath() == null ? "" : u.getRawPath());
        } catch (IllegalArgumentException notAUri) {
            return "(not a URI)";
        }
    }

    static String excerpt(String body) {
        if (body == null) {
            return "";
        }
        String oneLine = body.replaceAll("[\\s\\p{Cntrl}]+", " ").strip();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
    }
}
