package org.o365audit.graph;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Who is inside a tenant, for {@link FileSharing}: a guest of the directory (userType Guest, or {@code #EXT#} in the
 * UPN) or an address outside the tenant's domains is external. The domains are those of the tenant's member accounts
 * (directory_user, when the accounts component runs), plus the file owner's and the tenant's onmicrosoft.com
 * domain taken from the SharePoint host (contoso.sharepoint.com, contoso-my.sharepoint.com). A heuristic: Microsoft
 * documents no rule (graph.md 3.4); verified domains the directory does not show in any account are missed.
 */
public record TenantPeople(Set<String> domains, Set<String> guests) implements FileSharing.People {

    @Override
    public boolean external(String emailOrUpn) {
        String a = emailOrUpn.trim().toLowerCase(Locale.ROOT);
        if (a.contains("#ext#") || guests.contains(a)) {
            return true;
        }
        return !domains.isEmpty() && !domains.contains(domain(a));
    }

    /** These people with the domains a file itself names: its owner's and its SharePoint host's. */
    public TenantPeople withFile(String ownerAddress, String webUrl) {
        Set<String> d = new HashSet<>(domains);
        if (ownerAddress != null && ownerAddress.contains("@") && !external(ownerAddress)) {
            d.add(domain(ownerAddress.toLowerCase(Locale.ROOT)));
        }
        String host = host(webUrl);
        if (host != null && host.endsWith(".sharepoint.com")) {
            String tenantName = host.substring(0, host.indexOf('.')).replaceAll("-my$", "");
            d.add(tenantName + ".onmicrosoft.com");
        }
        return new TenantPeople(Set.copyOf(d), guests);
    }

    static String domain(String address) {
        return address.substring(address.lastIndexOf('@') + 1);
    }

    private static String host(String url) {
        try {
            return url == null ? null : java.net.URI.create(url.replace(" ", "%20")).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
