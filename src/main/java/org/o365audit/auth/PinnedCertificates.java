package org.o365audit.auth;

import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.o365audit.config.Tenant;
import org.springframework.stereotype.Component;

/**
 * Tenants whose endpoints are trusted through one certificate handed over in-process instead of a trust store:
 * the built-in simulated tenant, whose simulator makes its certificate at start. Every other tenant gets
 * {@link TlsSupport#sslContext(Tenant)}.
 */
@Component
public class PinnedCertificates {
    private final Map<String, X509Certificate> byTenantId = new ConcurrentHashMap<>();

    /** From now on this tenant's token and API calls trust {@code certificate} and nothing else. */
    public void pin(String tenantId, X509Certificate certificate) {
        byTenantId.put(tenantId, certificate);
    }

    /** The TLS context for the tenant's login and API hosts. */
    public SSLContext sslContext(Tenant tenant) {
        X509Certificate pinned = byTenantId.get(tenant.tenantId());
        return pinned != null ? TlsSupport.trusting(pinned) : TlsSupport.sslContext(tenant);
    }
}
