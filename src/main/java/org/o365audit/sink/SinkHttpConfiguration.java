package org.o365audit.sink;

import java.time.Duration;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.core5.util.TimeValue;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The camel-http components the webhook, HEC and bulk sinks post through. Time-outs are short enough that a
 * hung destination is noticed (the batch is retried later), and HttpClient's own retries are off: a failed
 * request is the sink's to retry, with its back-off and the same batch id (CAMEL-23345: HttpClient 5.5
 * would otherwise sleep through a whole Retry-After inside one call). Each sink adds its credentials and
 * trust on top, in its own {@link SinkHttpClient}.
 */
@Configuration
public class SinkHttpConfiguration {
    /** HttpClient 5 also retries 429/503 by itself, sleeping through Retry-After: the sink retries instead. */
    public static final HttpClientConfigurer NO_CLIENT_RETRIES = builder -> builder.disableAutomaticRetries()
            .setRetryStrategy(new DefaultHttpRequestRetryStrategy(0, TimeValue.ZERO_MILLISECONDS));

    /** How long a sink waits for a connection and for an answer. */
    public record Timeouts(Duration connect, Duration response) {
    }

    @Bean
    public Timeouts sinkHttpTimeouts(@Value("${o365.sink-connect-timeout:10s}") Duration connect,
                                     @Value("${o365.sink-response-timeout:30s}") Duration response) {
        return new Timeouts(connect, response);
    }

    @Bean("https")
    public HttpComponent https(Timeouts timeouts) {
        return configure(new HttpComponent(), timeouts);
    }

    @Bean("http")
    public HttpComponent http(Timeouts timeouts) {
        return configure(new HttpComponent(), timeouts);
    }

    static HttpComponent configure(HttpComponent c, Timeouts t) {
        c.setConnectTimeout(t.connect().toMillis());
        c.setConnectionRequestTimeout(t.connect().toMillis());
        c.setResponseTimeout(t.response().toMillis());
        c.setSoTimeout(t.response().toMillis());
        c.setAutomaticRetriesDisabled(true);
        c.setFollowRedirects(false);
        c.setHttpClientConfigurer(NO_CLIENT_RETRIES);
        return c;
    }
}
