package org.o365audit.sink.format.ecs;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a rule does with the values it found before they go into the document ("as" in the mapping file). */
sealed interface Transform {
    Instant FIRST = Instant.parse("0000-01-01T00:00:00Z");
    Instant AFTER_LAST = Instant.parse("+10000-01-01T00:00:00Z");
    List<String> NAMES = List.of("text", "lower", "upn", "email", "address", "host-and-address", "ip", "ip-version", "date");

    /** Puts what the values give into the document under {@code target} (and, for some, its siblings). */
    void apply(List<String> values, String target, EcsFields doc, boolean replace);

    static Transform named(String name) {
        return switch (name) {
            case "text" -> new Each(v -> v);
            case "lower" -> new Each(v -> v.toLowerCase(Locale.ROOT));
            case "email" -> new Each(v -> Upn.of(v) != null && v.length() >= 3 ? v : null);
            case "ip" -> new Each(v -> Address.isIp(v) ? v : null);
            case "ip-version" -> new Each(v -> Address.isIp(v) ? (v.indexOf(':') >= 0 ? "ipv6" : "ipv4") : null);
            case "date" -> new Each(Transform::utc);
            case "upn" -> new UpnParts();
            case "address" -> new AddressParts(false);
            case "host-and-address" -> new AddressParts(true);
            default -> throw new IllegalArgumentException("unknown transform '" + name + "' (known: " + String.join(", ", NAMES) + ", {map: …})");
        };
    }

    /**
     * An ISO-8601 time in UTC ("2024-05-01T12:00:00Z"); one without a zone is taken as UTC, as Office 365 writes
     * them. Years outside 0000-9999 give nothing: Elasticsearch's date fields refuse them, and with them the document.
     */
    static String utc(String v) {
        Instant t = instant(v);
        return t == null || t.isBefore(FIRST) || !t.isBefore(AFTER_LAST) ? null : t.toString();
    }

    private static Instant instant(String v) {
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                try {
                    return Instant.parse(v);
                } catch (DateTimeParseException e3) {
                    return null;
                }
            }
        }
    }

    /** A value-by-value function; for a field that is not a list only the first value that gives one counts. */
    record Each(java.util.function.UnaryOperator<String> f) implements Transform {
        @Override
        public void apply(List<String> values, String target, EcsFields doc, boolean replace) {
            for (String v : values) {
                String out = f.apply(v);
                if (out != null) {
                    doc.put(target, out, replace);
                    if (!doc.isArray(target)) {
                        return;
                    }
                }
            }
        }
    }

    /** The value, and for one name@domain also the sibling email, name and domain. */
    record UpnParts() implements Transform {
        @Override
        public void apply(List<String> values, String target, EcsFields doc, boolean replace) {
            if (values.isEmpty()) {
                return;
            }
            String v = values.get(0);
            doc.put(target, v, replace);
            Upn upn = Upn.of(v);
            if (upn != null) {
                doc.put(FieldNames.sibling(target, "email"), v, replace);
                doc.put(FieldNames.sibling(target, "name"), upn.name(), replace);
                doc.put(FieldNames.sibling(target, "domain"), upn.domain(), replace);
            }
        }
    }

    /** An address split into the sibling address, ip, port and domain fields. */
    record AddressParts(boolean server) implements Transform {
        @Override
        public void apply(List<String> values, String target, EcsFields doc, boolean replace) {
            for (String v : values) {
                Address a = server ? Address.hostAndAddress(v) : Address.parse(v);
                if (a != null) {
                    doc.put(FieldNames.sibling(target, "address"), a.address(), replace);
                    doc.put(FieldNames.sibling(target, "ip"), a.ip(), replace);
                    doc.put(FieldNames.sibling(target, "port"), a.port(), replace);
                    doc.put(FieldNames.sibling(target, "domain"), a.domain(), replace);
                    return;
                }
            }
        }
    }

    /**
     * A lookup in one of the file's tables, ignoring case; {@code otherwise} when nothing is found (or when the
     * values are missing). With {@code pick: max} the largest number among all values' lookups wins.
     */
    record Lookup(String table, Map<String, String> entries, String otherwise, boolean max) implements Transform {
        @Override
        public void apply(List<String> values, String target, EcsFields doc, boolean replace) {
            if (max) {
                Long best = null;
                for (String v : values) {
                    String mapped = lookup(v);
                    if (mapped != null && EcsFields.isWholeNumber(mapped)) {
                        long n = Long.parseLong(mapped);
                        best = best == null || n > best ? n : best;
                    }
                }
                doc.put(target, best != null ? best.toString() : otherwise, replace);
                return;
            }
            for (String v : values) {
                String mapped = lookup(v);
                if (mapped != null) {
                    doc.put(target, mapped, replace);
                    if (!doc.isArray(target)) {
                        return;
                    }
                }
            }
            if (otherwise != null && doc.get(target) == null) {
                doc.put(target, otherwise, replace);
            }
        }

        private String lookup(String v) {
            String found = entries.get(v.toLowerCase(Locale.ROOT));
            return found != null ? found : otherwise;
        }
    }

    /** name@domain with exactly one '@' and something on both sides. */
    record Upn(String name, String domain) {
        static Upn of(String v) {
            int at = v.indexOf('@');
            if (at <= 0 || at != v.lastIndexOf('@') || at == v.length() - 1) {
                return null;
            }
            return new Upn(v.substring(0, at), v.substring(at + 1));
        }
    }
}
