package org.o365audit.sink.format.ecs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every field a mapping can write, numbered in the order that keeps fields of one object together ("client.ip"
 * beside "client.port"), so a document is written nested without building a tree per record.
 */
final class Layout {
    private final String[] names;
    private final String[][] parts;
    private final Map<String, Integer> ids = new HashMap<>();
    private final int maxDepth;

    Layout(Collection<String> fields) {
        List<String[]> split = new ArrayList<>();
        fields.forEach(f -> split.add(f.split("\\.")));
        split.sort(Layout::compare);
        names = new String[split.size()];
        parts = new String[split.size()][];
        for (int i = 0; i < split.size(); i++) {
            parts[i] = split.get(i);
            names[i] = String.join(".", split.get(i));
            ids.put(names[i], i);
        }
        maxDepth = Arrays.stream(parts).mapToInt(p -> p.length).max().orElse(1);
    }

    int size() {
        return names.length;
    }

    /** The field's number, or -1 for a field the mapping never writes. */
    int id(String name) {
        Integer id = ids.get(name);
        return id == null ? -1 : id;
    }

    String name(int id) {
        return names[id];
    }

    String[] parts(int id) {
        return parts[id];
    }

    int maxDepth() {
        return maxDepth;
    }

    private static int compare(String[] a, String[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            int c = a[i].compareTo(b[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.length, b.length);
    }
}
