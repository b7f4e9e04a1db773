package org.o365audit.record;

/** Camel header and property names the routes and beans share. */
public final class Headers {
    public static final String TENANT_ID = "O365TenantId";
    public static final String CONTENT_TYPE = "O365ContentType";
    /** A Graph component's key (accounts, apps, signins) on the routes of routes/graph-*.camel.yaml and friends. */
    public static final String COMPONENT = "O365Component";
    /** Exchange property holding the {@code collect.PollStats} of the running poll. */
    public static final String POLL_STATS = "O365PollStats";
    /** Exchange property holding the blob being collected: a {@code collect.ListedBlob} (the blob and its failed attempts). */
    public static final String BLOB = "O365Blob";
    /** Header naming the delayed feed of a tenant (powerbi, dataverse:&lt;environment url&gt;). */
    public static final String FEED = "O365Feed";
    /** Exchange property holding the counters of a delayed-feed cycle. */
    public static final String CYCLE_STATS = "O365CycleStats";

    private Headers() {
    }
}
