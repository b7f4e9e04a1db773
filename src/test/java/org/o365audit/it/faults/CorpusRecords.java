package org.o365audit.it.faults;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real audit records: every line of {@code ../shared/corpus/*.ndjson} (the project root's sibling
 * {@code shared/}, as CI lays it out) and of {@code src/test/resources/records/*.ndjson}, one JSON object a
 * line, read as they are. The OTRF "wrapped" line is a Sentinel OfficeActivity row, an object like the others
 * but without an {@code Id}. The test records are byte-exact copies of corpus lines (records/README.md), so
 * a line already read is not read twice; repeated Ids with different text (the corpus has some) are kept.
 */
public final class CorpusRecords {
    static final Path SHARED_CORPUS = Path.of("..", "shared", "corpus");
    static final Path TEST_RECORDS = Path.of("src", "test", "resources", "records");
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    /** One corpus line and where it comes from ({@code file:line}). */
    public record Line(String source, String json) {
        ObjectNode object() {
            try {
                return (ObjectNode) JSON.readTree(json);
            } catch (IOException | ClassCastException e) {
                throw new IllegalStateException(source + " is not one JSON object", e);
            }
        }
    }

    private static final class Holder {
        static final List<Line> LINES = load();
    }

    private CorpusRecords() {
    }

    /** Every distinct line, shared corpus first, files in name order. */
    public static List<Line> all() {
        return Holder.LINES;
    }

    /** {@code n} corpus records in turn, each with a fresh Id of its own (so they are stored, and never collide). */
    public static List<Element> goodRecords(int n, long seed) {
        FreshIds ids = new FreshIds("good/" + seed);
        List<Element> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Line line = all().get(i % all().size());
            ObjectNode record = line.object().put("Id", ids.uuid(Integer.toString(i)));
            out.add(Element.judged(line.source() + " with a fresh Id", write(record)));
        }
        return out;
    }

    static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Line> load() {
        Map<String, Line> byText = new LinkedHashMap<>();
        for (Path dir : List.of(SHARED_CORPUS, TEST_RECORDS)) {
            Path folder = dir.toAbsolutePath().normalize();
            for (Path file : ndjsonFiles(folder)) {
                List<String> lines = read(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (!lines.get(i).isBlank()) {
                        byText.putIfAbsent(lines.get(i), new Line(folder.getFileName() + "/" + file.getFileName() + ":" + (i + 1), lines.get(i)));
                    }
                }
            }
        }
        List<Line> lines = List.copyOf(byText.values());
        lines.forEach(Line::object);   // fail at once on a line that is not an object, not in some mutation later
        return lines;
    }

    private static List<Path> ndjsonFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().endsWith(".ndjson")).sorted().toList();
            if (found.isEmpty()) {
                throw new IllegalStateException("no *.ndjson in " + dir);
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + " (tests run from the project root, beside ../shared/corpus)", e);
        }
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
