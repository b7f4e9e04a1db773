package org.o365audit.simulator;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Microsoft Graph v1.0 for the simulated tenants, served under {@code /graph/v1.0}, and the few beta resources we call
 * under {@code /graph/beta} (security: the audit log query API) (a simulated tenant's graph-url
 * is {@code <simulator>/graph}). The tenant is whichever issued the bearer token, as on Graph. Order of checks, as
 * Graph answers them: token (401 InvalidAuthenticationToken), throttles (429 TooManyRequests with Retry-After), the
 * app's permission for the resource (403 Authorization_RequestDenied), then the resource named by the path's first
 * segment. Errors in Graph's shape: {@code {"error":{"code","message","innerError":{"request-id","date"}}}}.
 */
final class GraphApi {
    static final String PREFIX = "/graph/v1.0/";
    /** Graph beta, where the audit log query API is (security/auditLog/queries). */
    static final String BETA_PREFIX = "/graph/beta/";

    /** Answers the requests under one first path segment (users, groups, servicePrincipals, ...). */
    interface Resource {
        /** @param path the path after {@code /graph/v1.0/}, e.g. {@code users/delta} */
        SimResponse handle(SimRequest request, SimulatedTenant tenant, String path);
    }

    private final Function<String, Optional<SimulatedTenant>> tokenOwner;
    private final Map<String, Resource> resources;
    private final Map<String, Resource> betaResources;

    GraphApi(Function<String, Optional<SimulatedTenant>> tokenOwner, Map<String, Resource> resources,
            Map<String, Resource> betaResources) {
        this.tokenOwner = tokenOwner;
        this.resources = resources;
        this.betaResources = betaResources;
    }

    /** True for a path under v1.0 or beta. */
    static boolean serves(String path) {
        return path.startsWith(PREFIX) || path.startsWith(BETA_PREFIX);
    }

    SimResponse handle(SimRequest request) {
        String token = request.bearerToken();
        Optional<SimulatedTenant> owner = token == null ? Optional.empty() : tokenOwner.apply(token);
        if (owner.isEmpty()) {
            return error(401, "InvalidAuthenticationToken", "Access token is empty or not valid.", Instant.now());
        }
        SimulatedTenant tenant = owner.get();
        SimulatedGraph graph = tenant.graph();
        Instant now = tenant.clock().instant();
        SimResponse response = answer(request, tenant, token, graph, now);
        graph.record(request.recorded(now, response.status()));
        return response;
    }

    private SimResponse answer(SimRequest request, SimulatedTenant tenant, String token, SimulatedGraph graph, Instant now) {
        switch (tenant.credentials().check(token, now)) {
            case VALID -> { }
            case EXPIRED -> {
                return error(401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.", now);
            }
            default -> {
                return error(401, "InvalidAuthenticationToken", "Access token validation failure.", now);
            }
        }
        Optional<ThrottleQueue.Throttle> throttle = graph.throttles().take();
        if (throttle.isPresent()) {
            return error(429, "TooManyRequests", "Too many requests.", now)
                    .header("Retry-After", String.valueOf(Math.max(1, throttle.get().retryAfter().toSeconds())));
        }
        boolean beta = request.path().startsWith(BETA_PREFIX);
        String path = request.path().substring(beta ? BETA_PREFIX.length() : PREFIX.length());
        String first = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
        if (graph.denies(first)) {
            return error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.", now);
        }
        Resource r = (beta ? betaResources : resources).get(first);
        if (r == null) {
            return error(400, "BadRequest", "Resource not found for the segment '" + first + "'.", now);
        }
        try {
            return r.handle(request, tenant, path);
        } catch (GraphError e) {
            return error(e.status, e.code, e.getMessage(), now);
        }
    }

    static SimResponse error(int status, String code, String message, Instant now) {
        var root = Json.object();
        var error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        var inner = error.putObject("innerError");
        inner.put("date", now.toString());
        inner.put("request-id", UUID.randomUUID().toString());
        inner.put("client-request-id", UUID.randomUUID().toString());
        return SimResponse.json(status, root);
    }

    /** A Graph error a resource answers with (thrown, turned into Graph's error body). */
    static final class GraphError extends RuntimeException {
        final int status;
        final String code;

        GraphError(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }
}
