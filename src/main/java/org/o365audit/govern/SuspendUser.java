package org.o365audit.govern;

import com.fasterxml.jackson.databind.JsonNode;
import org.o365audit.api.GraphClient;
import org.o365audit.api.ManagementApiException;
import org.springframework.stereotype.Component;

/**
 * suspend-user: disables the account ({@code PATCH /users/{id} {"accountEnabled": false}}, graph.md 5.1). A disabled
 * account is reported as already so. An account synced from on-premises AD is refused unless forced: Entra Connect
 * syncs accountEnabled from AD and puts it back at its next cycle.
 */
@Component("suspendUser")
public class SuspendUser {
    static final String SYNC_REVERTS = "Entra Connect syncs accountEnabled from the on-premises Active Directory and "
            + "reverts a cloud disable at its next sync (every 30 min by default)";

    private final TargetUsers users;
    private final GraphClient graph;

    public SuspendUser(TargetUsers users, GraphClient graph) {
        this.users = users;
        this.graph = graph;
    }

    public void plan(GovernanceCase c) {
        JsonNode user = users.read(c);
        if (user == null) {
            return;
        }
        c.plan(user);
        String who = TargetUsers.describe(user);
        if (!user.path("accountEnabled").asBoolean(true)) {
            c.decide(GovernanceResult.ALREADY, "user " + who + " is already disabled (accountEnabled false); nothing sent");
        } else if (synced(user) && !c.request().force()) {
            c.decide(GovernanceResult.REFUSED, "user " + who + " is synced from on-premises (onPremisesSyncEnabled true): "
                    + SYNC_REVERTS + ". Disable the account in Active Directory first, or force the action (the cloud "
                    + "disable then holds only until the next sync)");
        }
    }

    public void preview(GovernanceCase c) {
        JsonNode user = c.plan();
        c.decide(GovernanceResult.WOULD_CHANGE, "would PATCH /users/" + user.path("id").asText()
                + " accountEnabled true -> false (user " + user.path("userPrincipalName").asText() + ")" + revertWarning(c, user));
    }

    public void act(GovernanceCase c) {
        JsonNode user = c.plan();
        String id = user.path("id").asText();
        try {
            GraphClient.Answer a = graph.send(c.request().tenant(), "PATCH", users.url(c, id), "disable user " + id,
                    "{\"accountEnabled\":false}");
            c.decide(GovernanceResult.DONE, "user " + TargetUsers.describe(user) + " disabled (accountEnabled true -> false)"
                    + revertWarning(c, user)).answered(a.status(), a.body() == null ? null : a.body().toString());
        } catch (RuntimeException e) {
            GraphFailures.decide(c, e, "disabling user " + id, m -> meaning(m, user));
            refuseForSync(c, e);
        }
    }

    /** Graph's own refusal of an on-premises-mastered object is the sync explanation, not a failure. */
    private static void refuseForSync(GovernanceCase c, RuntimeException e) {
        // Graph has no code of its own for it (Request_BadRequest); its message is the only sign (graph.md 5.1)
        if (e instanceof ManagementApiException m && m.status() == 400
                && m.getMessage().toLowerCase().contains("on-premises mastered")) {
            c.decide(GovernanceResult.REFUSED, "Graph refuses to change an account mastered on-premises: " + SYNC_REVERTS
                    + ". Disable the account in Active Directory");
        }
    }

    private static String meaning(ManagementApiException m, JsonNode user) {
        if (m.status() == 403) {
            return "Microsoft Graph denied disabling " + TargetUsers.describe(user) + " (Authorization_RequestDenied): the "
                    + "app registration lacks User.EnableDisableAccount.All, or the user holds a privileged admin role, "
                    + "whose accountEnabled is a sensitive property: the app's service principal then needs a higher "
                    + "privileged Entra role (Privileged Authentication Administrator)";
        }
        if (m.status() == 404) {
            return "no such user: " + TargetUsers.describe(user) + " was deleted meanwhile";
        }
        return null;
    }

    private static String revertWarning(GovernanceCase c, JsonNode user) {
        return synced(user) ? "; forced on an account synced from on-premises: " + SYNC_REVERTS
                + ", so it will be enabled again unless it is disabled in Active Directory" : "";
    }

    private static boolean synced(JsonNode user) {
        return user.path("onPremisesSyncEnabled").asBoolean(false);
    }
}
