package org.o365audit.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Power BI admin API's {@code GET /v1.0/myorg/admin/activityevents}, served under {@code /powerbi}.
 * {@code myorg} is whichever tenant issued the bearer token. Order of checks: token, hourly budget,
 * queued throttles, then the query.
 */
final class ActivityEventsApi {

    static final String PATH = "/powerbi/v1.0/myorg/admin/activityevents";

    private final String baseUrl;
    private final Function<String, Optional<SimulatedTenant>> tokenOwner;

    /** @param tokenOwner finds the tenant that issued an access token */
    ActivityEventsApi(String baseUrl, Function<String, Optional<SimulatedTenant>> tokenOwner) {
        this.baseUrl = baseUrl;
        this.tokenOwner = tokenOwner;
    }

    SimResponse handle(SimRequest request) {
        String token = request.bearerToken();
        Optional<SimulatedTenant> owner = token == null ? Optional.empty() : tokenOwner.apply(token);
        if (owner.isEmpty()) {
            // no tenant to record the call on: myorg is whoever the token names
            return withChallenge(unauthorized("PowerBINotAuthorizedException",
                    "No valid access token was presented.").toResponse());
        }
        PowerBiActivity log = owner.get().powerBi();
        Instant now = log.clock().instant();
        SimResponse response;
        try {
            response = answer(request, owner.get(), token, log, now);
        } catch (ApiError e) {
            response = e.status() == 401 ? withChallenge(e.toResponse()) : e.toResponse();
        }
        log.record(request.recorded(now, response.status()));
        return response;
    }

    private SimResponse answer(SimRequest request, SimulatedTenant tenant, String token, PowerBiActivity log,
                               Instant now) {
        switch (tenant.credentials().check(token, now)) {
            case VALID -> { }
            case EXPIRED -> throw unauthorized("TokenExpired",
                    "Access token has expired, resubmit with a new access token.");
            default -> throw unauthorized("PowerBINotAuthorizedException", "The access token is no longer valid.");
        }
        // only authenticated calls are charged: an anonymous one names no tenant whose budget it could use
        Optional<Duration> wait = log.budget().admit(now, log.hourlyLimit());
        if (wait.isPresent()) {
            throw new ThrottledError(429, "TooManyRequests", "You have exceeded the amount of requests allowed"
                    + " in the current time frame (" + log.hourlyLimit() + " per hour) and further requests will fail"
                    + " in the next " + ThrottledError.seconds(wait.get()) + " seconds.", wait.get());
        }
        Optional<ThrottleQueue.Throttle> throttle = log.throttles().take();
        if (throttle.isPresent()) {
            throw new ThrottledError(429, "TooManyRequests", "Too many requests; retry after the time given"
                    + " in Retry-After.", throttle.get().retryAfter());
        }
        if (!"GET".equals(request.method())) {
            throw new ApiError(405, "MethodNotAllowed", "The activityevents resource only supports GET.");
        }
        return request.param("continuationToken") != null ? next(request, log) : first(request, log, now);
    }

    /** A first call: snapshot the window's visible events and answer its first page. */
    private SimResponse first(SimRequest request, PowerBiActivity log, Instant now) {
        ActivityEventsWindow window = ActivityEventsWindow.of(request.param("startDateTime"),
                request.param("endDateTime"), now);
        ActivityEventsListing listing = new ActivityEventsListing(log.listable(window.start(), window.end(), now),
                log.pageSize(), log.emptyPageEvery());
        return page(listing, 0, log);
    }

    /** A continuation call: the token alone; practitioners report 400 when dates come with it. */
    private SimResponse next(SimRequest request, PowerBiActivity log) {
        if (request.param("startDateTime") != null || request.param("endDateTime") != null) {
            throw ActivityEventsWindow.invalid(
                    "A continuationToken cannot be combined with startDateTime or endDateTime.");
        }
        String quoted = request.param("continuationToken").trim();
        if (quoted.length() < 2 || !quoted.startsWith("'") || !quoted.endsWith("'")) {
            throw ActivityEventsWindow.invalid("continuationToken must be given in single quotes.");
        }
        ContinuationBook.Position position = log.continuations().find(quoted.substring(1, quoted.length() - 1))
                .orElseThrow(() -> ActivityEventsWindow.invalid("The continuationToken is not valid."));
        return page(position.listing(), position.page(), log);
    }

    /** The token is sent URL-encoded in the body, and inside quotes in continuationUri, as the service does. */
    private SimResponse page(ActivityEventsListing listing, int index, PowerBiActivity log) {
        ObjectNode body = Json.object();
        ArrayNode entities = body.putArray("activityEventEntities");
        for (String event : listing.page(index)) {
            entities.addRawValue(new RawValue(event)); // each event byte-exact, as added
        }
        if (listing.isLast(index)) {
            body.putNull("continuationUri");
            body.putNull("continuationToken");
        } else {
            String encoded = URLEncoder.encode(log.continuations().issue(listing, index + 1), StandardCharsets.UTF_8);
            body.put("continuationUri", baseUrl + PATH + "?continuationToken='" + encoded + "'");
            body.put("continuationToken", encoded);
        }
        // false on every page, the last included, as in Microsoft's example: clients stop on a null token
        body.put("lastResultSet", false);
        return SimResponse.json(200, body);
    }

    private SimResponse withChallenge(SimResponse response) {
        return response.header("WWW-Authenticate", "Bearer authorization_uri=" + baseUrl
                + "/common/oauth2/authorize, error=\"invalid_token\"");
    }

    private static ApiError unauthorized(String code, String message) {
        return new ApiError(401, code, message);
    }
}
