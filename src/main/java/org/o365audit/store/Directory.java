package org.o365audit.store;

import java.util.Locale;
import java.util.Map;

/**
 * One tenant's directory and app inventory held in memory, so that enriching a record costs a few map look-ups
 * and never a query. Immutable: a reload makes a new one.
 */
public final class Directory {
    /** A tenant without the accounts and apps components, or whose tables are still empty. */
    public static final Directory EMPTY = new Directory(Map.of(), Map.of(), Map.of());

    private final Map<String, DirectoryUser> byUpn;
    private final Map<String, DirectoryUser> byId;
    private final Map<String, String> appNames;

    /** Keys in lower case: UPNs, object ids and app ids. */
    Directory(Map<String, DirectoryUser> byUpn, Map<String, DirectoryUser> byId, Map<String, String> appNames) {
        this.byUpn = byUpn;
        this.byId = byId;
        this.appNames = appNames;
    }

    public boolean isEmpty() {
        return byId.isEmpty() && appNames.isEmpty();
    }

    /** The user whose UPN this is, in any case; null when unknown. */
    public DirectoryUser byUpn(String upn) {
        return upn == null || byUpn.isEmpty() ? null : byUpn.get(upn.toLowerCase(Locale.ROOT));
    }

    /** The user whose object id (a GUID, in any case) this is; null when unknown. */
    public DirectoryUser byObjectId(String id) {
        return id == null || byId.isEmpty() ? null : byId.get(id.toLowerCase(Locale.ROOT));
    }

    /** The display name of the inventoried app with this app id; null when the app is not in the inventory. */
    public String appName(String appId) {
        return appId == null || appNames.isEmpty() ? null : appNames.get(appId.trim().toLowerCase(Locale.ROOT));
    }

    /** True when the app id names an inventoried app (whose display name may be unknown). */
    public boolean knowsApp(String appId) {
        return appId != null && !appNames.isEmpty() && appNames.containsKey(appId.trim().toLowerCase(Locale.ROOT));
    }

    int users() {
        return byId.size();
    }

    int apps() {
        return appNames.size();
    }
}
