package org.o365audit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Graph beta's {@code security/auditLog/queries} for the simulated tenants (Microsoft Learn, "auditLogQuery" and
 * "Create auditLogQuery"): {@code POST} creates a query (201, status notStarted; 400 without a valid
 * filterStartDateTime/filterEndDateTime; 429 with Retry-After past the tenant's submissions), {@code GET .../{id}} its
 * status (and, once succeeded, isRecordCountLimitExceeded), {@code GET .../{id}/records} its records in pages linked
 * by {@code @odata.nextLink} ($skiptoken). Other requests answer 400 as Graph does.
 */
final class AuditLogQueryApi implements GraphApi.Resource {
    private static final String ROOT = "security/auditLog/queries";
    private final String graphUrl;

    AuditLogQueryApi(String graphUrl) {
        this.graphUrl = graphUrl;
    }

    @Override
    public SimResponse handle(SimRequest request, SimulatedTenant tenant, String path) {
        SimulatedAuditSearch search = tenant.graph().auditSearch();
        if (!path.startsWith(ROOT)) {
            throw new GraphApi.GraphError(400, "BadRequest", "Resource not found for the segment '"
                    + path.substring(path.indexOf('/') + 1) + "'.");
        }
        String[] rest = path.substring(ROOT.length()).split("/");
        // rest[0] is "" (path ends in queries or continues with /{id}...)
        if (rest.length <= 1 && request.method().equals("POST")) {
            JsonNode body = request.json();
            SimulatedAuditSearch.time(body, "filterStartDateTime");
            SimulatedAuditSearch.time(body, "filterEndDateTime");
            SimulatedAuditSearch.Query q = search.submit(body);
            if (q == null) {
                return GraphApi.error(429, "TooManyRequests", "Too many audit log queries were submitted.",
                        tenant.clock().instant()).header("Retry-After", "2");
            }
            return SimResponse.json(201, view(q, "notStarted"));
        }
        if (rest.length <= 1 && request.method().equals("GET")) {
            ObjectNode list = Json.object();
            list.put("@odata.context", graphUrl + "/beta/$metadata#security/auditLog/queries");
            ArrayNode value = list.putArray("value");
            search.queries().forEach(q -> value.add(view(q, search.status(q, false))));
            return SimResponse.json(200, list);
        }
        if (rest.length < 2 || !request.method().equals("GET")) {
            throw new GraphApi.GraphError(400, "BadRequest", "Unsupported request: " + request.method() + " " + path);
        }
        SimulatedAuditSearch.Query q = search.query(rest[1]);
        if (q == null) {
            throw new GraphApi.GraphError(404, "ResourceNotFound", "The audit log query '" + rest[1] + "' was not found.");
        }
        if (rest.length == 2) {
            return SimResponse.json(200, view(q, search.status(q, true)));
        }
        if (rest.length == 3 && rest[2].equals("records")) {
            if (!search.status(q, false).equals("succeeded")) {
                throw new GraphApi.GraphError(400, "BadRequest", "The audit log query has not completed.");
            }
            int skip = request.param("$skiptoken") == null ? 0 : Integer.parseInt(request.param("$skiptoken"));
            int end = Math.min(q.result.size(), skip + search.pageSize());
            ObjectNode page = Json.object();
            page.put("@odata.context", graphUrl + "/beta/$metadata#security/auditLog/queries('" + q.id + "')/records");
            ArrayNode value = page.putArray("value");
            q.result.subList(skip, end).forEach(value::add);
            if (end < q.result.size()) {
                page.put("@odata.nextLink", graphUrl + "/beta/" + ROOT + "/" + q.id + "/records?$skiptoken=" + end);
            }
            return SimResponse.json(200, page);
        }
        throw new GraphApi.GraphError(400, "BadRequest", "Unsupported request: " + request.method() + " " + path);
    }

    private ObjectNode view(SimulatedAuditSearch.Query q, String status) {
        ObjectNode v = Json.object();
        v.put("@odata.context", graphUrl + "/beta/$metadata#security/auditLog/queries/$entity");
        v.put("@odata.type", "#microsoft.graph.security.auditLogQuery");
        v.put("id", q.id);
        v.put("displayName", q.request.path("displayName").asText(null));
        v.put("filterStartDateTime", q.request.path("filterStartDateTime").asText());
        v.put("filterEndDateTime", q.request.path("filterEndDateTime").asText());
        for (String f : new String[] {"recordTypeFilters", "serviceFilters", "operationFilters", "userPrincipalNameFilters"}) {
            v.set(f, q.request.path(f).isArray() ? q.request.get(f) : Json.MAPPER.createArrayNode());
        }
        v.put("status", status);
        if (status.equals("succeeded")) {
            v.put("approximateReturnedRecordCount", q.result.size());
            v.put("isRecordCountLimitExceeded", q.truncated);
        }
        return v;
    }
}
