package org.o365audit.sink;

import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.o365audit.sink.format.WebhookBody;
import org.o365audit.sink.format.WebhookSignature;
import org.springframework.stereotype.Component;

/** The webhook sink's step before camel-http: the JSON body, its id headers and, with a secret, its signatures. */
@Component("webhookSink")
public class WebhookSink {
    private final SinkSettings settings;
    private final Clock clock;
    private final WebhookBody bodies = new WebhookBody();

    public WebhookSink(SinkSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public void prepare(Exchange ex) {
        String sink = ex.getProperty(SinkExchange.SINK, String.class);
        SinkBatch kept = ex.getProperty(SinkExchange.KEPT, SinkBatch.class);
        byte[] body = bodies.body(kept);
        Message m = ex.getMessage();
        m.getHeaders().clear();
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        String secret = settings.secret(sink, "secret");
        if (secret != null) {
            new WebhookSignature(secret).headers(kept.id(), clock.instant(), body).forEach(m::setHeader);
        } else {
            m.setHeader("webhook-id", kept.id());
            m.setHeader("Idempotency-Key", "\"" + kept.id() + "\"");
        }
        m.setBody(body);
    }
}
