package org.o365audit.config;

import java.util.Arrays;
import java.util.List;

/**
 * What a connection collects, chosen per tenant ({@code o365.tenants[i].components}), as in the connector we are
 * modelled on: the activity feed, and the Microsoft Graph side: accounts and groups, the third-party apps with
 * access, sign-ins, files. Each Graph component runs as its own route ({@link #template()}) with its own status, so
 * one that Microsoft refuses (a permission not granted, no licence) never stops the others.
 */
public enum TenantComponent {
    ACTIVITIES("activities", null, "ActivityFeed.Read (Office 365 Management APIs)"),
    ACCOUNTS("accounts", "directory-sync", "User.Read.All, GroupMember.Read.All"),
    APPS("apps", "app-inventory", "Application.Read.All, Directory.Read.All"),
    SIGNINS("signins", "graph-signins", "AuditLog.Read.All, Directory.Read.All (and an Entra ID P1 or P2 licence)"),
    FILES("files", "file-watch", "Files.Read.All, Sites.Read.All"),
    /** Not listed in components: on with {@code audit-search: true} (Graph's audit log query API, beta). */
    SEARCH("search", "audit-search", "AuditLogsQuery.Read.All (or the per-workload AuditLogsQuery-*.Read.All)");

    private final String key;
    private final String template;
    private final String permissions;

    TenantComponent(String key, String template, String permissions) {
        this.key = key;
        this.template = template;
        this.permissions = permissions;
    }

    /** The name in configuration, status, metrics and JMX. */
    public String key() {
        return key;
    }

    /** The routes/ template that runs the component once per tenant; null for activities. */
    public String template() {
        return template;
    }

    /** True for the components read from Microsoft Graph. */
    public boolean graph() {
        return this != ACTIVITIES;
    }

    /** The application permissions (least privilege, read-only) the component needs, with admin consent. */
    public String permissions() {
        return permissions;
    }

    public static TenantComponent fromKey(String key) {
        for (TenantComponent c : values()) {
            if (c.key.equalsIgnoreCase(key == null ? "" : key.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown component '" + key + "' (expected " + String.join(", ", keys()) + ")");
    }

    /** The components one lists in {@code components} (search is switched on by {@code audit-search}). */
    public static List<String> keys() {
        return Arrays.stream(values()).filter(c -> c != SEARCH).map(TenantComponent::key).toList();
    }
}
