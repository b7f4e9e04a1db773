package org.o365audit.graph;

/**
 * An application of another organisation with a service principal in the tenant, as Graph shows it now, and what it
 * was granted. {@code verifiedPublisher} is the publisher's name as Microsoft verified it, or null.
 */
public record ThirdPartyApp(String id, String appId, String displayName, String ownerTenantId, String publisherName,
        String verifiedPublisher, PermissionSet permissions) {

    public boolean verified() {
        return verifiedPublisher != null;
    }
}
