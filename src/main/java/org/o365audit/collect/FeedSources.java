package org.o365audit.collect;

/** The {@code source} column: which API a record came from, told apart by the content type of its batch. */
public final class FeedSources {
    public static final String MANAGEMENT_API = "management-api";
    public static final String POWERBI = "powerbi-activity";
    public static final String DATAVERSE = "dataverse-audit";
    public static final String GRAPH_SIGNINS = "graph-signins";
    /** Events the apps component detects in the tenant's third-party apps (graph.AppInventory). */
    public static final String GRAPH_APPS = "graph-apps";
    /** Events of the files component: a file's sharing grew to external or public, or a public link went (graph files). */
    public static final String GRAPH_FILES = "graph-files";
    /** The audit trail of governance actions (suspend user, revoke sessions, remove sharing, confirm compromised). */
    public static final String GOVERNANCE = "governance";
    /** Records found again by the audit search (Graph's audit log query) beyond the Management API's 7 days. */
    public static final String AUDIT_SEARCH = "audit-search";
    public static final String AUDIT_SEARCH_CONTENT = "AuditSearch";
    /** Content types of the delayed feeds' batches (the Management API's are Audit.* and DLP.All). */
    public static final String POWERBI_CONTENT = "PowerBI.ActivityEvents";
    public static final String DATAVERSE_CONTENT = "Dataverse.Audits";
    /** The Graph sign-in log's batches (signins component). */
    public static final String GRAPH_SIGNINS_CONTENT = "Graph.SignIns";
    public static final String GRAPH_APPS_CONTENT = "Graph.Apps";
    public static final String GRAPH_FILES_CONTENT = "Graph.Files";
    public static final String GOVERNANCE_CONTENT = "Governance.Actions";

    private FeedSources() {
    }

    public static String of(String contentType) {
        if (POWERBI_CONTENT.equals(contentType)) {
            return POWERBI;
        }
        if (DATAVERSE_CONTENT.equals(contentType)) {
            return DATAVERSE;
        }
        if (GRAPH_SIGNINS_CONTENT.equals(contentType)) {
            return GRAPH_SIGNINS;
        }
        if (GRAPH_APPS_CONTENT.equals(contentType)) {
            return GRAPH_APPS;
        }
        if (GRAPH_FILES_CONTENT.equals(contentType)) {
            return GRAPH_FILES;
        }
        if (GOVERNANCE_CONTENT.equals(contentType)) {
            return GOVERNANCE;
        }
        if (AUDIT_SEARCH_CONTENT.equals(contentType)) {
            return AUDIT_SEARCH;
        }
        return MANAGEMENT_API;
    }
}
