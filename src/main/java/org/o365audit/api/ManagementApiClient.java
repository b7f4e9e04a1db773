package org.o365audit.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.o365audit.config.Tenant;
import org.springframework.stereotype.Component;

/**
 * The calls of the Office 365 Management Activity API (shared/docs/o365-api.md 1.2). The token only goes
 * to the tenant's own API origin and PublisherIdentifier is on every call; token renewal, throttling
 * and retries are {@link TenantHttp}'s, keyed by the tenant so all its content types back off together.
 */
@Component
public class ManagementApiClient {
    static final DateTimeFormatter WINDOW_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private final TenantHttp http;
    private final ObjectMapper mapper;

    public ManagementApiClient(TenantHttp http, ObjectMapper mapper) {
        this.http = http;
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

    /**
     * {@code POST /subscriptions/start}; AF20024 (already enabled, nothing to change) counts as success. With push on,
     * the body carries the webhook (an empty expiration: it does not expire); Microsoft validates the address before
     * it answers (AF20021 when the address did not answer 200).
     */
    public void startSubscription(Tenant tenant, String contentType) {
        URI uri = URI.create(tenant.feedRoot() + "/subscriptions/start?contentType=" + enc(contentType));
        String body = null;
        if (tenant.pushEnabled()) {
            com.fasterxml.jackson.databind.node.ObjectNode webhook = mapper.createObjectNode();
            webhook.putObject("webhook").put("address", tenant.webhookAddress()).put("authId", tenant.webhookAuthId())
                    .put("expiration", "");
            body = webhook.toString();
        }
        try (ClassicHttpResponse r = execute(tenant, "POST", uri, "start subscription " + contentType, body)) {
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
            JsonNode arr = r.getEntity() == null ? null : mapper.readTree(r.getEntity().getContent());
            if (arr != null && !arr.isMissingNode() && !arr.isArray()) {
                // an answer that is not the documented array must not pass for "no blobs": the cursor would move on
                throw new ManagementApiException("tenant " + tenant.name() + ": " + what, r.getCode(), null,
                        "the listing is not a JSON array but " + arr.getNodeType());
            }
            List<ContentBlob> blobs = new ArrayList<>();
            if (arr != null && arr.isArray()) {
                for (JsonNode n : arr) {
                    String uri = n.path("contentUri").asText();
                    String id = n.path("contentId").asText();
                    // the ledger keys on contentId: an entry without one is keyed by its URI, never lumped with others
                    blobs.add(new ContentBlob(n.path("contentType").asText(contentType), id.isBlank() ? "uri:" + uri : id,
                            uri, instant(n.path("contentCreated").asText(null)), instant(n.path("contentExpiration").asText(null))));
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

    /** One call under {@link TenantHttp}'s rules, only to the tenant's API origin, with PublisherIdentifier. */
    ClassicHttpResponse execute(Tenant tenant, String method, URI uri, String what) {
        return execute(tenant, method, uri, what, null);
    }

    private ClassicHttpResponse execute(Tenant tenant, String method, URI uri, String what, String jsonBody) {
        TenantHttp.requireOrigin(tenant.apiOrigin(), uri, "tenant " + tenant.name() + ": " + what, "the tenant's API host");
        return http.execute(tenant, new TenantHttp.Call(method, withPublisher(uri, tenant.publisherId()),
                tenant.cloud().scope(), tenant.tenantId(), what, Map.of(), null, jsonBody));
    }

    /**
     * {@code GET /subscriptions/notifications} for {@code startTime <= contentCreated < endTime}, every page: the
     * delivery attempts of the tenant's webhook (each a content object with notificationSent and notificationStatus).
     */
    public List<JsonNode> notifications(Tenant tenant, String contentType, Instant start, Instant end) {
        List<JsonNode> all = new ArrayList<>();
        URI page = URI.create(tenant.feedRoot() + "/subscriptions/notifications?contentType=" + enc(contentType)
                + "&startTime=" + WINDOW_TIME.format(start) + "&endTime=" + WINDOW_TIME.format(end));
        String what = "list notifications " + contentType;
        for (int pages = 0; page != null && pages < 1000; pages++) {
            try (ClassicHttpResponse r = execute(tenant, "GET", page, what)) {
                JsonNode arr = r.getEntity() == null ? null : mapper.readTree(r.getEntity().getContent());
                if (arr != null && arr.isArray()) {
                    arr.forEach(all::add);
                }
                Header next = r.getFirstHeader("NextPageUri");
                if (next == null) {
                    next = r.getFirstHeader("NextPageUrl");
                }
                page = next == null || next.getValue().isBlank() ? null : URI.create(next.getValue().trim());
            } catch (IOException e) {
                throw new ManagementApiException("tenant " + tenant.name() + ": " + what, 0, null, "unreadable answer: " + e.getMessage());
            }
        }
        return all;
    }

    static URI withPublisher(URI uri, String publisherId) {
        String q = uri.getRawQuery();
        if (q != null && q.toLowerCase(Locale.ROOT).contains("publisheridentifier=")) {
            return uri;
        }
        String s = uri.toString();
        return URI.create(s + (q == null ? "?" : "&") + "PublisherIdentifier=" + enc(publisherId));
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

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void closeQuietly(ClassicHttpResponse r) {
        try {
            r.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
