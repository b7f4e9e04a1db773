package org.o365audit.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.o365audit.auth.TokenProvider;
import org.o365audit.config.O365Properties;
import org.o365audit.config.Tenant;
import org.springframework.stereotype.Component;

/**
 * One authenticated call to a Microsoft API on behalf of a tenant, with the rules every call follows:
 * a token for the call's scope, a 401 re-acquires it once, 429 and AF429 (also sent as HTTP 403) back
 * off the call's throttle key (Retry-After when given), 5xx and network errors retry with exponential
 * back-off. Callers check the URL's origin first: a token only goes to the host it was issued for.
 */
@Component
public class TenantHttp {
    private final HttpClients clients;
    private final TokenProvider tokens;
    private final TenantThrottle throttle;
    private final O365Properties props;
    private final ObjectMapper mapper;
    private final ServerClock serverClock;

    public TenantHttp(HttpClients clients, TokenProvider tokens, TenantThrottle throttle, O365Properties props,
            ObjectMapper mapper, ServerClock serverClock) {
        this.clients = clients;
        this.tokens = tokens;
        this.throttle = throttle;
        this.props = props;
        this.mapper = mapper;
        this.serverClock = serverClock;
    }

    /**
     * A call: {@code throttleKey} groups the calls that back off together (a tenant's Management API, its
     * Power BI API, one Dataverse environment); {@code budget}, when set, is asked before every request.
     */
    public record Call(String method, URI uri, String scope, String throttleKey, String what,
            Map<String, String> headers, RequestBudget budget, String jsonBody) {
        public Call(String method, URI uri, String scope, String throttleKey, String what, Map<String, String> headers,
                RequestBudget budget) {
            this(method, uri, scope, throttleKey, what, headers, budget, null);
        }
    }

    /**
     * Runs the call; returns a 2xx response the caller must close. Any method (GET, POST, PATCH, DELETE), with a JSON
     * body when {@code jsonBody} is set; writes are retried like reads, so only idempotent ones may go through here.
     */
    public ClassicHttpResponse execute(Tenant tenant, Call call) {
        String context = "tenant " + tenant.name() + ": " + call.what();
        boolean refreshed = false;
        boolean useFreshToken = false;
        int failures = 0;
        while (true) {
            throttle.awaitTurn(call.throttleKey(), tenant.name());
            if (call.budget() != null) {
                call.budget().acquire(tenant.name());
            }
            String token = useFreshToken ? tokens.freshToken(tenant, call.scope()) : tokens.token(tenant, call.scope());
            useFreshToken = false;
            HttpUriRequestBase req = new HttpUriRequestBase(call.method(), call.uri());
            if (call.jsonBody() != null) {
                req.setEntity(new StringEntity(call.jsonBody(), ContentType.APPLICATION_JSON));
            }
            req.setHeader("Authorization", "Bearer " + token);
            req.setHeader("Accept", "application/json");
            call.headers().forEach(req::setHeader);
            ClassicHttpResponse resp;
            try {
                resp = clients.of(tenant).executeOpen(null, req, null);
            } catch (IOException e) {
                failures++;
                if (failures >= props.getMaxAttempts()) {
                    throw new ManagementApiException(context, 0, null, "network error after " + failures + " attempts: " + e);
                }
                sleep(throttle.exponential(failures));
                continue;
            }
            int status = resp.getCode();
            Header date = resp.getFirstHeader("Date");
            serverClock.observe(tenant.tenantId(), tenant.name(), date == null ? null : date.getValue());
            if (status < 300) {
                throttle.succeeded(call.throttleKey());
                return resp;
            }
            ManagementApiException error = error(context, resp);
            if (status == 401 && !refreshed) {
                // the token expired or was revoked before its stated expiry: one new token, one retry
                refreshed = true;
                useFreshToken = true;
                continue;
            }
            if (error.throttled()) {
                // back off; awaitTurn at the top of the loop then ends the poll, and a later poll resumes
                throttle.throttled(call.throttleKey(), tenant.name(), retryAfter(resp), call.what());
                continue;
            }
            if (error.retriable()) {
                failures++;
                if (failures >= props.getMaxAttempts()) {
                    throw error;
                }
                sleep(throttle.exponential(failures));
                continue;
            }
            throw error;
        }
    }

    /** Refuses, before any request, a URL outside the origin the token is for. */
    public static void requireOrigin(URI origin, URI uri, String context, String originName) {
        boolean same = uri.getScheme() != null && uri.getScheme().equalsIgnoreCase(origin.getScheme())
                && uri.getHost() != null && uri.getHost().equalsIgnoreCase(origin.getHost())
                && port(uri) == port(origin);
        if (!same) {
            throw new ForeignHostException(context + ": refused " + uri.getScheme() + "://" + uri.getHost()
                    + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + " because it is not " + originName + " "
                    + origin.getHost() + "; the token was not sent");
        }
    }

    private ManagementApiException error(String context, ClassicHttpResponse resp) {
        String code = null;
        String message = null;
        try (resp) {
            HttpEntity e = resp.getEntity();
            if (e != null) {
                JsonNode n = mapper.readTree(e.getContent().readNBytes(8192));
                if (n != null) {
                    JsonNode err = n.path("error");
                    code = err.isObject() ? text(err.path("code")) : text(err);
                    message = err.isObject() ? text(err.path("message")) : text(n.path("error_description"));
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // a non-JSON error body: the status alone has to do
        }
        if (message != null && message.length() > 300) {
            message = message.substring(0, 300) + "...";
        }
        return new ManagementApiException(context, resp.getCode(), code, message);
    }

    static Duration retryAfter(ClassicHttpResponse resp) {
        Header h = resp.getFirstHeader("Retry-After");
        if (h == null || h.getValue().isBlank()) {
            return null;
        }
        String v = h.getValue().trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(Instant.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    private static int port(URI u) {
        if (u.getPort() > 0) {
            return u.getPort();
        }
        return "http".equalsIgnoreCase(u.getScheme()) ? 80 : 443;
    }

    private static String text(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }
}
