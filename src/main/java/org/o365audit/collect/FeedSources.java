package org.o365audit.collect;

/** The {@code source} column: which API a record came from, told apart by the content type of its batch. */
public final class FeedSources {
    public static final String MANAGEMENT_API = "management-api";
    public static final String POWERBI = "powerbi-activity";
    public static final String DATAVERSE = "dataverse-audit";
    /** Content types of the delayed feeds' batches (the Management API's are Audit.* and DLP.All). */
    public static final String POWERBI_CONTENT = "PowerBI.ActivityEvents";
    public static final String DATAVERSE_CONTENT = "Dataverse.Audits";

    private FeedSources() {
    }

    public static String of(String contentType) {
        if (POWERBI_CONTENT.equals(contentType)) {
            return POWERBI;
        }
        if (DATAVERSE_CONTENT.equals(contentType)) {
            return DATAVERSE;
        }
        return MANAGEMENT_API;
    }
}
