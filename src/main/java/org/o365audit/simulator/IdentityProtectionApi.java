package org.o365audit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code identityProtection/riskyUsers/{id}} (GET; 404 when the user was never at risk) and
 * {@code identityProtection/riskyUsers/confirmCompromised} (POST {@code {"userIds": [...]}} → 204, the users then at
 * riskState confirmedCompromised, riskLevel high) as Graph serves them (graph.md 5.3). Without Entra ID P2 both
 * answer 403, as Graph does for a tenant whose licence lacks Identity Protection.
 */
final class IdentityProtectionApi implements GraphApi.Resource {
    @Override
    public SimResponse handle(SimRequest request, SimulatedTenant tenant, String path) {
        String[] parts = path.split("/");
        if (parts.length != 3 || !parts[1].equals("riskyUsers")) {
            throw new GraphApi.GraphError(400, "BadRequest", "Unsupported request: " + request.method() + " " + path);
        }
        if (!tenant.graph().premium()) {
            throw new GraphApi.GraphError(403, "Forbidden",
                    "Your tenant is not licensed for this feature: Identity Protection requires Microsoft Entra ID P2.");
        }
        SimulatedRiskyUsers risky = tenant.graph().riskyUsers();
        SimulatedDirectory directory = tenant.graph().directory();
        if (parts[2].equals("confirmCompromised") && request.method().equals("POST")) {
            JsonNode ids = request.json().path("userIds");
            if (!ids.isArray() || ids.isEmpty()) {
                throw new GraphApi.GraphError(400, "BadRequest", "userIds is required.");
            }
            List<String> known = new ArrayList<>();
            for (JsonNode id : ids) {
                known.add(directory.findUser(id.asText()).orElseThrow(() -> new GraphApi.GraphError(400, "BadRequest",
                        "Invalid user id: " + id.asText())));
            }
            known.forEach(risky::confirmCompromised);
            return SimResponse.empty(204);
        }
        if (request.method().equals("GET")) {
            String id = parts[2];
            SimulatedRiskyUsers.Risk risk = risky.of(id).orElseThrow(() -> new GraphApi.GraphError(404, "itemNotFound",
                    "The requested resource does not exist."));
            var user = Json.object();
            user.put("id", id);
            directory.findUser(id).ifPresent(u -> user.put("userPrincipalName",
                    directory.userView(u, java.util.Set.of("userPrincipalName")).path("userPrincipalName").asText()));
            user.put("riskState", risk.state());
            user.put("riskLevel", risk.level());
            user.put("riskDetail", risk.state().equals("confirmedCompromised") ? "adminConfirmedUserCompromised" : "none");
            user.put("riskLastUpdatedDateTime", tenant.clock().instant().toString());
            return SimResponse.json(200, user);
        }
        throw new GraphApi.GraphError(400, "BadRequest", "Unsupported request: " + request.method() + " " + path);
    }
}
