package org.o365audit.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v1.0/auditLogs/signIns} (graph.md 4): {@code $filter} on createdDateTime with ge / le / eq joined by
 * {@code and}, {@code $top} up to 1,000 (the default), newest first, further pages by an {@code @odata.nextLink} that
 * carries an opaque {@code $skiptoken}. A tenant without Entra ID P1/P2 ({@code SimulatedGraph.premium(false)})
 * answers 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant.
 */
final class SignInsResource implements GraphApi.Resource {
    static final int MAX_TOP = 1000;
    private static final Pattern CONDITION = Pattern.compile("createdDateTime\\s+(ge|le|eq)\\s+(\\S+)", Pattern.CASE_INSENSITIVE);

    @Override
    public SimResponse handle(SimRequest request, SimulatedTenant tenant, String path) {
        if (!path.equals("auditLogs/signIns")) {
            throw new GraphApi.GraphError(400, "BadRequest", "Resource not found for the segment '" + path + "'.");
        }
        if (!tenant.graph().premium()) {
            throw new GraphApi.GraphError(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
                    "Neither tenant is B2C or tenant doesn't have premium license");
        }
        Instant from = null;
        Instant to = null;
        String filter = request.param("$filter");
        if (filter != null && !filter.isBlank()) {
            for (String part : filter.split("(?i)\\s+and\\s+")) {
                Matcher m = CONDITION.matcher(part.trim());
                if (!m.matches()) {
                    throw new GraphApi.GraphError(400, "Request_UnsupportedQuery", "Unsupported filter: " + part);
                }
                Instant t = instant(m.group(2));
                switch (m.group(1).toLowerCase()) {
                    case "ge" -> from = t;
                    case "le" -> to = t;
                    default -> {
                        from = t;
                        to = t;
                    }
                }
            }
        }
        int top = top(request.param("$top"));
        String skip = request.param("$skiptoken");
        int offset = skip == null ? 0 : Integer.parseInt(skip.substring(skip.indexOf('-') + 1));
        List<SimSignIn> all = tenant.graph().signIns().between(from, to);
        ObjectNode body = Json.object();
        body.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns");
        ArrayNode value = body.putArray("value");
        all.stream().skip(offset).limit(top).forEach(s -> value.add(s.json()));
        if (offset + top < all.size()) {
            body.put("@odata.nextLink", "https://" + request.header("Host") + request.path() + "?$top=" + top
                    + (filter == null ? "" : "&$filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20"))
                    + "&$skiptoken=sk-" + (offset + top));
        }
        return SimResponse.json(200, body);
    }

    private static int top(String raw) {
        if (raw == null) {
            return MAX_TOP;
        }
        try {
            int t = Integer.parseInt(raw.trim());
            if (t >= 1 && t <= MAX_TOP) {
                return t;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new GraphApi.GraphError(400, "Request_UnsupportedQuery", "Invalid page size specified: '" + raw + "'.");
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new GraphApi.GraphError(400, "Request_UnsupportedQuery", "Invalid DateTime: " + text);
        }
    }
}
