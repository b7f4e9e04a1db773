package org.o365audit.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * The Dataverse Web API's {@code GET [environment]/api/data/v9.2/audits}, paged by
 * {@code Prefer: odata.maxpagesize} and {@code @odata.nextLink}. Order of checks: token (it must
 * come from the environment's own tenant), queued service-protection throttles, then the query.
 */
final class DataverseAuditApi {

    static final String API = "/api/data/v9.2/";
    private static final String MAX_PAGE_SIZE_PREFERENCE = "odata.maxpagesize=";

    private final String baseUrl;
    private final Function<String, Optional<SimulatedTenant>> tokenOwner;
    private final Function<String, List<DataverseEnvironment>> environmentsNamed;

    DataverseAuditApi(String baseUrl, Function<String, Optional<SimulatedTenant>> tokenOwner,
                      Function<String, List<DataverseEnvironment>> environmentsNamed) {
        this.baseUrl = baseUrl;
        this.tokenOwner = tokenOwner;
        this.environmentsNamed = environmentsNamed;
    }

    /** @param resource the path after {@code /api/data/v9.2/} */
    SimResponse handle(SimRequest request, String environmentName, String resource) {
        List<DataverseEnvironment> named = environmentsNamed.apply(environmentName);
        if (named.isEmpty()) {
            return SimResponse.empty(404); // no such host
        }
        String token = request.bearerToken();
        Optional<SimulatedTenant> caller = token == null ? Optional.empty() : tokenOwner.apply(token);
        // two tenants may own environments of the same name; the caller's own one is meant if it has one
        DataverseEnvironment environment = caller.flatMap(t -> t.existingDataverse(environmentName))
                .orElse(named.get(0));
        Instant now = environment.clock().instant();
        SimResponse response;
        try {
            response = answer(request, environment, caller, token, resource, now);
        } catch (ApiError e) {
            response = e.toResponse();
        }
        environment.record(request.recorded(now, response.status()));
        return response;
    }

    private SimResponse answer(SimRequest request, DataverseEnvironment environment,
                               Optional<SimulatedTenant> caller, String token, String resource, Instant now) {
        SimulatedTenant owner = environment.owner();
        if (caller.isEmpty() || caller.get() != owner
                || owner.credentials().check(token, now) != TenantCredentials.TokenStatus.VALID) {
            return unauthorized(environment);
        }
        Optional<ThrottleQueue.Throttle> throttle = environment.throttles().take();
        if (throttle.isPresent()) {
            // service protection: request count over the 5-minute sliding window (error 0x80072322)
            throw new ThrottledError(429, "0x80072322",
                    "Number of requests exceeded the limit of 6000 over time window of 300 seconds.",
                    throttle.get().retryAfter());
        }
        if (!resource.equals("audits")) {
            throw new ApiError(404, "0x8006088a", "Resource not found for the segment '" + resource + "'.");
        }
        if (!"GET".equals(request.method())) {
            throw new ApiError(405, "0x80060888", "The audit table is read-only.");
        }
        AuditQuery query = AuditQuery.of(request);
        int pageSize = pageSize(request.header("Prefer"));
        String skipToken = request.param("$skiptoken");
        SkipTokens.Position position = skipToken == null
                ? new SkipTokens.Position(environment.listable(query.from(), query.to(), now), 0, 1, query)
                : resume(environment, skipToken, query);
        SimResponse response = page(environment, request, position, pageSize);
        String prefer = request.header("Prefer");
        boolean asked = prefer != null && prefer.toLowerCase(Locale.ROOT).contains(MAX_PAGE_SIZE_PREFERENCE);
        return asked ? response.header("Preference-Applied", MAX_PAGE_SIZE_PREFERENCE + pageSize) : response;
    }

    private static SkipTokens.Position resume(DataverseEnvironment environment, String skipToken, AuditQuery query) {
        SkipTokens.Position position = environment.skipTokens().find(skipToken)
                .orElseThrow(() -> AuditQuery.invalid(
                        "The $skiptoken is not valid; follow @odata.nextLink unchanged."));
        if (!position.query().sameAs(query)) {
            throw AuditQuery.invalid("The $skiptoken belongs to another query; follow @odata.nextLink unchanged.");
        }
        return position;
    }

    private SimResponse page(DataverseEnvironment environment, SimRequest request, SkipTokens.Position position,
                             int pageSize) {
        List<DataverseAudit> snapshot = position.snapshot();
        int to = Math.min(snapshot.size(), position.offset() + pageSize);
        ObjectNode body = Json.object();
        body.put("@odata.context", environment.url() + API + "$metadata#audits");
        ArrayNode value = body.putArray("value");
        for (DataverseAudit row : snapshot.subList(position.offset(), to)) {
            value.addRawValue(new RawValue(row.json())); // each row byte-exact, as added
        }
        if (to < snapshot.size()) {
            String next = environment.skipTokens().issue(
                    new SkipTokens.Position(snapshot, to, position.pageNumber() + 1, position.query()));
            body.put("@odata.nextLink", nextLink(environment, request.query(), next));
        }
        return SimResponse.json(200, body).header("OData-Version", "4.0");
    }

    /** The request's own query options, in their order, with the new {@code $skiptoken} last. */
    private static String nextLink(DataverseEnvironment environment, Map<String, String> query, String skipToken) {
        StringJoiner options = new StringJoiner("&");
        query.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("$skiptoken")) {
                options.add(name + "=" + encode(value));
            }
        });
        options.add("$skiptoken=" + encode(skipToken));
        return environment.url() + API + "audits?" + options;
    }

    /** Percent-encoding that leaves what OData URLs show in clear ({@code $ : ' ,}) readable. */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")
                .replace("%24", "$").replace("%3A", ":").replace("%27", "'").replace("%2C", ",");
    }

    /** {@code odata.maxpagesize=N} among the preferences; default and maximum 5000. */
    private static int pageSize(String prefer) {
        if (prefer == null) {
            return DataverseEnvironment.MAX_PAGE_SIZE;
        }
        for (String preference : prefer.split(",")) {
            String p = preference.trim();
            if (p.regionMatches(true, 0, MAX_PAGE_SIZE_PREFERENCE, 0, MAX_PAGE_SIZE_PREFERENCE.length())) {
                try {
                    int n = Integer.parseInt(p.substring(MAX_PAGE_SIZE_PREFERENCE.length()).trim());
                    if (n > 0) {
                        return Math.min(n, DataverseEnvironment.MAX_PAGE_SIZE);
                    }
                } catch (NumberFormatException e) {
                    // falls through to the error below
                }
                throw AuditQuery.invalid("Invalid value for the odata.maxpagesize preference: " + p);
            }
        }
        return DataverseEnvironment.MAX_PAGE_SIZE;
    }

    /** As Dataverse answers a missing, expired or foreign token: 401, an empty body and where to sign in. */
    private SimResponse unauthorized(DataverseEnvironment environment) {
        return SimResponse.empty(401).header("WWW-Authenticate", "Bearer authorization_uri=" + baseUrl + "/"
                + environment.owner().tenantId() + "/oauth2/authorize, resource_id=" + environment.url() + "/");
    }
}
