package org.o365audit.sink.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How far our Elasticsearch documents agree, field by field, with what Elastic's own o365 integration writes for the
 * same records (src/test/resources/ecs-conformance: the expectations and how they were derived): the 66 public
 * records of the corpus, and our 17 synthetic templates, which add the DLP, Teams membership and SharePoint file
 * records the public ones lack. Every field Elastic sets counts, but organization.name and host.name, which come
 * from tenant names (ours always has one, Elastic's default install has none). The tables go to
 * target/ecs-conformance.txt. Every difference must be one the README lists with its reason.
 */
class EcsConformanceTest {
    static final Set<String> NOT_COMPARED = Set.of("organization.name", "host.name");
    static final Set<String> TIMES = Set.of("@timestamp", "file.mtime");
    /** Record Id + field: the differences README.md explains ("Where we differ from Elastic"); any other fails. */
    static final Set<String> EXPLAINED = Set.of("99b0a960-13a0-461f-8c5c-cb2316ea273d client.domain",
            "99b0a960-13a0-461f-8c5c-cb2316ea273d related.hosts");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EcsDocument ECS = new EcsDocument();
    private static Agreement corpus;
    private static Agreement synthetic;

    @BeforeAll
    static void compareEveryRecord() throws IOException {
        corpus = Agreement.measure("/ecs-conformance/expected.ndjson");
        synthetic = Agreement.measure("/ecs-conformance/expected-synthetic.ndjson");
        Files.createDirectories(Path.of("target"));
        String report = corpus.report("the public corpus") + "\n" + synthetic.report("the synthetic templates");
        Files.writeString(Path.of("target", "ecs-conformance.txt"), report);
        System.out.println(report);
    }

    @Test
    void agreesWithElasticOnAtLeast98PercentOfTheFieldsItSets() {
        assertThat(corpus.records).isEqualTo(66);
        assertThat(corpus.total()[0]).as("fields compared").isGreaterThan(1400);
        assertThat(corpus.percent()).as("overall agreement, see target/ecs-conformance.txt").isGreaterThanOrEqualTo(98.0);
        assertThat(synthetic.records).isEqualTo(17);
        assertThat(synthetic.percent()).as("overall agreement on the synthetic templates").isGreaterThanOrEqualTo(98.0);
    }

    @Test
    void agreesCompletelyOnCategoryTypeAndOutcome() {
        for (Agreement a : List.of(corpus, synthetic)) {
            for (String field : List.of("event.category", "event.type", "event.outcome")) {
                int[] c = a.perField.get(field);
                assertThat(c).as(field + " compared").isNotNull();
                assertThat(c[0]).as(field + " compared on every record").isEqualTo(a.records);
                assertThat(c[1]).as(field + " agreement: " + a.differences).isEqualTo(c[0]);
            }
        }
    }

    @Test
    void theSyntheticTemplatesCoverWhatThePublicRecordsLack() {
        // DLP alerts (kind, rules, severity, blocked = failure), a Teams membership change renamed as Elastic does
        assertThat(synthetic.perField).containsKeys("rule.id", "rule.name", "event.severity", "group.name",
                "destination.user.email", "source.user.email", "file.inode", "message");
        assertThat(synthetic.values("event.action")).contains("added-users-to-group");
        assertThat(synthetic.values("event.kind")).contains("alert");
        assertThat(synthetic.values("event.outcome")).contains("failure", "success");
    }

    @Test
    void everyDifferenceIsOneTheReadmeExplains() throws IOException {
        Set<String> found = new TreeSet<>();
        for (Agreement a : List.of(corpus, synthetic)) {
            a.differences.forEach(d -> found.add(d.substring(0, d.indexOf(':'))));
        }
        assertThat(found).as(corpus.differences + "\n" + synthetic.differences).isEqualTo(new TreeSet<>(EXPLAINED));
        String readme = Files.readString(Path.of("README.md"));
        for (String d : EXPLAINED) {
            assertThat(readme).as("README names " + d).contains("`" + d.substring(d.indexOf(' ') + 1) + "`");
        }
    }

    /** The comparison over one expectations file. */
    static final class Agreement {
        final Map<String, int[]> perField = new TreeMap<>();
        final Map<String, Set<String>> seen = new TreeMap<>();
        final Map<String, Integer> extras = new TreeMap<>();
        final List<String> differences = new ArrayList<>();
        int records;

        static Agreement measure(String expectations) throws IOException {
            Agreement a = new Agreement();
            for (String line : lines(expectations)) {
                JsonNode expected = JSON.readTree(line);
                String file = expected.get("file").asText();
                String folder = file.startsWith("powerbi-") ? "/ecs-conformance/" : "/simulator/corpus/";
                String raw = lines(folder + file).get(expected.get("line").asInt() - 1);
                Map<String, List<JsonNode>> ours = new TreeMap<>();
                DocumentFields.collect(ECS.toEcs(Corpus.record(raw)), ours);
                a.compare(expected.get("Id").asText(), expected.get("fields"), ours);
                a.records++;
            }
            return a;
        }

        private void compare(String id, JsonNode expected, Map<String, List<JsonNode>> ours) {
            expected.fields().forEachRemaining(e -> {
                if (NOT_COMPARED.contains(e.getKey())) {
                    return;
                }
                int[] counts = perField.computeIfAbsent(e.getKey(), k -> new int[2]);
                counts[0]++;
                List<JsonNode> mine = ours.get(e.getKey());
                if (mine != null && same(e.getKey(), e.getValue(), mine)) {
                    counts[1]++;
                } else {
                    differences.add(id + " " + e.getKey() + ": Elastic " + e.getValue() + ", ours " + mine);
                }
                seen.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).addAll(texts(e.getValue()));
            });
            ours.keySet().stream().filter(f -> !expected.has(f) && !f.startsWith("o365"))
                    .forEach(f -> extras.merge(f, 1, Integer::sum));
        }

        Set<String> values(String field) {
            return seen.getOrDefault(field, Set.of());
        }

        int[] total() {
            int[] sum = new int[2];
            perField.values().forEach(c -> {
                sum[0] += c[0];
                sum[1] += c[1];
            });
            return sum;
        }

        double percent() {
            int[] t = total();
            return t[0] == 0 ? 0 : 100.0 * t[1] / t[0];
        }

        String report(String what) {
            StringBuilder out = new StringBuilder("ECS agreement with Elastic's o365 integration on ").append(what)
                    .append(", ").append(records).append(" records\n\n");
            out.append(String.format("%-28s %9s %7s %8s%n", "field", "expected", "agree", "percent"));
            perField.forEach((f, c) -> out.append(String.format("%-28s %9d %7d %7.1f%%%n", f, c[0], c[1], 100.0 * c[1] / c[0])));
            int[] t = total();
            out.append(String.format("%-28s %9d %7d %7.1f%%%n%n", "overall", t[0], t[1], percent()));
            out.append("differences:\n");
            differences.forEach(d -> out.append("  ").append(d).append('\n'));
            out.append("\nfields we set where Elastic sets none (records):\n");
            extras.forEach((f, n) -> out.append(String.format("  %-28s %d%n", f, n)));
            return out.toString();
        }
    }

    /** Lists compare as sets (Elasticsearch indexes them so), one value equals a list of it, times as instants. */
    static boolean same(String field, JsonNode expected, List<JsonNode> ours) {
        if (TIMES.contains(field)) {
            return ours.size() == 1 && Instant.parse(expected.asText()).equals(Instant.parse(ours.get(0).asText()));
        }
        Set<String> mine = new TreeSet<>();
        ours.forEach(v -> mine.add(v.asText()));
        return texts(expected).equals(mine);
    }

    private static Set<String> texts(JsonNode n) {
        Set<String> out = new TreeSet<>();
        if (n.isArray()) {
            n.forEach(v -> out.add(v.asText()));
        } else {
            out.add(n.asText());
        }
        return out;
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = EcsConformanceTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
