package org.o365audit.sink.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.o365audit.sink.SinkRecord;

/**
 * A record whose every field that CEF and LEEF map holds characters a SIEM line cannot carry raw, and what each
 * of them should read back as. The expected readings are written out by hand, not computed with the code under test.
 */
final class HostileRecords {
    /**
     * '=', '|', '\', CR LF, tab, NUL, BEL, ESC, DEL, NEL, é, 漢字, an emoji (a surrogate pair), U+2028, an unpaired
     * high surrogate, an already escaped "\=" and a lone backslash at the end. 29 UTF-16 units, below every cut.
     */
    static final String HOSTILE =
            "a=b|c\\d\r\ne\tf\u0000g\u0007\u001B\u007F\u0085\u00E9\u6F22\u5B57\uD83D\uDE00\u2028\uD800 \\=\\";
    /** HOSTILE where line breaks may be carried (CEF extension values): controls replaced, CR and LF kept. */
    static final String READ_BACK =
            "a=b|c\\d\r\ne f\uFFFDg\uFFFD\uFFFD\uFFFD\uFFFD\u00E9\u6F22\u5B57\uD83D\uDE00\u2028\uFFFD \\=\\";
    /** HOSTILE where a line break cannot be carried (CEF header, LEEF): CR and LF as spaces too. */
    static final String READ_BACK_ONE_LINE =
            "a=b|c\\d  e f\uFFFDg\uFFFD\uFFFD\uFFFD\uFFFD\u00E9\u6F22\u5B57\uD83D\uDE00\u2028\uFFFD \\=\\";
    static final String URL_PREFIX = "https://contoso.sharepoint.com/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HostileRecords() {
    }

    static SinkRecord everyFieldHostile() {
        ObjectNode j = JSON.createObjectNode();
        j.put("CreationTime", "2024-05-01T12:00:00");
        for (String field : new String[] {"Id", "Operation", "Version", "OrganizationId", "Workload", "UserKey",
                "MailboxOwnerUPN", "SourceFileName", "RecordType", "UserType", "ResultStatus"}) {
            j.put(field, HOSTILE);
        }
        j.put("UserId", HOSTILE + "@" + HOSTILE);
        // not an address, so no src at all rather than a forged one
        j.put("ClientIP", "203.0.113.7=" + HOSTILE);
        j.put("ObjectId", URL_PREFIX + HOSTILE);
        j.putArray("PolicyDetails").addObject().put("PolicyName", HOSTILE);
        j.withArray("PolicyDetails").addObject().put("PolicyName", "PCI");
        return Corpus.record(j.toString(), HOSTILE);
    }

    /** A record with the given fields, the rest left out. */
    static SinkRecord with(String... fieldsAndValues) {
        ObjectNode j = JSON.createObjectNode().put("Id", "1").put("Operation", "op");
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            j.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return Corpus.record(j.toString());
    }
}
