package org.o365audit.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The SharePoint document libraries and OneDrives of one simulated tenant as Graph shows them: drives, their files
 * and each file's permissions (sharing links, grants to people, the inherited site owners). Tests and the demo add
 * files and change their sharing while the collector runs. Every change to an item moves its eTag, so an
 * {@code if-match} of an older read fails as on Graph. Thread-safe.
 */
public final class SimulatedFiles {

    /** A person as Graph's identitySet names one: user id, display name, e-mail (the UPN for members). */
    public record Identity(String id, String displayName, String email) {
        public static Identity of(String email, String displayName) {
            return new Identity(stableId("user:" + email.toLowerCase(Locale.ROOT)), displayName, email);
        }
    }

    /** A document library of a SharePoint site ({@code documentLibrary}) or a OneDrive for Business ({@code business}). */
    public record Drive(String id, String name, String driveType, String siteUrl) {
    }

    /** A file; {@code path} is the folder inside the drive, "" for the root. */
    public record Item(String driveId, String id, String name, String webUrl, String path, long size, Identity owner,
            Identity lastModifiedBy, Instant created, Instant lastModified, int version) {
        String eTag() {
            return "\"{" + id + "},"  + version + "\"";
        }
    }

    /** A sharing link: type view|edit, scope anonymous|organization|users. */
    public record Link(String type, String scope, String webUrl) {
    }

    /**
     * A permission of an item. {@code link} for a sharing link (with its named recipients in
     * {@code grantedToIdentities}), {@code grantedTo} for a direct grant; {@code invitationEmail} for an invited
     * person; {@code inheritedFrom} the item id it comes from (null when set on the item itself).
     */
    public record Permission(String id, List<String> roles, Link link, Identity grantedTo, String siteGroup,
            List<Identity> grantedToIdentities, String invitationEmail, String inheritedFrom, String shareId) {
    }

    private final Map<String, Drive> drives = new LinkedHashMap<>();
    private final Map<String, Item> items = new LinkedHashMap<>();
    private final Map<String, List<Permission>> permissions = new LinkedHashMap<>();
    private volatile boolean readOnly;
    private volatile int pageSize = 100;

    /** A site's document library, e.g. {@code https://contoso.sharepoint.com/sites/Finance}, "Shared Documents". */
    public synchronized Drive addLibrary(String siteUrl, String library) {
        return add(new Drive(driveId(siteUrl + "|" + library), library, "documentLibrary", strip(siteUrl)));
    }

    /** A user's OneDrive, its site e.g. {@code https://contoso-my.sharepoint.com/personal/adele_contoso_com}. */
    public synchronized Drive addOneDrive(String personalSiteUrl) {
        return add(new Drive(driveId(personalSiteUrl + "|Documents"), "Documents", "business", strip(personalSiteUrl)));
    }

    private Drive add(Drive d) {
        drives.putIfAbsent(d.id(), d);
        return drives.get(d.id());
    }

    /**
     * A file in a drive (folder {@code path}, "" for the root), owned by {@code owner}; its webUrl is the drive's
     * site, the library's URL name ("Shared Documents", "Documents"), the folder and the name, percent-encoded as
     * Graph returns it. The site's owners' group is an inherited permission of every file in a library, the owner
     * holds the owner role. Returns the item; its id follows from drive and path, so a restarted demo keeps it.
     */
    public synchronized Item addFile(Drive drive, String path, String name, long size, Identity owner, Instant modified) {
        String folder = path == null || path.isBlank() ? "" : "/" + path.replaceAll("^/+|/+$", "");
        String webUrl = drive.siteUrl() + "/" + encode(drive.name() + folder + "/" + name);
        Item item = new Item(drive.id(), itemId(drive.id() + folder + "/" + name), name, webUrl, folder, size, owner,
                owner, modified, modified, 1);
        items.put(key(drive.id(), item.id()), item);
        List<Permission> list = new ArrayList<>();
        if (drive.driveType().equals("documentLibrary")) {
            String siteName = drive.siteUrl().substring(drive.siteUrl().lastIndexOf('/') + 1);
            list.add(new Permission(stableId("owners:" + drive.siteUrl()), List.of("owner"), null, null,
                    siteName + " Owners", List.of(), null, itemId(drive.id() + "/root"), null));
        }
        list.add(new Permission(stableId("owner:" + item.id()), List.of("owner"), null, owner, null, List.of(), null,
                null, null));
        permissions.put(key(drive.id(), item.id()), list);
        return item;
    }

    /** An anonymous (anyone with the link) view or edit link; returns the permission's id. */
    public String shareAnonymously(Item item, String type) {
        return addLink(item, type, "anonymous", List.of());
    }

    /** A link for everyone in the organisation. */
    public String shareWithOrganization(Item item, String type) {
        return addLink(item, type, "organization", List.of());
    }

    /** A specific-people link for these recipients (members or guests). */
    public String shareWithPeople(Item item, String type, List<Identity> recipients) {
        return addLink(item, type, "users", recipients);
    }

