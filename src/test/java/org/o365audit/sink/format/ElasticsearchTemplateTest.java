package org.o365audit.sink.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.o365audit.sink.format.ecs.EcsMapping;
import org.yaml.snakeyaml.Yaml;

/**
 * config/elasticsearch checked without a cluster: every field our ECS documents carry for the simulator's corpus is
 * mapped with a type that takes its value, the ECS fields at ECS 8.11's own types, and the ingest pipeline can
 * neither refuse a document nor write a field the template leaves unmapped.
 */
class ElasticsearchTemplateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = Path.of("config/elasticsearch");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    /** Lucene refuses a term over 32766 bytes; 8191 characters stay under it even at 4 UTF-8 bytes each. */
    private static final int MAX_SAFE_IGNORE_ABOVE = 8191;
    /** What Elasticsearch's user_agent processor writes under its target_field (ECS names). */
    private static final List<String> USER_AGENT_OUTPUT = List.of("original", "name", "version", "os.name",
            "os.version", "os.full", "device.name");

    private final JsonNode template = read(DIR.resolve("o365-audit-index-template.json"));
    private final JsonNode pipeline = read(DIR.resolve("o365-audit-ingest-pipeline.json"));
    private final Map<String, JsonNode> mapped = TemplateFields.of(template.at("/template/mappings"));

    @Test
    void everyFieldOurDocumentsCarryIsMappedWithATypeThatTakesItsValue() throws IOException {
        EcsDocument ecs = new EcsDocument();
        Map<String, List<JsonNode>> seen = new TreeMap<>();
        for (String raw : corpusLines()) {
            DocumentFields.collect(ecs.toEcs(Corpus.record(raw)), seen);
        }

        assertThat(seen).as("the corpus gives documents with the usual fields").containsKeys("@timestamp",
                "source.ip", "user.email", "o365collector.lagSeconds");
        List<String> problems = new ArrayList<>();
        seen.forEach((field, values) -> {
            JsonNode mapping = mapped.get(field);
            if (mapping == null) {
                problems.add(field + " is not mapped");
                return;
            }
            String type = mapping.path("type").asText();
            values.stream().filter(v -> !takes(type, v)).findFirst()
                    .ifPresent(v -> problems.add(field + " (" + type + ") cannot take " + v));
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyFieldTheShippedEcsTableCanWriteIsMapped() {
        Set<String> missing = new TreeSet<>(EcsMapping.defaults().fieldsWritten());
        missing.removeAll(mapped.keySet());

        assertThat(missing).as("fields config/ecs-mapping.yaml can write but the template does not map").isEmpty();
    }

    /** Fields Elastic's o365 integration writes outside ECS 8.11, which our table writes too. */
    static final Set<String> ELASTIC_NOT_ECS = Set.of("session.id", "token.id", "application.name");

    @Test
    void ecsFieldsAreMappedAtEcs811Types() throws IOException {
        Map<String, String[]> ecs = ecsDefinitions();
        List<String> problems = new ArrayList<>();
        mapped.forEach((field, mapping) -> {
            if (field.startsWith("o365.") || field.startsWith("o365collector.")) {
                return;
            }
            if (ELASTIC_NOT_ECS.contains(field)) {
                if (!"keyword".equals(mapping.path("type").asText())) {
                    problems.add(field + " (Elastic's o365 integration's own field) should be a keyword");
                }
                return;
            }
            String[] def = ecs.get(field);
            if (def == null) {
                problems.add(field + " is mapped but not among the vendored ECS 8.11 fields");
            } else if (!def[0].equals(mapping.path("type").asText()) || !def[1].equals(multiFields(mapping))) {
                problems.add(field + ": " + mapping.path("type").asText() + " " + multiFields(mapping)
                        + ", ECS 8.11 says " + def[0] + " " + def[1]);
            }
        });
        ecs.keySet().stream().filter(f -> !mapped.containsKey(f)).forEach(f -> problems.add(f + " is not mapped"));
        assertThat(problems).isEmpty();
    }

    @Test
    void theRawRecordIsOneFlattenedFieldSoItsVaryingTypesCannotConflict() throws IOException {
        JsonNode audit = mapped.get("o365.audit");

        assertThat(audit.path("type").asText()).isEqualTo("flattened");
        int depthLimit = audit.path("depth_limit").asInt(20);
        for (String raw : corpusLines()) {
            assertThat(objectDepth(JSON.readTree(raw))).as(raw).isLessThan(depthLimit);
        }
        assertThat(mapped.keySet()).filteredOn(f -> f.startsWith("o365.")).containsExactly("o365.audit");
    }

    @Test
    void collectorFactsAreMappedExplicitly() {
        Map<String, String> types = new TreeMap<>();
        mapped.forEach((f, m) -> {
            if (f.startsWith("o365collector.")) {
                types.put(f.substring("o365collector.".length()), m.path("type").asText());
            }
        });

        assertThat(types).isEqualTo(Map.of("tenantName", "keyword", "app", "keyword", "contentType", "keyword",
                "source", "keyword", "collectedAt", "date", "lagSeconds", "long"));
    }

    @Test
    void anUnexpectedFieldOrValueIsKeptRatherThanRefused() {
        JsonNode mappings = template.at("/template/mappings");
        JsonNode settings = template.at("/template/settings/index");

        assertThat(mappings.path("dynamic").asText()).isEqualTo("false");
        assertThat(settings.at("/mapping/ignore_malformed").asBoolean()).isTrue();
        // a data stream's @timestamp may not ignore malformed values (Elasticsearch refuses the template otherwise)
        assertThat(mapped.get("@timestamp").path("ignore_malformed").isBoolean()).isTrue();
        assertThat(mapped.get("@timestamp").path("ignore_malformed").asBoolean()).isFalse();
        mapped.forEach((field, m) -> {
            String type = m.path("type").asText();
            if (type.equals("keyword") || type.equals("flattened")) {
                assertThat(m.path("ignore_above").asInt(Integer.MAX_VALUE)).as(field).isLessThanOrEqualTo(MAX_SAFE_IGNORE_ABOVE);
            }
        });
    }

    @Test
    void theSinksDefaultIndexIsADataStreamOfThisTemplate() throws IOException {
        String index = sinkDefaultIndex();

        assertThat(template.path("data_stream").isObject()).isTrue();
        assertThat(template.path("index_patterns")).anySatisfy(p -> assertThat(globMatches(p.asText(), index)).isTrue());
        assertThat(mapped.get("@timestamp").path("type").asText()).isEqualTo("date");
    }

    @Test
    void theTemplateRunsThePipelineTheReadmeInstalls() throws IOException {
        String name = template.at("/template/settings/index/default_pipeline").asText();
        String readme = Files.readString(DIR.resolve("README.md"));

        assertThat(name).isNotBlank();
        assertThat(Pattern.compile("PUT[^\\n]*_ingest/pipeline/" + Pattern.quote(name) + "\"?\\s*\\\\?\\s*\\n?[^\\n]*"
                + "--data-binary @[^\\s]*o365-audit-ingest-pipeline\\.json").matcher(readme).find())
                .as("README installs the pipeline under the name the template runs").isTrue();
    }

    @Test
    void noPipelineStepCanRefuseADocument() {
        assertThat(pipeline.path("processors")).isNotEmpty();
        assertThat(pipeline.path("on_failure")).as("pipeline-wide on_failure").isNotEmpty();
        List<String> problems = new ArrayList<>();
        checkSteps(pipeline.path("processors"), "processors", problems);
        checkSteps(pipeline.path("on_failure"), "on_failure", problems);
        assertThat(problems).isEmpty();
    }

    @Test
    void everyFieldThePipelineWritesIsMapped() {
        Set<String> written = new TreeSet<>();
        Stream.of(pipeline.path("processors"), pipeline.path("on_failure")).forEach(steps -> written(steps, written));

        assertThat(written).contains("event.ingested", "source.geo.location", "source.as.number",
                "source.as.organization.name", "user_agent.name");
        assertThat(written).filteredOn(f -> !mapped.containsKey(f)).as("written but not mapped").isEmpty();
    }

    /** Every step, and every step of its on_failure, ignores its own failure or handles it; readers also a missing field. */
    private static void checkSteps(JsonNode steps, String where, List<String> problems) {
        for (int i = 0; i < steps.size(); i++) {
            String type = steps.get(i).fieldNames().next();
            JsonNode p = steps.get(i).get(type);
            String at = where + "[" + i + "] " + type;
            if (!p.path("ignore_failure").asBoolean() && p.path("on_failure").isEmpty()) {
                problems.add(at + " neither ignores nor handles a failure");
            }
            if (Set.of("geoip", "user_agent", "rename").contains(type) && !p.path("ignore_missing").asBoolean()) {
                problems.add(at + " fails on a missing " + p.path("field").asText());
            }
            checkSteps(p.path("on_failure"), at + ".on_failure", problems);
        }
    }

    private static void written(JsonNode steps, Set<String> fields) {
        for (JsonNode step : steps) {
            String type = step.fieldNames().next();
            JsonNode p = step.get(type);
            switch (type) {
                case "set", "append" -> fields.add(p.path("field").asText());
                case "geoip" -> p.path("properties").forEach(prop -> fields.add(p.path("target_field").asText() + "." + prop.asText()));
                case "rename" -> {
                    fields.remove(p.path("field").asText());
                    fields.add(p.path("target_field").asText());
                }
                case "user_agent" -> USER_AGENT_OUTPUT.forEach(f -> fields.add(p.path("target_field").asText("user_agent") + "." + f));
                default -> throw new AssertionError("no rule for what a " + type + " processor writes");
            }
            written(p.path("on_failure"), fields);
        }
    }

    private static boolean takes(String type, JsonNode v) {
        return switch (type) {
            case "keyword", "wildcard", "match_only_text" -> v.isTextual() || v.isNumber() || v.isBoolean();
            case "long" -> v.isIntegralNumber() && v.canConvertToLong();
            case "ip" -> v.isTextual() && isIpLiteral(v.asText());
            case "date" -> v.isTextual() && isIsoDateTime(v.asText());
            default -> false;
        };
    }

    private static boolean isIpLiteral(String s) {
        if (IPV4.matcher(s).matches()) {
            return true;
        }
        if (!s.contains(":") || !IPV6_CHARS.matcher(s).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(s);   // a literal with ':' is parsed, never looked up
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean isIsoDateTime(String s) {
        try {
            DateTimeFormatter.ISO_DATE_TIME.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String multiFields(JsonNode mapping) {
        List<String> parts = new ArrayList<>();
        mapping.path("fields").fields().forEachRemaining(e -> parts.add(e.getKey() + ":" + e.getValue().path("type").asText()));
        return String.join(" ", parts);
    }

    private static int objectDepth(JsonNode n) {
        int deepest = 0;
        for (JsonNode child : n) {
            deepest = Math.max(deepest, objectDepth(child));
        }
        return n.isObject() ? deepest + 1 : deepest;
    }

    private static boolean globMatches(String pattern, String name) {
        return name.matches(Pattern.quote(pattern).replace("*", "\\E.*\\Q"));
    }

    @SuppressWarnings("unchecked")
    private static String sinkDefaultIndex() throws IOException {
        List<Map<String, Object>> routes = new Yaml().load(Files.readString(Path.of("routes/elasticsearch-sink.camel.yaml")));
        Map<String, Object> template = (Map<String, Object>) routes.get(0).get("routeTemplate");
        return ((List<Map<String, Object>>) template.get("parameters")).stream()
                .filter(p -> "index".equals(p.get("name")))
                .map(p -> (String) p.get("defaultValue"))
                .findFirst().orElseThrow();
    }

    /** field → {type, multi-fields as "name:type"} from the vendored ECS 8.11 subset. */
    private static Map<String, String[]> ecsDefinitions() throws IOException {
        try (InputStream in = ElasticsearchTemplateTest.class.getResourceAsStream("/ecs/ecs-8.11-field-types.csv")) {
            Map<String, String[]> defs = new TreeMap<>();
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#") && !l.startsWith("field,") && !l.isBlank())
                    .map(l -> l.split(",", -1))
                    .forEach(c -> defs.put(c[0], new String[] {c[1], c[2]}));
            return defs;
        }
    }

    private static List<String> corpusLines() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/simulator/corpus"))) {
            List<String> lines = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".ndjson")).sorted().toList()) {
                Files.readAllLines(f).stream().filter(l -> !l.isBlank()).forEach(lines::add);
            }
            return lines;
        }
    }

    private static JsonNode read(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + p, e);
        }
    }
}
