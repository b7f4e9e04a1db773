package org.o365audit.sink.format.ecs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text put together from several values: {@code "… ${@event.action} … ${ExchangeMetaData.Subject|@email.subject} …"}.
 * Each placeholder lists sources separated by '|'; the first with a value fills it, and none leaves it empty.
 */
record Template(List<String> literals, List<List<Source>> holes) {
    private static final Pattern HOLE = Pattern.compile("\\$\\{([^}]*)}");

    static boolean isTemplate(String value) {
        return HOLE.matcher(value).find();
    }

    static Template parse(String value) {
        List<String> literals = new ArrayList<>();
        List<List<Source>> holes = new ArrayList<>();
        Matcher m = HOLE.matcher(value);
        int at = 0;
        while (m.find()) {
            literals.add(value.substring(at, m.start()));
            List<Source> sources = new ArrayList<>();
            for (String s : m.group(1).split("\\|", -1)) {
                sources.add(Source.parse(s.trim()));
            }
            holes.add(List.copyOf(sources));
            at = m.end();
        }
        literals.add(value.substring(at));
        return new Template(List.copyOf(literals), List.copyOf(holes));
    }

    String fill(RecordView record, EcsFields doc) {
        StringBuilder out = new StringBuilder(literals.get(0));
        for (int i = 0; i < holes.size(); i++) {
            for (Source s : holes.get(i)) {
                List<String> found = s.values(record, doc);
                if (!found.isEmpty()) {
                    out.append(found.get(0));
                    break;
                }
            }
            out.append(literals.get(i + 1));
        }
        return out.toString();
    }

    List<Source> sources() {
        return holes.stream().flatMap(List::stream).toList();
    }
}