    private String addLink(Item item, String type, String scope, List<Identity> recipients) {
        String id = UUID.randomUUID().toString();
        String origin = item.webUrl().substring(0, item.webUrl().indexOf('/', "https://".length()));
        String url = origin + "/:" + (item.name().endsWith(".xlsx") ? "x" : "w") + ":/g/E"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8)).substring(0, 22);
        return addPermission(item, new Permission(id, List.of(type.equals("edit") ? "write" : "read"),
                new Link(type, scope, url), null, null, List.copyOf(recipients), null, null,
                "u!" + Base64.getUrlEncoder().withoutPadding().encodeToString(url.getBytes(StandardCharsets.UTF_8))));
    }

    /** A direct grant (read or write) to a person, as an invitation sent to their e-mail makes once redeemed. */
    public String grant(Item item, Identity person, String role) {
        return addPermission(item, new Permission(UUID.randomUUID().toString(), List.of(role), null, person, null,
                List.of(), person.email(), null, null));
    }

    /** Any permission; returns its id. */
    public synchronized String addPermission(Item item, Permission p) {
        List<Permission> list = permissions.get(key(item.driveId(), item.id()));
        if (list == null) {
            throw new IllegalArgumentException("no item " + item.id() + " in drive " + item.driveId());
        }
        list.add(p);
        touch(item.driveId(), item.id());
        return p.id();
    }

    /** The permission is gone (as after a DELETE); false when the item had none with this id. */
    public synchronized boolean removePermission(String driveId, String itemId, String permissionId) {
        List<Permission> list = permissions.get(key(driveId, itemId));
        boolean removed = list != null && list.removeIf(p -> p.id().equals(permissionId));
        if (removed) {
            touch(driveId, itemId);
        }
        return removed;
    }

    /** Every link of this scope on the item is removed. */
    public synchronized void removeLinks(Item item, String scope) {
        List<Permission> list = permissions.getOrDefault(key(item.driveId(), item.id()), new ArrayList<>());
        if (list.removeIf(p -> p.link() != null && p.link().scope().equals(scope))) {
            touch(item.driveId(), item.id());
        }
    }

    /** The file is deleted (in the recycle bin): Graph answers 404 itemNotFound for it. */
    public synchronized void delete(Item item) {
        items.remove(key(item.driveId(), item.id()));
        permissions.remove(key(item.driveId(), item.id()));
    }

    /** True: the app holds only read permissions (Files.Read.All); writes answer 403 accessDenied. */
    public void readOnly(boolean r) {
        readOnly = r;
    }

    boolean readOnly() {
        return readOnly;
    }

    /** Permissions per page of a permissions list. */
    public void pageSize(int n) {
        pageSize = Math.max(1, n);
    }

    int pageSize() {
        return pageSize;
    }

    /** The item as it is now (its eTag moves with every change). */
    public synchronized Optional<Item> item(String driveId, String itemId) {
        return Optional.ofNullable(items.get(key(driveId, itemId)));
    }

    /** The item's permissions now. */
    public synchronized List<Permission> permissions(String driveId, String itemId) {
        return List.copyOf(permissions.getOrDefault(key(driveId, itemId), List.of()));
    }

    synchronized Optional<Drive> drive(String id) {
        return Optional.ofNullable(drives.get(id));
    }

    /**
     * The item at a URL: its webUrl or one of its sharing links, compared as SharePoint does (percent-encoding and
     * case do not matter), so an audit record's ObjectId (spaces unencoded) finds it.
     */
    synchronized Optional<Item> itemAt(String url) {
        String wanted = normalise(url);
        for (Map.Entry<String, Item> e : items.entrySet()) {
            if (normalise(e.getValue().webUrl()).equals(wanted)) {
                return Optional.of(e.getValue());
            }
            for (Permission p : permissions.getOrDefault(e.getKey(), List.of())) {
                if (p.link() != null && normalise(p.link().webUrl()).equals(wanted)) {
                    return Optional.of(e.getValue());
                }
            }
        }
        return Optional.empty();
    }

    private void touch(String driveId, String itemId) {
        items.computeIfPresent(key(driveId, itemId), (k, i) -> new Item(i.driveId(), i.id(), i.name(), i.webUrl(),
                i.path(), i.size(), i.owner(), i.lastModifiedBy(), i.created(), i.lastModified(), i.version() + 1));
    }

    private static String key(String driveId, String itemId) {
        return driveId + "/" + itemId;
    }

    private static String strip(String url) {
        return url.replaceAll("/+$", "");
    }

    static String normalise(String url) {
        byte[] in = url.trim().getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length && Character.digit(in[i + 1], 16) >= 0
                    && Character.digit(in[i + 2], 16) >= 0) {
                out.write(Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16));
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    }

    /** Percent-encodes a path as SharePoint's webUrl does (spaces and non-ASCII), keeping '/'. */
    private static String encode(String path) {
        StringBuilder b = new StringBuilder();
        for (byte c : path.getBytes(StandardCharsets.UTF_8)) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "/-_.~()'!".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c & 0xff));
            }
        }
        return b.toString();
    }

    private static String itemId(String name) {
        return "01" + stableId("item:" + name).replace("-", "").toUpperCase(Locale.ROOT);
    }

    private static String driveId(String name) {
        UUID u = UUID.nameUUIDFromBytes(("drive:" + name).getBytes(StandardCharsets.UTF_8));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(32).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits()).putLong(~u.getMostSignificantBits()).putLong(~u.getLeastSignificantBits());
        return "b!" + Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    private static String stableId(String name) {
        return UUID.nameUUIDFromBytes(("sim-files:" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
