package org.o365audit.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes every request to the token endpoint or the activity feed, records it on its tenant and sends
 * the answer. Logs method, path and status only: never bodies, secrets or tokens.
 */
final class SimulatorHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(SimulatorHandler.class);

    private static final Pattern TOKEN_PATH = Pattern.compile("^/([^/]+)/oauth2/(v2\\.0/)?token/?$");
    private static final Pattern API_PATH = Pattern.compile("^/api/v1(?:\\.0)?/([^/]+)/activity/feed/(.+)$");

    private final Function<String, SimulatedTenant> existingTenant;
    private final ActivityFeedApi api;

    /** @param existingTenant the tenant with that id, or null; requests never create tenants */
    SimulatorHandler(Function<String, SimulatedTenant> existingTenant, ActivityFeedApi api) {
        this.existingTenant = existingTenant;
        this.api = api;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            SimRequest request = SimRequest.read(exchange);
            SimulatedTenant tenant = null;
            SimResponse response;
            Matcher token = TOKEN_PATH.matcher(request.path());
            Matcher feed = API_PATH.matcher(request.path());
            if (token.matches()) {
                tenant = existingTenant.apply(token.group(1));
                response = TokenEndpoint.handle(request, token.group(1), tenant, token.group(2) != null);
            } else if (feed.matches()) {
                tenant = existingTenant.apply(feed.group(1));
                response = api.handle(request, feed.group(1), tenant, feed.group(2));
            } else {
                response = SimResponse.empty(404);
            }
            if (tenant != null) {
                tenant.record(new RecordedRequest(tenant.clock().instant(), request.method(), request.path(),
                        request.query(), request.header("Authorization"), response.status()));
            }
            log.debug("{} {} -> {}", request.method(), request.path(), response.status());
            response.send(exchange);
        } catch (IOException e) {
            log.debug("simulator connection ended early: {}", e.toString());
        } catch (RuntimeException e) {
            log.warn("simulator failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
            sendInternalError(exchange);
        } finally {
            exchange.close();
        }
    }

    private static void sendInternalError(HttpExchange exchange) {
        try {
            new ApiError(500, "AF50000", "An internal error occurred. Retry the request.").toResponse().send(exchange);
        } catch (IOException | RuntimeException ignored) {
            // headers may already be sent; closing the exchange is all that is left
        }
    }
}
