package org.o365audit.sink;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalServiceException;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.o365audit.config.Cloud;
import org.springframework.stereotype.Component;

/**
 * Entra ID tokens of the Sentinel sinks: client credentials (msal4j) of the app registration that holds the
 * "Monitoring Metrics Publisher" role on the data collection rule, in the Azure AD tenant owning it. One msal4j
 * application per sink; the current token is kept while it has more than five minutes left (msal4j's own rule,
 * kept here as in TokenProvider since msal4j missed its cache for an authority on a non-default port).
 * The token lives only here: the sink's HTTP client ({@link SentinelHttpClient}) reads it as a request to the
 * sink's endpoint leaves; it is never a header, property or log line.
 */
@Component("sentinelTokens")
public class SentinelTokens {
    static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(5);

    private final SinkSettings settings;
    private final Clock clock;
    private final Map<String, ConfidentialClientApplication> apps = new ConcurrentHashMap<>();
    private final Map<String, IAuthenticationResult> current = new ConcurrentHashMap<>();

    public SentinelTokens(SinkSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * The scope of a Logs Ingestion token in the Azure cloud holding the DCR: the audience followed by
     * {@code //.default}, as Microsoft's REST tutorial and the SDKs ask for it (the resource's app id URI ends in a
     * slash; the token's aud is the audience). enterprise and gcc: Azure public cloud; gcc-high and dod: Azure US
     * Government; china: Azure operated by 21Vianet.
     */
    public static String audience(Cloud cloud) {
        return switch (cloud) {
            case ENTERPRISE, GCC -> "https://monitor.azure.com";
            case GCC_HIGH, DOD -> "https://monitor.azure.us";
            case CHINA -> "https://monitor.azure.cn";
        };
    }

    public static String scope(Cloud cloud) {
        return audience(cloud) + "//.default";
    }

    /**
     * Makes sure the sink has a token with more than five minutes left, asking Entra ID for one when not.
     * A refusal by Entra ID (unknown tenant or app, wrong secret, no such scope) is a setting to fix
     * ({@link SinkRefusedException}); no answer is a failed delivery ({@link SinkUnavailableException}).
     */
    public void ensure(String sink) {
        IAuthenticationResult r = current.get(sink);
        if (r == null || !r.expiresOnDate().toInstant().isAfter(clock.instant().plus(RENEW_BEFORE_EXPIRY))) {
            acquire(sink);
        }
    }

    /** The current token of the sink, or null; read by its HTTP client only. */
    String current(String sink) {
        IAuthenticationResult r = current.get(sink);
        return r == null ? null : r.accessToken();
    }

    /** The endpoint refused the token (401): the next delivery asks for a new one. */
    public void forget(String sink) {
        current.remove(sink);
    }

    private void acquire(String sink) {
        Map<String, String> cfg = settings.all().get(sink);
        if (cfg == null) {
            throw new SinkRefusedException("no settings", "a sentinel sink is configured under o365.sinks." + sink
                    + " (its client-secret is read there)");
        }
        ClientCredentialParameters params = ClientCredentialParameters
                .builder(Set.of(scope(Cloud.fromKey(cfg.get("cloud"))))).skipCache(true).build();
        String where = "sink " + sink + ": token from " + login(cfg) + " for tenant " + cfg.get("tenant-id");
        try {
            IAuthenticationResult result = apps.computeIfAbsent(sink, s -> build(s, cfg)).acquireToken(params)
                    .get(60, TimeUnit.SECONDS);
            current.put(sink, result);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkUnavailableException(where + " interrupted", e);
        } catch (TimeoutException e) {
            throw new SinkUnavailableException(where + ": no answer within 60 s", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof MsalServiceException mse && refusal(mse)) {
                throw new SinkRefusedException("Entra ID refused the sink's token request (" + mse.errorCode() + ")",
                        settings.redact(sink, where + ": " + firstLine(mse.getMessage())));
            }
            throw new SinkUnavailableException(settings.redact(sink, where + " failed: "
                    + cause.getClass().getSimpleName() + ": " + firstLine(cause.getMessage())), cause);
        }
    }

    /** Entra ID's 4xx answers (other than 408 and 429) say a setting is wrong: tenant, app, secret, scope. */
    static boolean refusal(MsalServiceException e) {
        int status = e.statusCode() == null ? 0 : e.statusCode();
        return status >= 400 && status < 500 && status != 408 && status != 429;
    }

    private ConfidentialClientApplication build(String sink, Map<String, String> cfg) {
        String secret = settings.secret(sink, "client-secret");
        if (secret == null) {
            throw new SinkRefusedException("no client secret", "o365.sinks." + sink + ".client-secret is not set");
        }
        String login = login(cfg);
        try {
            ConfidentialClientApplication.Builder b = ConfidentialClientApplication
                    .builder(cfg.get("client-id"), ClientCredentialFactory.createFromSecret(secret))
                    .authority(login + "/" + cfg.get("tenant-id") + "/");
            if (!microsoftLogin(login)) {
                // a private or test login host: no instance discovery against Microsoft's hosts
                b.instanceDiscovery(false).validateAuthority(false);
            }
            return b.build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new SinkRefusedException("bad login url", "o365.sinks." + sink + ".login-url " + login);
        }
    }

    /** The login host: login-url when set (tests, private clouds), else the cloud's. */
    static String login(Map<String, String> cfg) {
        String url = cfg.get("login-url");
        if (url == null || url.isBlank()) {
            url = Cloud.fromKey(cfg.get("cloud")).loginUrl().toString();
        }
        url = url.trim();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return url;
    }

    private static boolean microsoftLogin(String login) {
        String host = URI.create(login).getHost();
        for (Cloud c : Cloud.values()) {
            if (c.loginUrl().getHost().equalsIgnoreCase(host)) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
