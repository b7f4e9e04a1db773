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
 * Routes every request to the token endpoint, the activity feed, Power BI activity events or a
 * Dataverse environment, records it (token and feed calls on the tenant in the path, Power BI and
 * Dataverse calls on their own logs) and sends the answer. Logs method, path and status only: never
 * bodies, secrets or tokens.
 */
final class SimulatorHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(SimulatorHandler.class);

    private static final Pattern TOKEN_PATH = Pattern.compile("^/([^/]+)/oauth2/(v2\\.0/)?token/?$");
    private static final Pattern API_PATH = Pattern.compile("^/api/v1(?:\\.0)?/([^/]+)/activity/feed/(.+)$");
    private static final Pattern DATAVERSE_PATH = Pattern.compile("^/dataverse/([^/]+)/api/data/v9\\.2/(.+)$");

    private final Function<String, SimulatedTenant> existingTenant;
    private final ActivityFeedApi api;
    private final ActivityEventsApi powerBi;
    private final DataverseAuditApi dataverse;
    private final GraphApi graph;

    /** @param existingTenant the tenant with that id, or null; requests never create tenants */
    SimulatorHandler(Function<String, SimulatedTenant> existingTenant, ActivityFeedApi api, ActivityEventsApi powerBi,
                     DataverseAuditApi dataverse, GraphApi graph) {
        this.graph = graph;
        this.existingTenant = existingTenant;
        this.api = api;
        this.powerBi = powerBi;
        this.dataverse = dataverse;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            SimRequest request = SimRequest.read(exchange);
            SimulatedTenant tenant = null;
            SimResponse response;
            Matcher token = TOKEN_PATH.matcher(request.path());
            Matcher feed = API_PATH.matcher(request.path());
            Matcher environment = DATAVERSE_PATH.matcher(request.path());
            if (token.matches()) {
                tenant = existingTenant.apply(token.group(1));
                response = TokenEndpoint.handle(request, token.group(1), tenant, token.group(2) != null);
            } else if (feed.matches()) {
                tenant = existingTenant.apply(feed.group(1));
                response = api.handle(request, feed.group(1), tenant, feed.group(2));
            } else if (GraphApi.serves(request.path())) {
                response = graph.handle(request); // recorded on the token's tenant by the handler
            } else if (request.path().equals(ActivityEventsApi.PATH)) {
                response = powerBi.handle(request); // recorded on the token's tenant by the handler
            } else if (environment.matches()) {
                response = dataverse.handle(request, environment.group(1), environment.group(2));
            } else {
                response = SimResponse.empty(404);
            }
            if (tenant != null) {
                tenant.record(request.recorded(tenant.clock().instant(), response.status()));
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
