package org.o365audit.sink.format;

/**
 * The fixed parts of each RFC 5424 message. Null names take the defaults, and an SD-ID that a receiver
 * would refuse fails here, at configuration time, rather than on every message.
 *
 * @param facility 0..23; 13 is "log audit"
 * @param hostname this collector's name as the SIEM should show it; null gives the nil value "-"
 * @param sdId a private SD-ID ({@code name@PEN}); 32473 is the documentation PEN of RFC 5612
 * @param bom whether MSG starts with the UTF-8 BOM that RFC 5424 §6.4 asks for
 */
public record SyslogOptions(int facility, String hostname, String appName, String msgId, String sdId, boolean bom) {
    public static final int LOG_AUDIT = 13;
    public static final String DEFAULT_APP_NAME = "o365-audit";
    public static final String DEFAULT_MSG_ID = "AUDIT";
    public static final String DEFAULT_SD_ID = "o365@32473";

    public SyslogOptions {
        if (facility < 0 || facility > 23) {
            throw new IllegalArgumentException("syslog facility must be 0..23, was " + facility);
        }
        appName = appName == null ? DEFAULT_APP_NAME : appName;
        msgId = msgId == null ? DEFAULT_MSG_ID : msgId;
        sdId = sdId == null ? DEFAULT_SD_ID : sdId;
        if (!isSdName(sdId) || sdId.indexOf('@') <= 0) {
            // Without '@' the SD-ID is reserved for IANA; receivers may drop the element or the message.
            throw new IllegalArgumentException("SD-ID must be name@<enterprise number> (1-32 printable ASCII, "
                    + "no space, '=', ']' or '\"'), was '" + sdId + "'");
        }
    }

    public static SyslogOptions defaults() {
        return new SyslogOptions(LOG_AUDIT, null, null, null, null, true);
    }

    public SyslogOptions withHostname(String name) {
        return new SyslogOptions(facility, name, appName, msgId, sdId, bom);
    }

    static boolean isSdName(String s) {
        if (s.isEmpty() || s.length() > 32) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 33 || c > 126 || c == '=' || c == ']' || c == '"') {
                return false;
            }
        }
        return true;
    }
}
