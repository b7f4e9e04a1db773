package org.o365audit.sink.format.ecs;

import java.util.regex.Pattern;

/** ECS field names as the mapping may use them, and the ones it may not set. */
final class FieldNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

    private FieldNames() {
    }

    static String check(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a field name (letters, digits and _ in dotted parts)");
        }
        return name;
    }

    /** Fields the document writes itself: the record under o365.audit, our own o365collector.*, ecs.version … */
    static String checkTarget(String name) {
        check(name);
        if (name.equals("o365") || name.startsWith("o365.") || name.equals("o365collector") || name.startsWith("o365collector.")
                || name.equals("ecs") || name.startsWith("ecs.") || name.equals("event.dataset") || name.equals("event")) {
            throw new IllegalArgumentException("'" + name + "' is written by the collector itself and cannot be mapped");
        }
        return name;
    }

    /** The object holding a field: "user" for "user.id". */
    static String parent(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(0, dot);
    }

    static String sibling(String name, String leaf) {
        String p = parent(name);
        return p.isEmpty() ? leaf : p + "." + leaf;
    }
}
