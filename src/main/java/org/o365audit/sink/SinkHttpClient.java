package org.o365audit.sink;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.RouteInfo;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.reactor.ssl.SSLBufferMode;
import org.apache.hc.core5.util.Timeout;
import org.springframework.boot.ssl.SslBundle;

/**
 * The HTTP client of one webhook, Splunk HEC or _bulk sink: a local bean of the sink's route template, given to
 * camel-http as its httpClientConfigurer. The sink's credentials are added inside HttpClient, as the request
 * leaves, and only to requests for the sink's own scheme, host and port: they are never a message header (which
 * Hawtio's tracer and the logs would show) nor part of an endpoint URI (JMX names, route dumps). With an
 * ssl-bundle the client trusts that bundle instead of the JVM's trust store; host names are checked either way.
 * The components' settings stay: no retries by HttpClient, no redirects, the same time-outs.
 */
public class SinkHttpClient implements HttpClientConfigurer {
    private final SinkSettings settings;
    private final SinkTls tls;
    private final SinkHttpConfiguration.Timeouts timeouts;
    private String sink;
    private String url;
    private String sslBundle = "";
    private String tokenScheme = "";

    public SinkHttpClient(SinkSettings settings, SinkTls tls, SinkHttpConfiguration.Timeouts timeouts) {
        this.settings = settings;
        this.tls = tls;
        this.timeouts = timeouts;
    }

    public void setSink(String sink) {
        this.sink = sink;
    }

    /** The sink's URL as its route sends to it (without credentials). */
    public void setUrl(String url) {
        this.url = url;
    }

    public void setSslBundle(String sslBundle) {
        this.sslBundle = sslBundle == null ? "" : sslBundle.trim();
    }

    /** With a scheme (Splunk), o365.sinks.&lt;name&gt;.token is sent as {@code Authorization: <scheme> <token>}. */
    public void setTokenScheme(String tokenScheme) {
        this.tokenScheme = tokenScheme == null ? "" : tokenScheme.trim();
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        SinkHttpConfiguration.NO_CLIENT_RETRIES.configureHttpClient(builder);
        URI origin = URI.create(url);
        String authorization = authorization();
        if (authorization != null) {
            builder.addRequestInterceptorLast((request, entity, context) -> {
                RouteInfo route = HttpClientContext.castOrCreate(context).getHttpRoute();
                if (route != null && sameOrigin(origin, route.getTargetHost())) {
                    request.setHeader(HttpHeaders.AUTHORIZATION, authorization);
                } else {
                    request.removeHeaders(HttpHeaders.AUTHORIZATION);
                }
            });
        }
        SslBundle bundle = tls.bundle(sink, sslBundle);
        if (bundle != null) {
            Timeout connect = Timeout.of(timeouts.connect().toMillis(), TimeUnit.MILLISECONDS);
            Timeout response = Timeout.of(timeouts.response().toMillis(), TimeUnit.MILLISECONDS);
            builder.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                    .setTlsSocketStrategy(new DefaultClientTlsStrategy(bundle.createSslContext(),
                            bundle.getOptions().getEnabledProtocols(), bundle.getOptions().getCiphers(),
                            SSLBufferMode.STATIC, HostnameVerificationPolicy.BOTH, new DefaultHostnameVerifier()))
                    .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connect)
                            .setSocketTimeout(response).build())
                    .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(response).build())
                    .build());
        }
    }

    /**
     * The Authorization header: the token under the template's scheme (HEC), else o365.sinks.&lt;name&gt;.authorization
     * as written (ApiKey …, Basic …, Bearer …), else Basic from the user and password in o365.sinks.&lt;name&gt;.url.
     */
    String authorization() {
        String token = settings.secret(sink, "token");
        if (!tokenScheme.isEmpty() && token != null) {
            return tokenScheme + " " + token;
        }
        String explicit = settings.secret(sink, "authorization");
        if (explicit != null) {
            return explicit;
        }
        Map<String, String> cfg = settings.all().get(sink);
        String userInfo = cfg == null || cfg.get("url") == null ? null : SinkSettings.userInfo(cfg.get("url"));
        return userInfo == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    static boolean sameOrigin(URI origin, HttpHost target) {
        return target != null && origin.getScheme().equalsIgnoreCase(target.getSchemeName())
                && origin.getHost().equalsIgnoreCase(target.getHostName())
                && port(origin.getScheme(), origin.getPort()) == port(target.getSchemeName(), target.getPort());
    }

    private static int port(String scheme, int port) {
        return port >= 0 ? port : scheme.toLowerCase(Locale.ROOT).equals("https") ? 443 : 80;
    }

    @Override
    public String toString() {
        // what JMX and a route dump may show: never the credentials
        return "SinkHttpClient[sink=" + sink + ", sslBundle=" + (sslBundle.isEmpty() ? "-" : sslBundle) + "]";
    }
}
