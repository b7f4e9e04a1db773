package org.o365audit.sink;

import java.time.Duration;
import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The camel-http components the webhook, HEC and bulk sinks post through. Time-outs are short enough that a
 * hung destination is noticed (the batch is retried later), and HttpClient's own retries are off: a failed
 * request is the sink's to retry, with its back-off and the same batch id (CAMEL-23345: HttpClient 5.5
 * would otherwise sleep through a whole Retry-After inside one call). Trust comes from the JVM
 * (-Djavax.net.ssl.trustStore), like the collector's.
 */
@Configuration
public class SinkHttpConfiguration {
    @Bean("https")
    public HttpComponent https(@Value("${o365.sink-connect-timeout:10s}") Duration connect,
                               @Value("${o365.sink-response-timeout:30s}") Duration response) {
        return configure(new HttpComponent(), connect, response);
    }

    @Bean("http")
    public HttpComponent http(@Value("${o365.sink-connect-timeout:10s}") Duration connect,
                              @Value("${o365.sink-response-timeout:30s}") Duration response) {
        return configure(new HttpComponent(), connect, response);
    }

    /** The JVM's default TLS settings, for the syslog sink's TLS (sslContextParameters: "#jvmTls"). */
    @Bean("jvmTls")
    public SSLContextParameters jvmTls() {
        return new SSLContextParameters();
    }

    private static HttpComponent configure(HttpComponent c, Duration connect, Duration response) {
        c.setConnectTimeout(connect.toMillis());
        c.setConnectionRequestTimeout(connect.toMillis());
        c.setResponseTimeout(response.toMillis());
        c.setSoTimeout(response.toMillis());
        c.setAutomaticRetriesDisabled(true);
        c.setFollowRedirects(false);
        // HttpClient 5 also retries 429/503 by itself, sleeping through Retry-After: the sink retries instead
        c.setHttpClientConfigurer(builder -> builder.disableAutomaticRetries()
                .setRetryStrategy(new DefaultHttpRequestRetryStrategy(0, TimeValue.ZERO_MILLISECONDS)));
        return c;
    }
}
