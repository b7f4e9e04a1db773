package org.o365audit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A file or sharing activity of the audit feed that names a file to read again: the record's Id, operation,
 * workload, actor and time, and the file's URL (ObjectId) with its site (SiteUrl). {@link #parse} refuses a record
 * whose ObjectId is missing or not an https URL, or whose ItemType is not File (folders, lists, pages, sites).
 */
public record FileActivity(String recordId, String operation, String workload, String userId, Instant at,
        String fileUrl, String siteUrl) {

    /**
     * The operations that may change a file's metadata or sharing (Microsoft Purview's file and sharing activities);
     * FileAccessed, FileDownloaded and the like change neither and are left out.
     */
    public static final List<String> OPERATIONS = List.of(
            "FileUploaded", "FileModified", "FileModifiedExtended", "FileRenamed", "FileMoved", "FileCopied",
            "FileDeleted", "FileDeletedFirstStageRecycleBin", "FileRestored", "FileCheckedIn",
            "SharingSet", "SharingInvitationCreated", "SharingInvitationAccepted", "SharingInheritanceBroken",
            "SharingRevoked", "AddedToSecureLink", "RemovedFromSecureLink", "SecureLinkCreated", "SecureLinkUpdated",
            "SecureLinkDeleted", "AnonymousLinkCreated", "AnonymousLinkUpdated", "AnonymousLinkRemoved",
            "CompanyLinkCreated", "CompanyLinkRemoved");

    public static final Set<String> WORKLOADS = Set.of("SharePoint", "OneDrive");

    /** Why a record cannot name a file, or null when it can. */
    public static String unusable(JsonNode record) {
        String itemType = record.path("ItemType").asText("");
        if (!itemType.isEmpty() && !itemType.equalsIgnoreCase("File")) {
            return "ItemType " + itemType + " is not a file";
        }
        String url = record.path("ObjectId").asText("").trim();
        if (url.isEmpty()) {
            return "no ObjectId";
        }
        try {
            URI u = URI.create(url.replace(" ", "%20"));
            if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null || u.getPath() == null
                    || u.getPath().length() < 2) {
                return "ObjectId is not a file's https URL";
            }
        } catch (IllegalArgumentException e) {
            return "ObjectId is not a URL";
        }
        return null;
    }

    /**
     * The activity of a usable record. A rename or move names the file's old URL in ObjectId and its new place in
     * DestinationRelativeUrl and DestinationFileName: the file is looked up at the new one.
     */
    public static FileActivity of(JsonNode record, Instant at) {
        String url = record.path("ObjectId").asText().trim();
        String site = record.path("SiteUrl").asText(null);
        String destFolder = record.path("DestinationRelativeUrl").asText("");
        String destName = record.path("DestinationFileName").asText("");
        if (site != null && site.startsWith("https://") && !destName.isEmpty()) {
            url = site.replaceAll("/+$", "") + "/" + (destFolder.isEmpty() ? "" : destFolder.replaceAll("^/+|/+$", "") + "/")
                    + destName;
        }
        return new FileActivity(record.path("Id").asText(), record.path("Operation").asText(),
                record.path("Workload").asText(), record.path("UserId").asText(null), at, url, site);
    }

    /**
     * The key of file_item.url_key: the SHA-256 (hex) of the URL as SharePoint compares it, percent-decoded and lower
     * case. A hash, so that a URL of any length and script fits the column and its index (a 400-character CJK path is
     * several KB decoded, beyond what a PostgreSQL index row may hold).
     */
    public static String urlKey(String url) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(comparable(url).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** The URL as SharePoint compares it: percent-decoded, lower case. */
    static String comparable(String url) {
        byte[] in = url.trim().getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
        return out.toString(java.nio.charset.StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    }
}
