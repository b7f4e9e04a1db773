package org.o365audit.sink.format;

import java.time.Instant;
import java.util.Optional;
import org.o365audit.sink.SinkRecord;

/**
 * One record as an IBM QRadar LEEF 2.0 event with tab-separated attributes, mapped as in siem-formats.md §5:
 * action as the EventID, category in cat, user in usrName, client address in src, and a custom outcome key (LEEF
 * predefines none for action or outcome). LEEF has no escaping at all: a value simply runs to the next tab, and
 * receivers split each attribute at its first '='. So values keep '=', '|' and '^' (SharePoint user keys hold
 * pipes), while tabs and line breaks become spaces and controls are handled by {@link SiemText}; the EventID,
 * inside the pipe-delimited header, also loses any pipe.
 */
public final class LeefFormat {
    static final int MAX_EVENT_ID = 255;
    private static final char TAB = '\t';

    public String format(SinkRecord r) {
        String op = r.getOperation() == null || r.getOperation().isBlank() ? "Unknown" : r.getOperation();
        StringBuilder out = new StringBuilder(512)
                .append("LEEF:2.0|Microsoft|Office 365|1|")
                .append(flat(AuditFields.cap(op, MAX_EVENT_ID)).replace('|', ' '))
                .append("|x09|");
        Attributes a = new Attributes(out);
        Instant time = AuditFields.eventTime(r);
        // A 13-digit epoch needs no devTimeFormat, and QRadar prefers it to the syslog header's time.
        a.put("devTime", time == null ? null : Long.toString(time.toEpochMilli()));
        a.put("cat", SiemSummary.category(r));
        a.put("sev", Integer.toString(Outcome.of(r).severity()));
        a.put("usrName", AuditFields.cap(r.getUserId(), 255));
        Optional<ClientAddress> client = ClientAddress.of(r);
        a.put("src", client.map(ClientAddress::ip).orElse(null));
        a.put("srcPort", client.map(ClientAddress::port).map(String::valueOf).orElse(null));
        a.put("resource", AuditFields.text(r, "ObjectId"));
        a.put("url", AuditFields.url(r));
        a.put("policy", AuditFields.dlpPolicies(r));
        a.put("domain", AuditFields.upnDomain(r.getUserId()));
        a.put("o365Id", r.getId());
        a.put("orgId", AuditFields.text(r, "OrganizationId"));
        a.put("recordType", AuditFields.text(r, "RecordType"));
        a.put("resultStatus", AuditFields.text(r, "ResultStatus"));
        a.put("tenant", r.getTenantName());
        // Last on purpose: a fixed word, so no receiver trimming the line's end can shorten record data.
        a.put("outcome", SiemSummary.outcome(r));
        return out.toString();
    }

    /** Tab, CR and LF would end the value early or split the event, so they become spaces. */
    static String flat(String s) {
        return SiemText.oneLine(s);
    }

    private static final class Attributes {
        private final StringBuilder out;
        private boolean first = true;

        Attributes(StringBuilder out) {
            this.out = out;
        }

        void put(String key, String v) {
            if (v == null || v.isBlank()) {
                return;
            }
            if (!first) {
                out.append(TAB);
            }
            first = false;
            out.append(key).append('=').append(flat(v));
        }
    }
}
