package org.o365audit.sink.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.o365audit.sink.SinkRecord;

/** Facts about a record that several SIEM mappings share, read the same way for all of them. */
final class AuditFields {
    /** RecordType 8: directory changes, where ObjectId names the user, group or role acted on. */
    static final int AZURE_ACTIVE_DIRECTORY = 8;

    private AuditFields() {
    }

    /** CreationTime; a record without a readable one is placed at the time it was collected. */
    static Instant eventTime(SinkRecord r) {
        return r.getCreationTime() != null ? r.getCreationTime() : r.getCollectedAt();
    }

    /** A top-level field as text, or null when it is missing or blank. */
    static String text(SinkRecord r, String field) {
        String v = r.field(field);
        return v == null || v.isBlank() ? null : v;
    }

    /** ObjectId when it is a URL (SharePoint and OneDrive put the document's address there). */
    static String url(SinkRecord r) {
        String id = text(r, "ObjectId");
        if (id == null) {
            return null;
        }
        String lower = id.toLowerCase(Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://") ? id : null;
    }

    /** The user acted on: the directory object of an AAD change, else the mailbox owner. */
    static String targetUser(SinkRecord r) {
        Integer type = r.getRecordType();
        if (type != null && type == AZURE_ACTIVE_DIRECTORY) {
            String id = text(r, "ObjectId");
            if (id != null && !"Unknown".equals(id)) {
                return id;
            }
        }
        return text(r, "MailboxOwnerUPN");
    }

    /** Names of the DLP policies a record matched, comma-separated, or null. */
    static String dlpPolicies(SinkRecord r) {
        if (!"".equals(r.field("PolicyDetails"))) {
            return null;   // absent or not an array: no need to read the record as a tree
        }
        JsonNode details = r.getJson().get("PolicyDetails");
        if (details == null || !details.isArray()) {
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode d : details) {
            JsonNode name = d.get("PolicyName");
            if (name != null && name.isTextual() && !name.asText().isBlank()) {
                names.add(name.asText());
            }
        }
        return names.isEmpty() ? null : String.join(", ", names);
    }

    /** The part after the only '@' of a UPN, or null when the value is not one. */
    static String upnDomain(String upn) {
        if (upn == null) {
            return null;
        }
        int at = upn.indexOf('@');
        return at > 0 && at == upn.lastIndexOf('@') && at < upn.length() - 1 ? upn.substring(at + 1) : null;
    }

    /** The part before the only '@' of a UPN, or null when the value is not one. */
    static String upnLocalPart(String upn) {
        return upnDomain(upn) == null ? null : upn.substring(0, upn.indexOf('@'));
    }

    /** At most {@code max} characters, never splitting a surrogate pair. */
    static String cap(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }
}
