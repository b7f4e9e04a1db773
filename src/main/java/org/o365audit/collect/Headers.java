package org.o365audit.collect;

/** Camel header and property names the routes and beans share. */
public final class Headers {
    public static final String TENANT_ID = "O365TenantId";
    public static final String CONTENT_TYPE = "O365ContentType";
    /** Exchange property holding the {@link PollStats} of the running poll. */
    public static final String POLL_STATS = "O365PollStats";
    /** Exchange property holding the {@code ContentBlob} being collected. */
    public static final String BLOB = "O365Blob";

    private Headers() {
    }
}
