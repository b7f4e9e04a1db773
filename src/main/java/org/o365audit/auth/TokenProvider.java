package org.o365audit.auth;

import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalServiceException;
import java.net.MalformedURLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.o365audit.config.Tenant;
import org.springframework.stereotype.Component;

/**
 * Tokens for the Management Activity API, one msal4j application per tenant so that a token is never
 * reused for another tenant. The last token of each tenant is kept and reused while it has more than
 * five minutes left, the same rule msal4j's own cache applies; we keep it ourselves because msal4j 1.26
 * missed its cache for authorities on a non-default port (seen with the local simulator), which would
 * otherwise ask the login endpoint for a token before every call.
 */
@Component
public class TokenProvider {
    static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(5);

    private final ConcurrentMap<String, ConfidentialClientApplication> apps = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, IAuthenticationResult> current = new ConcurrentHashMap<>();
    private final Clock clock;
    private final PinnedCertificates tls;

    public TokenProvider(Clock clock, PinnedCertificates tls) {
        this.clock = clock;
        this.tls = tls;
    }

    /** A valid token for the Management Activity API of the tenant's cloud. */
    public String token(Tenant tenant) {
        return token(tenant, tenant.cloud().scope());
    }

    /** A valid token for {@code scope}: the current one while it has more than five minutes left, else a new one. */
    public String token(Tenant tenant, String scope) {
        IAuthenticationResult r = current.get(key(tenant, scope));
        if (r != null && r.expiresOnDate().toInstant().isAfter(clock.instant().plus(RENEW_BEFORE_EXPIRY))) {
            return r.accessToken();
        }
        return acquire(tenant, scope, false);
    }

    /** A new token from the login endpoint, after the API refused the current one (401). */
    public String freshToken(Tenant tenant, String scope) {
        return acquire(tenant, scope, true);
    }

    public void forget(Tenant tenant) {
        apps.remove(tenant.tenantId());
        current.keySet().removeIf(k -> k.startsWith(tenant.tenantId() + "|"));
    }

    private static String key(Tenant tenant, String scope) {
        return tenant.tenantId() + "|" + scope;
    }

    private String acquire(Tenant tenant, String scope, boolean skipCache) {
        ConfidentialClientApplication app = apps.computeIfAbsent(tenant.tenantId(), id -> build(tenant));
        ClientCredentialParameters params = ClientCredentialParameters
                .builder(Set.of(scope))
                .skipCache(skipCache)
                .build();
        try {
            IAuthenticationResult result = app.acquireToken(params).get(60, TimeUnit.SECONDS);
            current.put(key(tenant, scope), result);
            return result.accessToken();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenException(tenant, "interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof MsalServiceException mse) {
                throw new TokenException(tenant, mse.errorCode() + ": " + firstLine(mse.getMessage()), mse);
            }
            throw new TokenException(tenant, cause.getClass().getSimpleName() + ": " + firstLine(cause.getMessage()), cause);
        } catch (TimeoutException e) {
            throw new TokenException(tenant, "no answer within 60 s", e);
        }
    }

    private ConfidentialClientApplication build(Tenant tenant) {
        try {
            ConfidentialClientApplication.Builder b = ConfidentialClientApplication
                    .builder(tenant.clientId(), ClientCredentials.of(tenant))
                    .authority(tenant.authority())
                    .sslSocketFactory(tls.sslContext(tenant).getSocketFactory());
            if (!tenant.microsoftLogin()) {
                // a private or test login host: no instance discovery against Microsoft's hosts
                b.instanceDiscovery(false).validateAuthority(false);
            }
            return b.build();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("tenant " + tenant.name() + ": bad login-url " + tenant.loginUrl(), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
