package org.o365audit.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.o365audit.auth.TokenProvider;
import org.o365audit.config.O365Properties;
import org.o365audit.config.Tenant;
import org.springframework.stereotype.Component;

/**
 * The calls of the Office 365 Management Activity API (shared/docs/o365-api.md 1.2), with the rules
 * every call follows: the token only goes to the tenant's own API origin, PublisherIdentifier on every
 * call, 401 re-acquires the token once, 429 and AF429 (also as 403) back the tenant off, 5xx and network
 * errors retry with exponential back-off.
 */
@Component
public class ManagementApiClient {
    static final DateTimeFormatter WINDOW_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final int MAX_THROTTLED_TRIES = 12;

    private final HttpClients clients;
    private final TokenProvider tokens;
    private final TenantThrottle throttle;
    private final O365Properties props;
    private final ObjectMapper mapper;

    public ManagementApiClient(HttpClients clients, TokenProvider tokens, TenantThrottle throttle,
            O365Properties props, ObjectMapper mapper) {
        this.clients = clients;
        this.tokens = tokens;
        this.throttle = throttle;
        this.props = props;
        this.mapper = mapper;
    }

    /** {@code GET /subscriptions/list}: the content types with a subscription and their status. */
    public JsonNode listSubscriptions(Tenant tenant) {
        URI uri = URI.create(tenant.feedRoot() + "/subscriptions/list");
        try (ClassicHttpResponse r = execute(tenant, "GET", uri, "list subscriptions")) {
            return mapper.readTree(r.getEntity().getContent());
        } catch (IOException e) {
            throw new ManagementApiException("tenant " + tenant.name() + ": list subscriptions", 0, null, "unreadable answer: " + e.getMessage());
        }
    }

    /** {@code POST /subscriptions/start}; AF20024 (already enabled, nothing to change) counts as success. */
    public void startSubscription(Tenant tenant, String contentType) {
        URI uri = URI.create(tenant.feedRoot() + "/subscriptions/start?contentType=" + enc(contentType));
        try (ClassicHttpResponse r = execute(tenant, "POST", uri, "start subscription " + contentType)) {
            r.getEntity().getContent().readAllBytes();
        } catch (ManagementApiException e) {
            if (e.status() == 400 && e.is("AF20024")) {
                return;
            }
            throw e;
        } catch (IOException e) {
            throw new ManagementApiException("tenant " + tenant.name() + ": start " + contentType, 0, null, e.getMessage());
        }
    }

    /** The first listing page of {@code startTime <= contentCreated < endTime}. */
    public URI contentListing(Tenant tenant, String contentType, Instant start, Instant end) {
        return URI.create(tenant.feedRoot() + "/subscriptions/content?contentType=" + enc(contentType)
                + "&startTime=" + WINDOW_TIME.format(start) + "&endTime=" + WINDOW_TIME.format(end));
    }

    /** One listing page; its NextPageUri (or NextPageUrl) is used verbatim. */
    public ListingPage listPage(Tenant tenant, String contentType, URI page) {
        String what = "list " + contentType;
        try (ClassicHttpResponse r = execute(tenant, "GET", page, what)) {
            JsonNode arr = mapper.readTree(r.getEntity().getContent());
            List<ContentBlob> blobs = new ArrayList<>();
            if (arr != null && arr.isArray()) {
                for (JsonNode n : arr) {
                    blobs.add(new ContentBlob(n.path("contentType").asText(contentType), n.path("contentId").asText(),
                            n.path("contentUri").asText(), instant(n.path("contentCreated").asText(null)),
                            instant(n.path("contentExpiration").asText(null))));
                }
            }
            Header next = r.getFirstHeader("NextPageUri");
            if (next == null) {
                next = r.getFirstHeader("NextPageUrl");
            }
            return new ListingPage(blobs, next == null || next.getValue().isBlank() ? null : URI.create(next.getValue().trim()));
        } catch (IOException e) {
            throw new ManagementApiException("tenant " + tenant.name() + ": " + what, 0, null, "unreadable listing: " + e.getMessage());
        }
    }

