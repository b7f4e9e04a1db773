package org.o365audit.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.util.Timeout;
import org.o365audit.auth.PinnedCertificates;
import org.o365audit.config.O365Properties;
import org.o365audit.config.Tenant;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * One Apache HttpClient 5 per tenant (its own TLS trust and connection pool). Redirects and the
 * client's own retries are off: a redirect could carry the token to another host, and HttpClient's
 * built-in Retry-After handling would block a poll for as long as the server asks (CAMEL-23345).
 */
@Component
public class HttpClients implements DisposableBean {
    private final ConcurrentMap<String, CloseableHttpClient> clients = new ConcurrentHashMap<>();
    private final O365Properties props;
    private final PinnedCertificates tls;

    public HttpClients(O365Properties props, PinnedCertificates tls) {
        this.props = props;
        this.tls = tls;
    }

    public CloseableHttpClient of(Tenant tenant) {
        return clients.computeIfAbsent(tenant.tenantId(), id -> build(tenant));
    }

    private CloseableHttpClient build(Tenant tenant) {
        Timeout timeout = Timeout.of(props.getHttpTimeout().toMillis(), TimeUnit.MILLISECONDS);
        // every content type polls at once, each listing while o365.parallel-blobs of its blobs download
        int connections = Math.max(10, tenant.contentTypes().size() * (props.getParallelBlobs() + 1));
        return org.apache.hc.client5.http.impl.classic.HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(new DefaultClientTlsStrategy(tls.sslContext(tenant)))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                        .setMaxConnPerRoute(connections)
                        .setMaxConnTotal(connections + 10)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setUserAgent("o365-audit-connector")
                .build();
    }

    @Override
    public void destroy() {
        clients.values().forEach(c -> {
            try {
                c.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
