package org.o365audit.govern;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.o365audit.api.GraphClient;
import org.springframework.stereotype.Component;

/**
 * The user an action is about, read from Graph ({@code GET /users/{id | userPrincipalName}}) under the actions'
 * throttle key: its object id (what the writes name), UPN and the state the action depends on.
 */
@Component
public class TargetUsers {
    static final String SELECT = "id,userPrincipalName,displayName,accountEnabled,onPremisesSyncEnabled";

    private final GraphClient graph;

    public TargetUsers(GraphClient graph) {
        this.graph = graph;
    }

    /** The user, or null with the case failed (no such user, Graph refused, throttled). */
    JsonNode read(GovernanceCase c) {
        GovernanceRequest r = c.request();
        try {
            return graph.send(r.tenant(), "GET", graph.url(r.tenant(), "/users/" + segment(r.target()) + "?$select=" + SELECT),
                    "user " + r.target(), null).body();
        } catch (RuntimeException e) {
            GraphFailures.decide(c, e, "reading user " + r.target(), m -> m.status() == 404
                    ? "no such user: " + r.target() + " is neither a userPrincipalName nor an object id in tenant "
                    + r.tenant().name()
                    : m.status() == 403 ? "the app registration may not read users: grant User.Read.All" : null);
            return null;
        }
    }

    URI url(GovernanceCase c, String pathAfterUsers) {
        return graph.url(c.request().tenant(), "/users/" + pathAfterUsers);
    }

    /** A path segment: a guest's UPN holds '#' (#EXT#), which must not end the path. */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String describe(JsonNode user) {
        return user.path("userPrincipalName").asText() + " (" + user.path("id").asText() + ")";
    }
}
