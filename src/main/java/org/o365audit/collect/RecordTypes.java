package org.o365audit.collect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** RecordType number → name, from the published schema; the list grows, so unknown numbers have no name. */
public final class RecordTypes {
    private static final Map<Integer, String> NAMES = load();

    private RecordTypes() {
    }

    public static String name(Integer recordType) {
        return recordType == null ? null : NAMES.get(recordType);
    }

    private static Map<Integer, String> load() {
        Properties p = new Properties();
        try (InputStream in = RecordTypes.class.getResourceAsStream("/o365/record-types.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<Integer, String> m = new HashMap<>();
        p.forEach((k, v) -> m.put(Integer.valueOf(k.toString().trim()), v.toString().trim()));
        return Map.copyOf(m);
    }
}