    /** Opens a content blob as a stream; the caller closes it. Only the tenant's own API host is called. */
    public InputStream openBlob(Tenant tenant, ContentBlob blob) {
        ClassicHttpResponse r = execute(tenant, "GET", URI.create(blob.contentUri()),
                "fetch " + blob.contentType() + " blob " + blob.contentId());
        HttpEntity entity = r.getEntity();
        try {
            return new FilterInputStream(entity.getContent()) {
                @Override
                public void close() throws IOException {
                    r.close();
                }
            };
        } catch (IOException e) {
            closeQuietly(r);
            throw new ManagementApiException("tenant " + tenant.name() + ": blob " + blob.contentId(), 0, null, e.getMessage());
        }
    }

    /** Runs one call with the rules above; returns a 2xx response the caller must close. */
    ClassicHttpResponse execute(Tenant tenant, String method, URI uri, String what) {
        String context = "tenant " + tenant.name() + ": " + what;
        requireTenantOrigin(tenant, uri, context);
        URI target = withPublisher(uri, tenant.publisherId());
        boolean refreshed = false;
        boolean useFreshToken = false;
        int failures = 0;
        int throttledTries = 0;
        while (true) {
            throttle.awaitTurn(tenant);
            String token = useFreshToken ? tokens.freshToken(tenant) : tokens.token(tenant);
            useFreshToken = false;
            HttpUriRequestBase req = "POST".equals(method) ? new HttpPost(target) : new HttpGet(target);
            req.setHeader("Authorization", "Bearer " + token);
            req.setHeader("Accept", "application/json");
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
            if (status < 300) {
                throttle.succeeded(tenant);
                return resp;
            }
            ManagementApiException error = error(context, resp);
            if (status == 401 && !refreshed) {
                // the token expired or was revoked before msal4j's expiry said so: one new token, one retry
                refreshed = true;
                useFreshToken = true;
                continue;
            }
            if (error.throttled()) {
                if (++throttledTries > MAX_THROTTLED_TRIES) {
                    throw error;
                }
                throttle.throttled(tenant, retryAfter(resp), what);
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

    private ManagementApiException error(String context, ClassicHttpResponse resp) {
        String code = null;
        String message = null;
        try (resp) {
            HttpEntity e = resp.getEntity();
            if (e != null) {
                byte[] body = e.getContent().readNBytes(8192);
                JsonNode n = mapper.readTree(body);
                if (n != null) {
                    JsonNode err = n.path("error");
                    code = err.isObject() ? textOrNull(err.path("code")) : textOrNull(err);
                    message = err.isObject() ? textOrNull(err.path("message")) : textOrNull(n.path("error_description"));
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

    static void requireTenantOrigin(Tenant tenant, URI uri, String context) {
        URI origin = tenant.apiOrigin();
        boolean same = uri.getScheme() != null && uri.getScheme().equalsIgnoreCase(origin.getScheme())
                && uri.getHost() != null && uri.getHost().equalsIgnoreCase(origin.getHost())
                && port(uri) == port(origin);
        if (!same) {
            throw new ForeignHostException(context + ": refused " + uri.getScheme() + "://" + uri.getHost()
                    + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + " because it is not the tenant's API host "
                    + origin.getHost() + "; the token was not sent");
        }
    }

    private static int port(URI u) {
        if (u.getPort() > 0) {
            return u.getPort();
        }
        return "http".equalsIgnoreCase(u.getScheme()) ? 80 : 443;
    }

    static URI withPublisher(URI uri, String publisherId) {
        String q = uri.getRawQuery();
        if (q != null && q.toLowerCase(Locale.ROOT).contains("publisheridentifier=")) {
            return uri;
        }
        String s = uri.toString();
        return URI.create(s + (q == null ? "?" : "&") + "PublisherIdentifier=" + enc(publisherId));
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
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(Instant.now(), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    private static Instant instant(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String textOrNull(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }

    private static void closeQuietly(ClassicHttpResponse r) {
        try {
            r.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
