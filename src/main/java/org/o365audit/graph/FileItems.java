package org.o365audit.graph;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.o365audit.record.Texts;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The files component's tables: file_item (the files and their sharing) and file_cursor (its place in the feed). */
@Component
public class FileItems {
    private static final String COLUMNS = "drive_id, item_id, web_url, site_url, sharing_level, deleted, checked_at";
    private final JdbcTemplate jdbc;

    public FileItems(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** The tenant's place in the delivery order: (epoch, seq) of the last record taken; (0, 0) before the first. */
    public long[] cursor(String tenantId, boolean lock) {
        List<long[]> rows = jdbc.query("SELECT epoch, seq FROM file_cursor WHERE tenant_id = ?" + (lock ? " FOR UPDATE" : ""),
                (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)}, tenantId);
        return rows.isEmpty() ? new long[] {0, 0} : rows.get(0);
    }

    public void moveCursor(String tenantId, long[] to, Instant now) {
        if (jdbc.update("UPDATE file_cursor SET epoch = ?, seq = ?, updated_at = ? WHERE tenant_id = ?", to[0], to[1],
                Timestamp.from(now), tenantId) == 0) {
            jdbc.update("INSERT INTO file_cursor (tenant_id, epoch, seq, updated_at) VALUES (?, ?, ?, ?)", tenantId, to[0],
                    to[1], Timestamp.from(now));
        }
    }

    public Optional<StoredFile> find(String tenantId, String driveId, String itemId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM file_item WHERE tenant_id = ? AND drive_id = ? AND item_id = ?",
                FileItems::stored, tenantId, driveId, itemId).stream().findFirst();
    }

    public List<StoredFile> atUrl(String tenantId, String urlKey) {
        return jdbc.query("SELECT " + COLUMNS + " FROM file_item WHERE tenant_id = ? AND url_key = ?", FileItems::stored,
                tenantId, Texts.column(urlKey, 2048));
    }

    /** Up to {@code limit} files not deleted and last read before {@code before}, the longest unread first. */
    public List<StoredFile> stale(String tenantId, Instant before, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM file_item WHERE tenant_id = ? AND deleted = FALSE AND checked_at < ?"
                + " ORDER BY checked_at LIMIT " + limit, FileItems::stored, tenantId, Timestamp.from(before));
    }

    /** The file as Graph showed it now; the activity, when one named it. */
    public void save(String tenantId, FileState f, String siteUrl, FileActivity cause, boolean known, Instant now) {
        Object[] values = {FileActivity.urlKey(f.webUrl()), Texts.column(siteUrl, 2048), Texts.column(f.webUrl(), 2048),
                Texts.column(f.path(), 2048), Texts.column(f.name(), 512), Texts.column(f.owner(), 512), f.size(),
                f.lastModified() == null ? null : Timestamp.from(f.lastModified()), f.sharing().level().key(),
                // names and e-mails of people and links as Graph gave them: cleaned like every text column (no U+0000)
                Texts.column(f.sharing().text(), 1_000_000), Texts.column(f.sharing().permissionIds(), 1_000_000),
                Timestamp.from(now)};
        if (known) {
            jdbc.update("UPDATE file_item SET url_key = ?, site_url = COALESCE(?, site_url), web_url = ?, path = ?, name = ?,"
                    + " owner = ?, size_bytes = ?, last_modified = ?, sharing_level = ?, sharing = ?, permission_ids = ?,"
                    + " checked_at = ?, deleted = FALSE WHERE tenant_id = ? AND drive_id = ? AND item_id = ?",
                    concat(values, tenantId, f.driveId(), f.itemId()));
        } else {
            jdbc.update("INSERT INTO file_item (url_key, site_url, web_url, path, name, owner, size_bytes, last_modified,"
                    + " sharing_level, sharing, permission_ids, checked_at, deleted, tenant_id, drive_id, item_id, first_seen)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?, ?, ?)",
                    concat(values, tenantId, f.driveId(), f.itemId(), Timestamp.from(now)));
        }
        if (cause != null) {
            jdbc.update("UPDATE file_item SET last_activity = ?, last_activity_id = ?, last_activity_at = ? WHERE tenant_id = ?"
                    + " AND drive_id = ? AND item_id = ?", Texts.column(cause.operation(), 128),
                    Texts.column(cause.recordId(), 512), cause.at() == null ? null : Timestamp.from(cause.at()), tenantId,
                    f.driveId(), f.itemId());
        }
    }

    public void deleted(String tenantId, StoredFile f, FileActivity cause, Instant now) {
        jdbc.update("UPDATE file_item SET deleted = TRUE, checked_at = ? WHERE tenant_id = ? AND drive_id = ? AND item_id = ?",
                Timestamp.from(now), tenantId, f.driveId(), f.itemId());
        if (cause != null) {
            jdbc.update("UPDATE file_item SET last_activity = ?, last_activity_id = ?, last_activity_at = ? WHERE tenant_id = ?"
                    + " AND drive_id = ? AND item_id = ?", Texts.column(cause.operation(), 128),
                    Texts.column(cause.recordId(), 512), cause.at() == null ? null : Timestamp.from(cause.at()), tenantId,
                    f.driveId(), f.itemId());
        }
    }

    /** Files watched (not deleted), of them public, of them external. */
    public int[] counts(String tenantId) {
        int[] out = new int[3];
        jdbc.query("SELECT sharing_level, COUNT(*) FROM file_item WHERE tenant_id = ? AND deleted = FALSE GROUP BY sharing_level",
                rs -> {
                    int n = rs.getInt(2);
                    out[0] += n;
                    String level = rs.getString(1);
                    if (level.equals(SharingLevel.PUBLIC.key())) {
                        out[1] += n;
                    } else if (level.equals(SharingLevel.EXTERNAL.key())) {
                        out[2] += n;
                    }
                }, tenantId);
        return out;
    }

    /** The tenant's member domains and guest addresses as its directory (accounts component) shows them. */
    public TenantPeople people(String tenantId) {
        Set<String> domains = new HashSet<>();
        Set<String> guests = new HashSet<>();
        jdbc.query("SELECT upn_lower, mail, user_type FROM directory_user WHERE tenant_id = ?", rs -> {
            String upn = rs.getString(1);
            String mail = rs.getString(2);
            boolean guest = "guest".equalsIgnoreCase(rs.getString(3)) || (upn != null && upn.contains("#ext#"));
            if (guest) {
                if (mail != null) {
                    guests.add(mail.toLowerCase(Locale.ROOT));
                }
                if (upn != null) {
                    guests.add(upn);
                }
            } else {
                for (String a : new String[] {upn, mail}) {
                    if (a != null && a.contains("@")) {
                        domains.add(TenantPeople.domain(a.toLowerCase(Locale.ROOT)));
                    }
                }
            }
        }, tenantId);
        return new TenantPeople(Set.copyOf(domains), Set.copyOf(guests));
    }

    private static StoredFile stored(ResultSet rs, int row) throws SQLException {
        Timestamp checked = rs.getTimestamp(7);
        return new StoredFile(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                SharingLevel.fromKey(rs.getString(5)), rs.getBoolean(6), checked == null ? null : checked.toInstant());
    }

    private static Object[] concat(Object[] a, Object... b) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
