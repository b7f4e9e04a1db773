package org.o365audit.sink.format.ecs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.o365audit.sink.format.ClientAddress;

/**
 * A client or server address in the shapes Office 365 records give it, read as Elastic's o365 pipeline reads it:
 * {@code ip}, {@code [ip]}, {@code ip:port}, {@code [ipv6]:port}, {@code host}, {@code host:port},
 * {@code host (ip)}, with {@code ::ffff:} removed before an IPv4. Anything else is kept as the address text. Only a
 * literal IP becomes {@link #ip}: a host name in an IP-typed field would make Elasticsearch refuse the document, and
 * resolving it here would leak lookups to DNS. Unlike Elastic, a leading "ffff:" without the colons (Microsoft's AIP
 * samples carry it) is read as the IPv4 it wraps.
 */
record Address(String address, String ip, String port, String domain) {
    private static final Pattern MAPPED = Pattern.compile("::ffff:([0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern BARE_MAPPED = Pattern.compile("^ffff:([0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+)(?=$|:)", Pattern.CASE_INSENSITIVE);
    private static final Pattern BRACKETS_PORT = Pattern.compile("^\\[([^\\]\\s]+)\\]:([1-9][0-9]*)\\b");
    private static final Pattern BRACKETS = Pattern.compile("^\\[([^\\]\\s]+)\\]$");
    private static final Pattern HOST_PORT = Pattern.compile("^(\\S+):([1-9][0-9]*)\\b");
    private static final Pattern HOST_AND_IP = Pattern.compile("^\\[?(\\S+) \\(([^)]*)\\)\\]?$");
    private static final Pattern SERVER_BRACKETED = Pattern.compile("^\\[(\\S+) \\(([^)]*)\\)\\]$");
    private static final Pattern SERVER = Pattern.compile("(\\S+) \\(([^)]*)\\)");
    private static final int MAX_PORT_DIGITS = 9;

    static Address parse(String text) {
        String s = MAPPED.matcher(text).replaceAll("$1");
        s = BARE_MAPPED.matcher(s).replaceFirst("$1");
        if (s.isEmpty()) {
            return null;
        }
        if (isIp(s)) {
            return of(s, null, null);
        }
        Matcher m = BRACKETS_PORT.matcher(s);
        if (m.find() && isIp(m.group(1))) {
            return of(m.group(1), m.group(2), null);
        }
        m = BRACKETS.matcher(s);
        if (m.matches() && isIp(m.group(1))) {
            return of(m.group(1), null, null);
        }
        m = HOST_PORT.matcher(s);
        if (m.find() && isIp(m.group(1))) {
            return of(m.group(1), m.group(2), null);
        }
        if (s.chars().noneMatch(Character::isWhitespace)) {
            return of(null, null, s);   // a host name, port and all, as Elastic keeps it
        }
        m = BRACKETS_PORT.matcher(s);
        if (m.find()) {
            return of(null, m.group(2), m.group(1));
        }
        m = HOST_PORT.matcher(s);
        if (m.find()) {
            return of(null, m.group(2), m.group(1));
        }
        m = HOST_AND_IP.matcher(s);
        if (m.matches()) {
            return of(m.group(2), null, m.group(1));
        }
        return of(s, null, null);
    }

    /** "NAME (ADDRESS)", as Exchange's OriginatingServer gives it (line breaks dropped), else the text as the address. */
    static Address hostAndAddress(String text) {
        String s = text.replace("\r", "").replace("\n", "");
        if (s.isEmpty()) {
            return null;
        }
        Matcher m = SERVER_BRACKETED.matcher(s);
        if (!m.matches()) {
            m = SERVER.matcher(s);
        }
        if (m.find(0)) {
            return of(m.group(2), null, m.group(1));
        }
        return of(s, null, null);
    }

    private static Address of(String address, String port, String domain) {
        String ip = address != null && isIp(address) ? address : null;
        String p = port != null && port.length() <= MAX_PORT_DIGITS ? port : null;
        return new Address(address, ip, p, domain);
    }

    static boolean isIp(String s) {
        return ClientAddress.isIpv4(s) || ClientAddress.isIpv6(s);
    }
}
