package org.o365audit.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** {@code GET /subscriptions/content}: the blobs that became available in a window, paged by NextPageUri. */
final class ContentListing {

    private ContentListing() {
    }

    static SimResponse list(SimRequest request, SimulatedTenant tenant, String baseUrl) {
        String type = SubscriptionOperations.requireContentType(request);
        if (!ContentTypes.isKnown(type)) {
            throw SubscriptionOperations.invalidType(type);
        }
        SubscriptionState state = tenant.subscriptionState(type);
        if (tenant.isAuditingOff() || state == SubscriptionState.DISABLED) {
            throw ApiError.badRequest("AF20023", "The subscription was disabled by a tenant admin");
        }
        if (state == SubscriptionState.NONE) {
            throw ApiError.badRequest("AF20022", "No subscription found for the specified content type");
        }
        Instant now = tenant.clock().instant();
        ListingWindow window = ListingWindow.of(request.param("startTime"), request.param("endTime"), now);
        List<SimBlob> listing = tenant.blobStore().listable(type, window.start(), window.end(), now);
        String nextPage = request.param("nextPage");
        int from = nextPage == null ? 0 : PageCursor.resume(nextPage, listing);
        int to = Math.min(listing.size(), from + tenant.blobStore().pageSize());

        ArrayNode body = Json.MAPPER.createArrayNode();
        for (SimBlob blob : listing.subList(from, to)) {
            body.add(entry(blob, baseUrl, tenant.tenantId()));
        }
        SimResponse response = SimResponse.json(200, body);
        if (to < listing.size()) {
            response.header("NextPageUri", nextPageUri(baseUrl, tenant.tenantId(), type, window,
                    PageCursor.after(listing.get(to - 1))));
        }
        return response;
    }

    private static ObjectNode entry(SimBlob blob, String baseUrl, String tenantId) {
        ObjectNode node = Json.object();
        node.put("contentType", blob.contentType());
        node.put("contentId", blob.contentId());
        node.put("contentUri", blob.contentUri(baseUrl, tenantId));
        node.put("contentCreated", Json.contentTime(blob.contentCreated()));
        node.put("contentExpiration", Json.contentTime(blob.contentExpiration()));
        return node;
    }

    /** As in the reference's sample, the next-page URI uses {@code /api/v1/} and repeats the window verbatim. */
    private static String nextPageUri(String baseUrl, String tenantId, String type, ListingWindow window,
                                      String cursor) {
        return baseUrl + "/api/v1/" + tenantId + "/activity/feed/subscriptions/content"
                + "?contentType=" + encode(type)
                + "&startTime=" + encode(window.startText())
                + "&endTime=" + encode(window.endText())
                + "&nextPage=" + encode(cursor);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("%3A", ":");
    }
}
