package org.o365audit.sink.format;

/**
 * Envelope metadata for Splunk HEC. A null (or blank) value is left out so the token's own setting
 * applies, except that sourcetype defaults to the Splunk Add-on for Microsoft Office 365's, which Splunk's
 * detections select on, and source defaults to each record's content type (Audit.Exchange, ...).
 *
 * @param index must be allowed for the token, else Splunk answers code 7
 */
public record HecOptions(String sourcetype, String index, String source, String host) {
    public static final String DEFAULT_SOURCETYPE = "o365:management:activity";

    public HecOptions {
        sourcetype = blankToNull(sourcetype) == null ? DEFAULT_SOURCETYPE : sourcetype;
        index = blankToNull(index);
        source = blankToNull(source);
        host = blankToNull(host);
    }

    public static HecOptions defaults() {
        return new HecOptions(null, null, null, null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
