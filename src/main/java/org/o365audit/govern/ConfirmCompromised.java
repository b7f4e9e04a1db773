package org.o365audit.govern;

import com.fasterxml.jackson.databind.JsonNode;
import org.o365audit.api.GraphClient;
import org.o365audit.api.ManagementApiException;
import org.springframework.stereotype.Component;

/**
 * confirm-compromised: tells Entra ID Protection the user is compromised
 * ({@code POST /identityProtection/riskyUsers/confirmCompromised {"userIds": [id]}}, graph.md 5.3), which sets the
 * user's risk to high so risk-based Conditional Access applies. A user already confirmed compromised is reported so.
 * Needs Entra ID P2.
 */
@Component("confirmCompromised")
public class ConfirmCompromised {
    private final TargetUsers users;
    private final GraphClient graph;

    public ConfirmCompromised(TargetUsers users, GraphClient graph) {
        this.users = users;
        this.graph = graph;
    }

    public void plan(GovernanceCase c) {
        JsonNode user = users.read(c);
        if (user == null) {
            return;
        }
        c.plan(user);
        String id = user.path("id").asText();
        try {
            JsonNode risky = graph.send(c.request().tenant(), "GET", graph.url(c.request().tenant(),
                    "/identityProtection/riskyUsers/" + id), "risky user " + id, null).body();
            if ("confirmedCompromised".equals(risky.path("riskState").asText())) {
                c.decide(GovernanceResult.ALREADY, "user " + TargetUsers.describe(user) + " is already confirmed "
                        + "compromised (riskState confirmedCompromised, riskLevel " + risky.path("riskLevel").asText()
                        + "); nothing sent");
            }
        } catch (ManagementApiException e) {
            if (e.status() != 404) { // 404: Identity Protection has not listed the user as risky yet, which is fine
                GraphFailures.decide(c, e, "reading the risk of user " + id, m -> meaning(m, "read the risk of"));
            }
        } catch (RuntimeException e) {
            GraphFailures.decide(c, e, "reading the risk of user " + id, m -> null);
        }
    }

    public void preview(GovernanceCase c) {
        JsonNode user = c.plan();
        c.decide(GovernanceResult.WOULD_CHANGE, "would POST /identityProtection/riskyUsers/confirmCompromised {\"userIds\":"
                + "[\"" + user.path("id").asText() + "\"]} (user " + user.path("userPrincipalName").asText()
                + "): riskState -> confirmedCompromised, riskLevel -> high");
    }

    public void act(GovernanceCase c) {
        JsonNode user = c.plan();
        String id = user.path("id").asText();
        try {
            GraphClient.Answer a = graph.send(c.request().tenant(), "POST", graph.url(c.request().tenant(),
                    "/identityProtection/riskyUsers/confirmCompromised"), "confirm user " + id + " compromised",
                    "{\"userIds\":[\"" + id + "\"]}");
            c.decide(GovernanceResult.DONE, "user " + TargetUsers.describe(user) + " confirmed compromised: riskLevel high,"
                    + " so risk-based Conditional Access policies now apply to it")
                    .answered(a.status(), a.body() == null ? null : a.body().toString());
        } catch (RuntimeException e) {
            GraphFailures.decide(c, e, "confirming user " + id + " compromised", m -> meaning(m, "confirm compromised"));
        }
    }

    private static String meaning(ManagementApiException m, String what) {
        return m.status() == 403 ? "Microsoft Graph denied the request to " + what + " the user: Identity Protection "
                + "needs a Microsoft Entra ID P2 licence in the tenant and the application permission "
                + "IdentityRiskyUser.ReadWrite.All (admin consent)" : null;
    }
}
