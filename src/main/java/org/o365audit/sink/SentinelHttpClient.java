package org.o365audit.sink;

import java.net.URI;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.RouteInfo;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.HttpHeaders;

/**
 * The HTTP client of one Sentinel sink, a local bean of its route template given to camel-http: the sink's Entra ID
 * token ({@link SentinelTokens}) is added as {@code Authorization: Bearer} inside HttpClient, as a request leaves,
 * and only to the sink's own endpoint (scheme, host and port); any other request has the header removed. So the
 * token is never a message header (Hawtio's tracer, logs) nor part of a URI (JMX, route dumps).
 */
public class SentinelHttpClient implements HttpClientConfigurer {
    private final SentinelTokens tokens;
    private String sink;
    private String endpoint;

    public SentinelHttpClient(SentinelTokens tokens) {
        this.tokens = tokens;
    }

    public void setSink(String sink) {
        this.sink = sink;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        SinkHttpConfiguration.NO_CLIENT_RETRIES.configureHttpClient(builder);
        URI origin = URI.create(endpoint.trim());
        builder.addRequestInterceptorLast((request, entity, context) -> {
            RouteInfo route = HttpClientContext.castOrCreate(context).getHttpRoute();
            String token = tokens.current(sink);
            if (token != null && route != null && SinkHttpClient.sameOrigin(origin, route.getTargetHost())) {
                request.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
            } else {
                request.removeHeaders(HttpHeaders.AUTHORIZATION);
            }
        });
    }

    @Override
    public String toString() {
        return "SentinelHttpClient[sink=" + sink + "]";
    }
}
