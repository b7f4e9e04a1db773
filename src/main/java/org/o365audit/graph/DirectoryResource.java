package org.o365audit.graph;

/**
 * The two delta queries of the accounts component, with the query options of their first call (graph.md 2.1, 2.2;
 * the options travel inside the tokens afterwards). groups/delta selects members to get members@delta.
 */
public enum DirectoryResource {
    USERS("users", "/users/delta?$select=id,userPrincipalName,displayName,mail,department,jobTitle,accountEnabled,"
            + "onPremisesSyncEnabled,userType,createdDateTime"),
    GROUPS("groups", "/groups/delta?$select=id,displayName,mail,groupTypes,securityEnabled,mailEnabled,createdDateTime,"
            + "members");

    private final String key;
    private final String firstCall;

    DirectoryResource(String key, String firstCall) {
        this.key = key;
        this.firstCall = firstCall;
    }

    /** The name in graph_delta.resource and in the route (users, groups). */
    public String key() {
        return key;
    }

    /** Path and query of a full read's first call, under {@code <graph root>/v1.0}. */
    public String firstCall() {
        return firstCall;
    }

    public static DirectoryResource of(String key) {
        for (DirectoryResource r : values()) {
            if (r.key.equals(key)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown directory resource " + key);
    }
}
