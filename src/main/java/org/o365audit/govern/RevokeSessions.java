package org.o365audit.govern;

import com.fasterxml.jackson.databind.JsonNode;
import org.o365audit.api.GraphClient;
import org.springframework.stereotype.Component;

/**
 * revoke-sessions (require the user to sign in again): {@code POST /users/{id}/revokeSignInSessions} (graph.md 5.2).
 * Microsoft resets the sessions each time it is called, so there is no "already"; calling it twice is harmless.
 */
@Component("revokeSessions")
public class RevokeSessions {
    static final String EFFECT = "refresh tokens and session cookies revoked; access tokens already issued stay valid"
            + " until they expire (up to 1 h), and Microsoft may take a few minutes";

    private final TargetUsers users;
    private final GraphClient graph;

    public RevokeSessions(TargetUsers users, GraphClient graph) {
        this.users = users;
        this.graph = graph;
    }

    public void plan(GovernanceCase c) {
        JsonNode user = users.read(c);
        if (user != null) {
            c.plan(user);
        }
    }

    public void preview(GovernanceCase c) {
        JsonNode user = c.plan();
        c.decide(GovernanceResult.WOULD_CHANGE, "would POST /users/" + user.path("id").asText()
                + "/revokeSignInSessions (user " + user.path("userPrincipalName").asText() + "): " + EFFECT);
    }

    public void act(GovernanceCase c) {
        JsonNode user = c.plan();
        String id = user.path("id").asText();
        try {
            // the documentation shows 200 {"value": true} and a known issue with another code: any 2xx is done
            GraphClient.Answer a = graph.send(c.request().tenant(), "POST", users.url(c, id + "/revokeSignInSessions"),
                    "revoke sign-in sessions of " + id, "{}");
            c.decide(GovernanceResult.DONE, "user " + TargetUsers.describe(user) + ": " + EFFECT)
                    .answered(a.status(), a.body() == null ? null : a.body().toString());
        } catch (RuntimeException e) {
            GraphFailures.decide(c, e, "revoking the sessions of user " + id, m -> m.status() == 403
                    ? "Microsoft Graph denied revoking the sessions of " + TargetUsers.describe(user)
                    + " (Authorization_RequestDenied): the app registration lacks User.RevokeSessions.All, or the user "
                    + "holds a privileged admin role and the app's service principal needs a higher privileged Entra role"
                    + " (Privileged Authentication Administrator)" : null);
        }
    }
}
