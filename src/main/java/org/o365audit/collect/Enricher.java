package org.o365audit.collect;

import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.o365audit.config.Tenant;
import org.o365audit.record.AuditEvent;
import org.o365audit.record.BlobContent;
import org.o365audit.record.BlobDefect;
import org.o365audit.record.EnrichedBatch;
import org.o365audit.record.Texts;
import org.o365audit.store.BlobKeys;
import org.o365audit.store.Directory;
import org.o365audit.store.DirectoryLookup;
import org.o365audit.store.DirectoryUser;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Adds to each record what the store and the sinks need beside the untouched raw JSON: tenant, content
 * type and blob, app name, RecordType name, CreationTime as UTC and the lag from event to collection, and, from
 * the tenant's directory and app inventory held in memory ({@link DirectoryLookup}), the acting user's entry and
 * the acting app.
 * Real data varies in type (RecordType as a string, ClientIP as "&lt;null&gt;" or ip:port, no Workload):
 * none of that fails. Derived columns are cleaned of control characters and cut to their column's size
 * (the raw record keeps everything); a record that cannot be stored once-only and whole (see {@link #unfit})
 * is set aside on its own.
 */
@Component
public class Enricher {
    /** The length of audit_event.id. */
    static final int MAX_ID = 512;
    private static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final Clock clock;
    private final DirectoryLookup directories;

    /** Without directories: the actor columns stay null. */
    public Enricher(Clock clock) {
        this(clock, null);
    }

    @Autowired
    public Enricher(Clock clock, DirectoryLookup directories) {
        this.clock = clock;
        this.directories = directories;
    }

    public EnrichedBatch enrich(RecordBatch batch) {
        BlobContent c = batch.content();
        Tenant t = c.tenant();
        Instant now = clock.instant();
        List<AuditEvent> events = new ArrayList<>(batch.records().size());
        List<BlobDefect> defects = new ArrayList<>(batch.defects());
        String contentId = BlobKeys.of(c.blob().contentId());
        Directory directory = directories == null ? Directory.EMPTY : directories.of(t);
        for (RecordBatch.RawRecord r : batch.records()) {
            RecordFields f = r.fields();
            String unfit = unfit(f);
            if (unfit != null) {
                defects.add(new BlobDefect(t.tenantId(), t.name(), c.blob().contentType(), c.blob().contentId(),
                        c.blob().contentUri(), false, unfit, r.raw(), now));
                continue;
            }
            String id = f.id().text();
            Integer recordType = recordType(f.recordType());
            String workload = text(f.workload());
            Instant created = storable(CreationTimes.parse(text(f.creationTime())));
            String typeName = RecordTypes.name(recordType);
            if (typeName == null && recordType == null) {
                typeName = text(f.recordType());
            }
            DirectoryUser actor = actor(directory, f);
            String appId = actingApp(directory, f);
            events.add(new AuditEvent(t.tenantId(), t.name(), id, c.blob().contentType(), contentId,
                    created, now, created == null ? null : Duration.between(created, now).getSeconds(),
                    Texts.column(workload, 128), recordType, Texts.column(typeName, 128),
                    Texts.column(text(f.operation()), 512), Texts.column(text(f.userId()), 512),
                    Texts.column(clientIp(f), 128), Texts.column(AppNames.of(workload, recordType), 64), r.raw(),
                    FeedSources.of(c.blob().contentType()),
                    actor == null ? null : actor.displayName(), actor == null ? null : actor.department(),
                    actor == null ? null : actor.groups(), actor == null ? null : actor.onPremisesSync(),
                    appId, directory.appName(appId)));
        }
        return new EnrichedBatch(c.stats(), events, defects);
    }

    /**
     * Why a record cannot be stored once-only and whole, or null when it can. The same rule on H2 and
     * PostgreSQL: an Id that is missing, blank, not a string or number, or longer than the key column; any
     * string (key or value, at any depth) holding U+0000 or an unpaired surrogate, which PostgreSQL refuses.
     */
    static String unfit(RecordFields f) {
        RecordFields.Value idValue = f.id();
        if (idValue == null) {
            return "record has no Id";
        }
        if (idValue.type() != JsonNodeType.STRING && idValue.type() != JsonNodeType.NUMBER) {
            return "record Id is not a string but " + idValue.type();
        }
        String id = idValue.text();
        if (id.isBlank()) {
            return "record has no Id";
        }
        if (id.length() > MAX_ID) {
            return "record Id is " + id.length() + " characters, more than the " + MAX_ID + " the store keys on";
        }
        String where = f.unstorableAt();
        return where == null ? null : "record holds U+0000 or an unpaired surrogate at " + Texts.printable(where, 200)
                + ", which PostgreSQL cannot store";
    }

    /**
     * The acting user: UserId as a UPN (any case), else UserId or UserKey as the user's object id (Entra ID records
     * give the object id in UserKey; Exchange and SharePoint give a PUID there, which matches nothing). The
     * record's ObjectId is never used: it names what was acted upon.
     */
    static DirectoryUser actor(Directory d, RecordFields f) {
        if (d.isEmpty()) {
            return null;
        }
        String userId = text(f.userId());
        DirectoryUser u = d.byUpn(userId);
        if (u == null) {
            u = d.byObjectId(userId);
        }
        return u == null ? d.byObjectId(text(f.userKey())) : u;
    }

    /**
     * The app id of the inventoried app that performed the activity: AppId, else ClientAppId, else ApplicationId
     * (Entra ID sign-ins), the first that names an app of the inventory. Exchange's MailItemsAccessed gives the
     * API in AppId (Microsoft Graph) and the calling app in ClientAppId, so an id not in the inventory is passed over.
     */
    static String actingApp(Directory d, RecordFields f) {
        if (d.isEmpty()) {
            return null;
        }
        for (RecordFields.Value v : new RecordFields.Value[] {f.appId(), f.clientAppId(), f.applicationId()}) {
            String id = text(v);
            if (id != null && d.knowsApp(id)) {
                return Texts.column(id.trim(), 64);
            }
        }
        return null;
    }

    /** A CreationTime both databases keep alike (years 1900 to 9999); others stay in raw only. */
    static Instant storable(Instant t) {
        return t == null || t.isBefore(EARLIEST) || t.isAfter(LATEST) ? null : t;
    }

    /** RecordType as a number, or a number in a string; a name in a string gives null. */
    static Integer recordType(RecordFields.Value v) {
        if (v == null) {
            return null;
        }
        if (v.integer() != null) {
            return v.integer();
        }
        try {
            return Integer.valueOf(v.text().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The client address without port: "1.2.3.4:5678" → 1.2.3.4, "[2a01::1]:443" → 2a01::1, "&lt;null&gt;" → null. */
    static String clientIp(RecordFields f) {
        String ip = text(f.clientIp());
        if (ip == null || ip.isBlank() || "<null>".equals(ip) || "null".equalsIgnoreCase(ip)) {
            ip = text(f.clientIpAddress());
        }
        if (ip == null || ip.isBlank() || "<null>".equals(ip) || "null".equalsIgnoreCase(ip)) {
            ip = text(f.actorIpAddress());
        }
        if (ip == null || ip.isBlank() || "<null>".equals(ip) || "null".equalsIgnoreCase(ip)) {
            return null;
        }
        ip = ip.trim();
        if (ip.startsWith("[")) {
            int close = ip.indexOf(']');
            return close > 0 ? ip.substring(1, close) : ip;
        }
        int colon = ip.indexOf(':');
        if (colon > 0 && colon == ip.lastIndexOf(':') && isPort(ip, colon + 1)) {
            return ip.substring(0, colon);
        }
        return ip;
    }

    /** True when {@code s} from {@code from} on is 1 to 5 ASCII digits. */
    private static boolean isPort(String s, int from) {
        int n = s.length() - from;
        if (n < 1 || n > 5) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** A scalar's text, an object's or array's JSON, null for JSON null or no value. */
    private static String text(RecordFields.Value v) {
        return v == null ? null : v.text();
    }
}
