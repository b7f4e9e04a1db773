package org.o365audit.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/** {@code /subscriptions/list}, {@code /subscriptions/start} and {@code /subscriptions/stop}. */
final class SubscriptionOperations {

    private SubscriptionOperations() {
    }

    static SimResponse list(SimulatedTenant tenant) {
        ArrayNode body = Json.MAPPER.createArrayNode();
        for (String type : ContentTypes.ALL) {
            SubscriptionState state = tenant.subscriptionState(type);
            if (state != SubscriptionState.NONE) {
                body.add(subscription(type, state));
            }
        }
        return SimResponse.json(200, body);
    }

    /**
     * Starting an enabled subscription answers 400 AF20024 (undocumented in the reference, seen by
     * several collectors). Starting again within 15 minutes is refused, as the reference requires a
     * 15-minute wait between starts; Elastic recorded only the message of that refusal, so the code
     * AF20058 is the simulator's own choice.
     */
    static SimResponse start(SimRequest request, SimulatedTenant tenant) {
        String type = requireContentType(request);
        SubscriptionBook book = tenant.subscriptions();
        book.countStartCall(type);
        if (!ContentTypes.isKnown(type)) {
            throw invalidType(type);
        }
        SubscriptionBook.StartResult result = book.start(type, tenant.clock().instant());
        return switch (result.outcome()) {
            case STARTED -> SimResponse.json(200, subscription(type, SubscriptionState.ENABLED));
            case ALREADY_ENABLED -> throw ApiError.badRequest("AF20024",
                    "The subscription is already enabled. No property change.");
            case TOO_SOON -> throw new ApiError(429, "AF20058",
                    "Too many frequent subscription start requests. Please retry again after "
                            + minutesAndSeconds(result.retryAfter()));
        };
    }

    /** Stopping disables the subscription; content published while stopped is never listed later. */
    static SimResponse stop(SimRequest request, SimulatedTenant tenant) {
        String type = requireContentType(request);
        if (!ContentTypes.isKnown(type)) {
            throw invalidType(type);
        }
        if (tenant.subscriptionState(type) == SubscriptionState.NONE) {
            throw ApiError.badRequest("AF20022", "No subscription found for the specified content type");
        }
        tenant.subscriptionState(type, SubscriptionState.DISABLED);
        return SimResponse.empty(200);
    }

    static String requireContentType(SimRequest request) {
        String type = request.param("contentType");
        if (type == null || type.isEmpty()) {
            throw ApiError.badRequest("AF20001", "Missing parameter: contentType.");
        }
        return type;
    }

    static ApiError invalidType(String type) {
        return ApiError.badRequest("AF20020", "The specified content type is not valid: " + type + ".");
    }

    private static ObjectNode subscription(String type, SubscriptionState state) {
        ObjectNode node = Json.object();
        node.put("contentType", type);
        node.put("status", state == SubscriptionState.ENABLED ? "enabled" : "disabled");
        node.putNull("webhook");
        return node;
    }

    private static String minutesAndSeconds(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return (seconds / 60) + "m " + (seconds % 60) + "s";
    }
}
