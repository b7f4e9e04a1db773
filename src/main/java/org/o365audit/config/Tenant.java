package org.o365audit.config;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * A tenant ready to collect: hosts resolved, defaults applied. {@link #toString()} never shows secrets.
 */
public record Tenant(
        String name,
        String tenantId,
        String clientId,
        String clientSecret,
        String certificatePath,
        String certificatePassword,
        Cloud cloud,
        String apiUrl,
        String loginUrl,
        String publisherId,
        List<String> contentTypes,
        String trustStore,
        String trustStorePassword,
        String powerBiUrl,
        List<String> dataverseEnvironments,
        Set<TenantComponent> components,
        String graphUrl,
        boolean interactiveSignInsOnly,
        Set<GovernanceAction> governanceActions,
        boolean governanceDryRunOnly,
        String webhookAddress,
        String webhookAuthId,
        boolean auditSearch) {

    /** True when Microsoft notifies this tenant's new blobs to the collector (o365.tenants[i].webhook). */
    public boolean pushEnabled() {
        return webhookAddress != null;
    }

    /** True when configuration allows this governance action in this tenant. */
    public boolean allows(GovernanceAction action) {
        return governanceActions.contains(action);
    }

    /** True when the connection collects this component. */
    public boolean has(TenantComponent component) {
        return components.contains(component);
    }

    /** The only origin that ever receives this tenant's Graph token. */
    public URI graphOrigin() {
        return URI.create(graphUrl);
    }

    /** True when the Power BI activity-events feed is enabled (powerBiUrl is then its root). */
    public boolean powerBiEnabled() {
        return powerBiUrl != null;
    }

    /** {@code {api-url}/api/v1.0/{tenant}/activity/feed} */
    public String feedRoot() {
        return apiUrl + "/api/v1.0/" + tenantId + "/activity/feed";
    }

    /** The only origin (scheme, host, port) that ever receives this tenant's token. */
    public URI apiOrigin() {
        return URI.create(apiUrl);
    }

    public String authority() {
        return loginUrl + "/" + tenantId + "/";
    }

    /** True when the login host is one of Microsoft's; other hosts skip instance discovery. */
    public boolean microsoftLogin() {
        for (Cloud c : Cloud.values()) {
            if (c.loginUrl().getHost().equalsIgnoreCase(URI.create(loginUrl).getHost())) {
                return true;
            }
        }
        return false;
    }

    static String stripSlash(String url) {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    @Override
    public String toString() {
        return "Tenant[" + name + " " + tenantId + " cloud=" + cloud.key() + " api=" + apiUrl + "]";
    }
}
