package org.o365audit.simulator;

import java.util.Optional;
import java.util.function.Function;

/**
 * The Management Activity API operations under {@code /api/v1.0/{tenant}/activity/feed/}: bearer-token
 * check, pending throttles, then the operation itself.
 */
final class ActivityFeedApi {

    private static final String NO_PUBLISHER = "00000000-0000-0000-0000-000000000000";

    private final String baseUrl;
    private final Function<String, Optional<SimulatedTenant>> tokenOwner;

    /** @param tokenOwner finds the tenant that issued an access token */
    ActivityFeedApi(String baseUrl, Function<String, Optional<SimulatedTenant>> tokenOwner) {
        this.baseUrl = baseUrl;
        this.tokenOwner = tokenOwner;
    }

    /**
     * @param operation the path after {@code /activity/feed/}
     * @param tenant    the tenant named in the URL, or null when the simulator has no such tenant
     */
    SimResponse handle(SimRequest request, String tenantId, SimulatedTenant tenant, String operation) {
        String method = methodName(request.method(), operation);
        if (method == null) {
            return SimResponse.empty(404);
        }
        try {
            authorize(request, tenantId, tenant);
            throttle(request, tenant, method);
            tenant.faults().apply(method, request);
            return switch (method) {
                case "ListSubscriptions" -> SubscriptionOperations.list(tenant);
                case "StartSubscription" -> SubscriptionOperations.start(request, tenant);
                case "StopSubscription" -> SubscriptionOperations.stop(request, tenant);
                case "ListContent" -> ContentListing.list(request, tenant, baseUrl);
                case "ListNotifications" -> SubscriptionOperations.notifications(request, tenant);
                default -> ContentRetrieval.retrieve(operation.substring("audit/".length()), tenant);
            };
        } catch (ApiError e) {
            SimResponse response = e.toResponse();
            return e.status() == 401 ? response.header("WWW-Authenticate", "Bearer error=\"invalid_token\"") : response;
        }
    }

    /** The operation name the service uses in AF429 messages, or null for an unknown path. */
    private static String methodName(String httpMethod, String operation) {
        boolean get = "GET".equals(httpMethod);
        boolean post = "POST".equals(httpMethod);
        if (get && operation.equals("subscriptions/list")) {
            return "ListSubscriptions";
        } else if (post && operation.equals("subscriptions/start")) {
            return "StartSubscription";
        } else if (post && operation.equals("subscriptions/stop")) {
            return "StopSubscription";
        } else if (get && operation.equals("subscriptions/notifications")) {
            return "ListNotifications";
        } else if (get && operation.equals("subscriptions/content")) {
            return "ListContent";
        } else if (get && operation.startsWith("audit/") && operation.length() > "audit/".length()) {
            return "GetBlob";
        }
        return null;
    }

    private void authorize(SimRequest request, String tenantId, SimulatedTenant tenant) {
        String header = request.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("Authorization has been denied for this request: no bearer token.");
        }
        String token = header.substring(7).trim();
        SimulatedTenant owner = tokenOwner.apply(token)
                .orElseThrow(() -> unauthorized("Authorization has been denied for this request: unknown token."));
        if (owner != tenant) {
            throw new ApiError(401, "AF20010", "The tenant ID passed in the URL (" + tenantId
                    + ") does not match the tenant ID passed in the access token (" + owner.tenantId() + ").");
        }
        switch (tenant.credentials().check(token, tenant.clock().instant())) {
            case VALID -> { }
            case REVOKED -> throw unauthorized("Authorization has been denied for this request: token revoked.");
            default -> throw unauthorized("Authorization has been denied for this request: token expired.");
        }
    }

    private static void throttle(SimRequest request, SimulatedTenant tenant, String method) {
        Optional<ThrottleQueue.Throttle> pending = tenant.throttles().take();
        if (pending.isEmpty()) {
            return;
        }
        String publisher = Optional.ofNullable(request.param("PublisherIdentifier")).orElse(NO_PUBLISHER);
        String message = "Too many requests. Method=" + method + ", PublisherId=" + publisher;
        ThrottleQueue.Throttle throttle = pending.get();
        if (throttle.style() == ThrottleStyle.HTTP_403_AF429) {
            throw new ApiError(403, "AF429", message);
        }
        if (throttle.style() == ThrottleStyle.HTTP_500_AF50000) {
            throw new ApiError(500, "AF50000", "An internal error occurred. Retry the request.");
        }
        throw new ThrottledError(429, "AF429", message, throttle.retryAfter());
    }

    private static ApiError unauthorized(String message) {
        return new ApiError(401, "invalid_token", message);
    }
}
