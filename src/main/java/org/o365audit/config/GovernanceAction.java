package org.o365audit.config;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An action the connector may take in a tenant through Microsoft Graph, as the connector we are modelled on does
 * (shared/docs/graph.md 3.5, 5). None is allowed unless listed in {@code o365.tenants[i].governance.actions}, and each
 * needs a write permission the read-only components never ask for. Each runs as its own route, {@code
 * direct:<key>} in routes/governance-actions.camel.yaml.
 */
public enum GovernanceAction {
    SUSPEND_USER("suspend-user", "User.EnableDisableAccount.All, User.Read.All"),
    REVOKE_SESSIONS("revoke-sessions", "User.RevokeSessions.All, User.Read.All"),
    REMOVE_SHARING("remove-sharing", "Files.ReadWrite.All (or Sites.ReadWrite.All)"),
    CONFIRM_COMPROMISED("confirm-compromised", "IdentityRiskyUser.ReadWrite.All, User.Read.All (and Entra ID P2)");

    private final String key;
    private final String permissions;

    GovernanceAction(String key, String permissions) {
        this.key = key;
        this.permissions = permissions;
    }

    /** The name in configuration, routes (direct:<key>), the REST path, JMX and the audit rows. */
    public String key() {
        return key;
    }

    /** The application permissions (admin consent) the action needs; write permissions, asked only when enabled. */
    public String permissions() {
        return permissions;
    }

    public static GovernanceAction fromKey(String key) {
        for (GovernanceAction a : values()) {
            if (a.key.equalsIgnoreCase(key == null ? "" : key.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown action '" + key + "' (expected " + String.join(", ", keys()) + ")");
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(GovernanceAction::key).collect(Collectors.toList());
    }
}
