package org.o365audit.sink.format;

import java.time.Instant;
import java.util.Optional;
import org.o365audit.sink.SinkRecord;

/**
 * One record as an ArcSight CEF line ({@code CEF:0|Microsoft|Office 365|...}), mapped as in siem-formats.md §4:
 * user in suser, client address in src (IPv6 in c6a1), action in act, outcome in outcome, category in cat.
 * Keys without a value are left out rather than sent empty, since an empty value swallows the next key in several
 * parsers. Values are cut to the dictionary's lengths before escaping, so the receiver never has to cut through an
 * escape sequence. Escaping follows the CEF standard's "encoding symbols" rules; controls are handled by
 * {@link SiemText}.
 */
public final class CefFormat {

    public String format(SinkRecord r) {
        Outcome outcome = Outcome.of(r);
        String version = AuditFields.text(r, "Version");
        String name = r.getOperation() == null || r.getOperation().isBlank() ? "Unknown" : r.getOperation();
        StringBuilder out = new StringBuilder(768)
                .append("CEF:0|Microsoft|Office 365|")
                .append(header(version == null ? "1" : version)).append('|')
                .append(header(name)).append('|')
                .append(header(name)).append('|')
                .append(outcome.severity()).append('|');
        Extension ext = new Extension(out);
        Instant time = AuditFields.eventTime(r);
        ext.put("rt", time == null ? null : Long.toString(time.toEpochMilli()));
        ext.put("externalId", r.getId(), 40);
        ext.put("deviceExternalId", AuditFields.text(r, "OrganizationId"), 255);
        ext.put("act", r.getOperation(), 63);
        ext.put("cat", SiemSummary.category(r), 1023);
        ext.put("suser", r.getUserId(), 1023);
        ext.put("suid", AuditFields.text(r, "UserKey"), 1023);
        Optional<ClientAddress> client = ClientAddress.of(r);
        client.ifPresent(c -> {
            // The 0.x dictionary types src as IPv4; an IPv6 client goes to the custom IPv6 slot instead.
            if (c.isIpv6()) {
                ext.put("c6a1Label", "ClientIP");
                ext.put("c6a1", c.ip());
            } else {
                ext.put("src", c.ip());
            }
            ext.put("spt", c.port() == null ? null : c.port().toString());
        });
        ext.put("duser", AuditFields.targetUser(r), 1023);
        ext.put("request", AuditFields.url(r), 1023);
        ext.put("fname", AuditFields.text(r, "SourceFileName"), 1023);
        ext.labelled(1, "RecordType", AuditFields.text(r, "RecordType"));
        ext.labelled(2, "UserType", AuditFields.text(r, "UserType"));
        ext.labelled(3, "Tenant", r.getTenantName());
        // outcome is success/failure; the workload's own wording stays available for searches
        ext.labelled(4, "ResultStatus", AuditFields.text(r, "ResultStatus"));
        ext.labelled(5, "DlpPolicy", AuditFields.dlpPolicies(r));
        // Last on purpose: the standard drops trailing spaces of the final value, and this one is a fixed word.
        ext.put("outcome", SiemSummary.outcome(r));
        return out.toString();
    }

    /** Header fields may hold neither an unescaped pipe nor a line break (the standard allows those in values only). */
    static String header(String s) {
        String clean = SiemText.oneLine(s);
        StringBuilder b = new StringBuilder(clean.length() + 8);
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '|' -> b.append("\\|");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Extension values escape '=' and '\' and carry line breaks as \r and \n; a pipe stays as it is. */
    static String value(String s) {
        String clean = SiemText.withoutControls(s);
        StringBuilder b = new StringBuilder(clean.length() + 8);
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '=' -> b.append("\\=");
                case '\r' -> b.append("\\r");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** The space-separated key=value part; keys are fixed identifiers of the dictionary and need no escaping. */
    private static final class Extension {
        private final StringBuilder out;
        private boolean first = true;

        Extension(StringBuilder out) {
            this.out = out;
        }

        void put(String key, String v) {
            put(key, v, Integer.MAX_VALUE);
        }

        void put(String key, String v, int max) {
            if (v == null || v.isBlank()) {
                return;
            }
            if (!first) {
                out.append(' ');
            }
            first = false;
            out.append(key).append('=').append(value(AuditFields.cap(v, max)));
        }

        void labelled(int n, String label, String v) {
            if (v != null && !v.isBlank()) {
                put("cs" + n + "Label", label);
                put("cs" + n, v, 4000);
            }
        }
    }
}
