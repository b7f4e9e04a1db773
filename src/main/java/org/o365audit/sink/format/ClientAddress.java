package org.o365audit.sink.format;

import java.util.Locale;
import java.util.Optional;
import org.o365audit.sink.SinkRecord;

/**
 * The client's IP address and port as a SIEM field wants them. Records give the address in many shapes
 * ({@code ip}, {@code ip:port}, {@code [ipv6]:port}, {@code ::ffff:a.b.c.d}, plain IPv6, "&lt;null&gt;"), and
 * {@link SinkRecord#getClientIp()} has already dropped the port, so this reads the record's own field.
 * Only literal addresses come out: a host name in an IP-typed field makes Elasticsearch reject the whole
 * document, and resolving it here would leak lookups to DNS.
 */
public record ClientAddress(String ip, Integer port) {

    /** The record's ClientIP, else ClientIPAddress, else ActorIpAddress: the order the collector uses. */
    public static Optional<ClientAddress> of(SinkRecord r) {
        for (String field : new String[] {"ClientIP", "ClientIPAddress", "ActorIpAddress"}) {
            String value = r.field(field);
            if (present(value)) {
                return parse(value);
            }
        }
        return Optional.empty();
    }

    public static Optional<ClientAddress> parse(String text) {
        if (!present(text)) {
            return Optional.empty();
        }
        String s = text.trim();
        String host = s;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return Optional.empty();
                }
                port = rest.substring(1);
            }
        } else {
            s = withoutMappedPrefix(s);
            host = s;
            int colon = s.indexOf(':');
            if (colon > 0 && colon == s.lastIndexOf(':')) {
                host = s.substring(0, colon);
                port = s.substring(colon + 1);
            }
        }
        host = withoutMappedPrefix(host);
        Integer p = port == null ? null : port(port);
        if (port != null && p == null) {
            return Optional.empty();
        }
        if (isIpv4(host) || isIpv6(host)) {
            return Optional.of(new ClientAddress(host, p));
        }
        return Optional.empty();
    }

    public boolean isIpv6() {
        return ip.indexOf(':') >= 0;
    }

    private static boolean present(String v) {
        return v != null && !v.isBlank() && !"<null>".equals(v.trim()) && !"null".equalsIgnoreCase(v.trim());
    }

    /**
     * An IPv4 client seen through a dual-stack socket; SIEMs want the plain IPv4. The prefix without the
     * leading "::" occurs in Microsoft's own AIP samples.
     */
    private static String withoutMappedPrefix(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        for (String prefix : new String[] {"::ffff:", "ffff:"}) {
            if (lower.startsWith(prefix)) {
                String rest = s.substring(prefix.length());
                int colon = rest.indexOf(':');
                String addr = colon < 0 ? rest : rest.substring(0, colon);
                if (isIpv4(addr)) {
                    return rest;
                }
            }
        }
        return s;
    }

    private static Integer port(String digits) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int p = Integer.parseInt(digits);
        return p <= 65535 ? p : null;
    }

    public static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            // no leading zeros: Elasticsearch's ip type refuses "010.1.1.1" (octal or decimal is ambiguous), and a
            // refused value would refuse the whole document
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(part) > 255 || (part.length() > 1 && part.charAt(0) == '0')) {
                return false;
            }
        }
        return true;
    }

    public static boolean isIpv6(String s) {
        int gap = s.indexOf("::");
        if (gap < 0) {
            return groups(s, true) == 8;
        }
        if (s.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        int head = groups(s.substring(0, gap), false);
        int tail = groups(s.substring(gap + 2), true);
        return head >= 0 && tail >= 0 && head + tail <= 7;
    }

    /** How many 16-bit groups a colon-separated run holds (an embedded IPv4 counts two), or -1 if malformed. */
    private static int groups(String run, boolean mayEndInIpv4) {
        if (run.isEmpty()) {
            return 0;
        }
        String[] parts = run.split(":", -1);
        int count = 0;
        for (int i = 0; i < parts.length; i++) {
            String g = parts[i];
            if (mayEndInIpv4 && i == parts.length - 1 && isIpv4(g)) {
                count += 2;
            } else if (!g.isEmpty() && g.length() <= 4 && g.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                count++;
            } else {
                return -1;
            }
        }
        return count;
    }
}
