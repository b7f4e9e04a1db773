package org.o365audit.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.o365audit.record.Texts;

/**
 * A change in a file's sharing that a security team wants to hear of: {@value #EXTERNAL} (from private or internal
 * to external), {@value #PUBLIC} (to public, an anonymous link) or {@value #LINK_REMOVED} (from public to anything
 * narrower). A file seen for the first time counts as coming from private, so one already shared outside is reported
 * once. Narrowing from external to internal or private, and widening to internal, are kept in file_item without an
 * event. {@code cause} is the audit record that named the file ({@code refresh@<millis>}, the stored last read, for a
 * periodic re-read): with tenant, drive, item, operation and both levels it makes the event's Id, so the same change
 * found again after a rerun or restart is the same record.
 */
public record FileSharingChange(String operation, SharingLevel before, FileState file, String siteUrl, String cause,
        FileActivity activity) {
    public static final String EXTERNAL = "FileSharedExternally";
    public static final String PUBLIC = "FileSharedPublicly";
    public static final String LINK_REMOVED = "PublicLinkRemoved";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    /** The change from {@code before} (null: never seen) to the file's level now; null when none to report. */
    public static String operation(SharingLevel before, SharingLevel now) {
        SharingLevel was = before == null ? SharingLevel.PRIVATE : before;
        if (now == was) {
            return null;
        }
        if (now == SharingLevel.PUBLIC) {
            return PUBLIC;
        }
        if (was == SharingLevel.PUBLIC) {
            return LINK_REMOVED;
        }
        return now == SharingLevel.EXTERNAL ? EXTERNAL : null;
    }

    public String id(String tenantId) {
        String key = String.join("|", "graph-files", tenantId, file.driveId(), file.itemId(), operation,
                before == null ? "new" : before.key(), file.sharing().level().key(), cause);
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The event as stored in audit_event.raw and sent to the sinks. */
    public ObjectNode record(String tenantId, Instant detected) {
        ObjectNode r = JSON.createObjectNode();
        r.put("Id", id(tenantId));
        r.put("CreationTime", TIME.format(detected));
        r.put("Operation", operation);
        r.put("Workload", file.workload());
        r.put("OrganizationId", tenantId);
        r.put("ObjectId", clean(file.webUrl()));
        r.put("DriveId", file.driveId());
        r.put("ItemId", file.itemId());
        r.put("SiteUrl", clean(siteUrl));
        r.put("FileName", clean(file.name()));
        r.put("Owner", clean(file.owner()));
        r.put("SharingLevel", file.sharing().level().key());
        r.put("PreviousSharingLevel", before == null ? null : before.key());
        file.sharing().entries().forEach(e -> r.withArray("Sharing").add(clean(e.text())));
        if (!r.has("Sharing")) {
            r.putArray("Sharing");
        }
        ObjectNode caused = r.putObject("CausedBy");
        caused.put("Id", activity == null ? cause : activity.recordId());
        caused.put("Operation", activity == null ? "PeriodicRead" : activity.operation());
        if (activity != null && activity.userId() != null) {
            r.put("UserId", clean(activity.userId()));
        }
        return r;
    }

    /**
     * Names, e-mails and URLs as Graph gave them, cleaned as every stored text is (no U+0000, no lone surrogate): a
     * hostile name must not get the event set aside, since the event is what tells of the sharing.
     */
    private static String clean(String text) {
        return Texts.column(text, Integer.MAX_VALUE);
    }
}
