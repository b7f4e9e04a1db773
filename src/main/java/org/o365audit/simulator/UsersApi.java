package org.o365audit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The {@code users} resource of the simulated Graph: {@code users/delta} as {@link DirectoryDeltaApi} serves it, and
 * one user of the same {@link SimulatedDirectory} (graph.md 5): {@code GET users/{id | userPrincipalName}} ($select
 * honoured), {@code PATCH users/{id}} (accountEnabled; 204), {@code POST users/{id}/revokeSignInSessions}
 * ({@code 200 {"value": true}}). An unknown user answers 404 Request_ResourceNotFound. A sensitive change to a
 * privileged user (an admin role holder) answers 403 Authorization_RequestDenied, as for an app without a higher
 * privileged Entra role. A synced user's disable answers 204 as Graph does for accountEnabled; the revert happens
 * at Entra Connect's next sync, which the simulator does not run.
 */
final class UsersApi implements GraphApi.Resource {
    private final DirectoryDeltaApi delta;

    UsersApi(DirectoryDeltaApi delta) {
        this.delta = delta;
    }

    @Override
    public SimResponse handle(SimRequest request, SimulatedTenant tenant, String path) {
        String[] parts = path.split("/");
        if (parts.length == 2 && parts[1].equals("delta")) {
            return delta.handle(request, tenant, path);
        }
        if (parts.length < 2 || parts.length > 3) {
            throw new GraphApi.GraphError(400, "BadRequest", "Unsupported request: " + request.method() + " " + path);
        }
        SimulatedDirectory directory = tenant.graph().directory();
        String id = directory.findUser(parts[1]).orElseThrow(() -> new GraphApi.GraphError(404,
                "Request_ResourceNotFound", "Resource '" + parts[1] + "' does not exist or one of its queried reference-property "
                + "objects are not present."));
        String op = request.method() + (parts.length == 3 ? " " + parts[2] : "");
        switch (op) {
            case "GET" -> {
                String select = request.param("$select");
                Set<String> fields = select == null ? null : new LinkedHashSet<>(Arrays.asList(select.split(",")));
                return SimResponse.json(200, directory.userView(id, fields));
            }
            case "PATCH" -> {
                JsonNode body = request.json();
                sensitive(directory, id);
                JsonNode enabled = body.get("accountEnabled");
                if (enabled != null) {
                    if (!enabled.isBoolean()) {
                        throw new GraphApi.GraphError(400, "Request_BadRequest",
                                "Invalid value specified for property 'accountEnabled' of resource 'User'.");
                    }
                    directory.setAccountEnabled(id, enabled.asBoolean());
                }
                return SimResponse.empty(204);
            }
            case "POST revokeSignInSessions" -> {
                sensitive(directory, id);
                directory.revokeSessions(id);
                var answer = Json.object();
                answer.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean");
                answer.put("value", true);
                return SimResponse.json(200, answer);
            }
            default -> throw new GraphApi.GraphError(400, "BadRequest", "Unsupported request: " + request.method() + " " + path);
        }
    }

    private static void sensitive(SimulatedDirectory directory, String id) {
        if (directory.privileged(id)) {
            throw new GraphApi.GraphError(403, "Authorization_RequestDenied",
                    "Insufficient privileges to complete the operation.");
        }
    }
}
