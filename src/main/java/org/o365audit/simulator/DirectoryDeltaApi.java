package org.o365audit.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET users/delta} and {@code GET groups/delta} as Graph serves them (graph.md 2.2): query options on the
 * first call only ($select honoured, id always; $expand, $top and $orderby refused), then {@code @odata.nextLink}
 * with a {@code $skiptoken} until the last page, which carries {@code @odata.deltaLink} with a {@code $deltatoken};
 * calling that later lists only what changed since, removed objects as id + {@code @removed}. groups/delta with
 * {@code members} selected adds {@code members@delta}. A token that expired answers 410 Gone, code
 * {@code syncStateNotFound}, with a Location to start over. Links are absolute, on this simulator's Graph root.
 */
final class DirectoryDeltaApi implements GraphApi.Resource {
    private final String graphRoot;

    /** @param graphUrl the simulator's Graph root ({@code <base>/graph}) */
    DirectoryDeltaApi(String graphUrl) {
        this.graphRoot = graphUrl + "/v1.0/";
    }

    @Override
    public SimResponse handle(SimRequest request, SimulatedTenant tenant, String path) {
        String resource = path.substring(0, path.indexOf('/') < 0 ? path.length() : path.indexOf('/'));
        if (!"GET".equals(request.method()) || !path.equals(resource + "/delta")) {
            throw new GraphApi.GraphError(400, "BadRequest", "Unsupported request: " + request.method() + " " + path);
        }
        SimulatedDirectory directory = tenant.graph().directory();
        pause(directory);
        String skip = request.param("$skiptoken");
        String delta = request.param("$deltatoken");
        if (skip != null) {
            return nextPage(directory, resource, skip, tenant);
        }
        for (String unsupported : List.of("$expand", "$top", "$orderby")) {
            if (request.param(unsupported) != null) {
                throw new GraphApi.GraphError(400, "Request_UnsupportedQuery",
                        "Unsupported query option '" + unsupported + "' for delta.");
            }
        }
        String select = request.param("$select");
        long since = 0;
        if (delta != null) {
            var known = directory.tokens().delta(delta).filter(d -> d.resource().equals(resource));
            if (known.isEmpty()) {
                return expired(directory, resource, delta, tenant);
            }
            DeltaTokens.Since s = known.get();
            since = s.since();
            select = s.select();
        }
        Set<String> fields = select == null ? null : new LinkedHashSet<>(Arrays.asList(select.split(",")));
        long upTo = directory.seq();
        List<ObjectNode> entries = "users".equals(resource) ? directory.userChanges(since, fields)
                : directory.groupChanges(since, fields);
        String round = directory.tokens().startRound(new DeltaTokens.Round(resource, entries, upTo, select));
        return page(directory, resource, round, directory.tokens().round(round).orElseThrow(), 0);
    }

    private SimResponse nextPage(SimulatedDirectory directory, String resource, String skip, SimulatedTenant tenant) {
        int dot = skip.lastIndexOf('.');
        String round = dot < 0 ? skip : skip.substring(0, dot);
        var r = directory.tokens().round(round).filter(x -> x.resource().equals(resource));
        if (r.isEmpty() || dot < 0 || !skip.substring(dot + 1).matches("\\d{1,6}")) {
            return expired(directory, resource, round, tenant);
        }
        return page(directory, resource, round, r.get(), Integer.parseInt(skip.substring(dot + 1)));
    }

    private SimResponse page(SimulatedDirectory directory, String resource, String roundId, DeltaTokens.Round r, int page) {
        int size = directory.pageSizeNow();
        int from = Math.min(r.entries().size(), page * size);
        int to = Math.min(r.entries().size(), from + size);
        ObjectNode body = Json.object();
        body.put("@odata.context", graphRoot + "$metadata#" + resource);
        var value = body.putArray("value");
        r.entries().subList(from, to).forEach(value::add);
        if (to < r.entries().size()) {
            body.put("@odata.nextLink", graphRoot + resource + "/delta?$skiptoken=" + roundId + "." + (page + 1));
        } else {
            String token = directory.tokens().issueDelta(new DeltaTokens.Since(resource, r.upTo(), r.select()));
            body.put("@odata.deltaLink", graphRoot + resource + "/delta?$deltatoken=" + token);
        }
        return SimResponse.json(200, body);
    }

    /** 410 Gone in Graph's error shape, with the Location of a fresh initial request (same $select). */
    private SimResponse expired(SimulatedDirectory directory, String resource, String token, SimulatedTenant tenant) {
        String select = directory.tokens().expiredSelect(token);
        String location = graphRoot + resource + "/delta" + (select == null || select.isEmpty() ? ""
                : "?$select=" + URLEncoder.encode(select, StandardCharsets.UTF_8).replace("%2C", ","));
        return GraphApi.error(410, "syncStateNotFound", "The sync state generation is not found or has expired; "
                + "start a full synchronisation.", tenant.clock().instant()).header("Location", location);
    }

    private static void pause(SimulatedDirectory directory) {
        long ms = directory.answerDelay().toMillis();
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
