package org.o365audit.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.o365audit.it.faults.CorpusMutations.Kind;
import org.o365audit.it.faults.CorpusMutations.Mutation;

class CorpusMutationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 42;
    /** Every candidate: the cap is far above their number. */
    private static List<Mutation> all;

    @BeforeAll
    static void mutateEverything() {
        all = CorpusMutations.sample(SEED, Integer.MAX_VALUE);
    }

    @Test
    void readsEveryLineOfTheSharedCorpusAndTheTestRecords() throws Exception {
        Set<String> lines = new LinkedHashSet<>();
        for (Path dir : List.of(Path.of("../shared/corpus"), Path.of("src/test/resources/records"))) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".ndjson")).toList()) {
                    Files.readAllLines(f).stream().filter(l -> !l.isBlank()).forEach(lines::add);
                }
            }
        }
        assertThat(lines).hasSizeGreaterThanOrEqualTo(50);
        assertThat(CorpusRecords.all()).extracting(CorpusRecords.Line::json).containsExactlyInAnyOrderElementsOf(lines);
        assertThat(CorpusRecords.all()).extracting(CorpusRecords.Line::source)
                .contains("corpus/otrf-security-datasets-officeactivity-wrapped.ndjson:1");
    }

    @Test
    void goodRecordsAreCorpusRecordsWithFreshIds() {
        List<Element> good = CorpusRecords.goodRecords(100, 1);
        assertThat(good).allSatisfy(e -> assertThat(e.expectation()).as(e.name()).isEqualTo(Expectation.STORED));
        assertThat(good).extracting(Element::storedId).doesNotHaveDuplicates().doesNotContainAnyElementsOf(corpusIds());
    }

    @Test
    void isDeterministicAndALargerCapOnlyAddsToTheEnd() {
        List<Mutation> forty = CorpusMutations.sample(SEED, 40);
        List<Mutation> twenty = CorpusMutations.sample(SEED, 20);
        for (int i = 0; i < twenty.size(); i++) {
            assertThat(twenty.get(i).element().name()).isEqualTo(forty.get(i).element().name());
            assertThat(twenty.get(i).element().bytes()).isEqualTo(forty.get(i).element().bytes());
        }
        assertThat(CorpusMutations.sample(SEED + 1, 40)).extracting(m -> m.element().name())
                .isNotEqualTo(forty.stream().map(m -> m.element().name()).toList());
    }

    @Test
    void aSmallSampleHoldsEveryKindEqually() {
        Map<Kind, Long> kinds = CorpusMutations.sample(SEED, 25).stream()
                .collect(Collectors.groupingBy(Mutation::kind, Collectors.counting()));
        assertThat(kinds).hasSize(Kind.values().length).allSatisfy((kind, n) -> assertThat(n).isEqualTo(5));
    }

    @Test
    void dropsEveryTopLevelFieldOfEveryRecordOnceIdIncluded() throws Exception {
        int fields = 0;
        for (CorpusRecords.Line line : CorpusRecords.all()) {
            JsonNode record = JSON.readTree(line.json());
            fields += record.size() + (record.has("Id") ? 0 : 1);
        }
        assertThat(of(Kind.FIELD_DROPPED)).hasSize(fields).allSatisfy(m -> {
            JsonNode mutated = JSON.readTree(m.element().bytes());
            assertThat(mutated.has(m.field())).isFalse();
            assertThat(m.element().expectation()).as(m.element().name())
                    .isEqualTo(m.field().equals("Id") ? Expectation.QUARANTINED : Expectation.STORED);
        });
    }

    @Test
    void swapsTypesAndQuarantinesOnlyAnIdThatIsNoLongerAStringOrNumber() {
        assertThat(of(Kind.TYPE_SWAPPED)).isNotEmpty().allSatisfy(m -> {
            JsonNode value = JSON.readTree(m.element().bytes()).get(m.field());
            String name = m.element().name();
            assertThat(name).endsWith(typeOf(value));
            if (!m.field().equals("Id")) {
                assertThat(m.element().expectation()).as(name).isEqualTo(Expectation.STORED);
            } else if (value.isNumber()) {
                assertThat(m.element().storedId()).as(name).matches("[0-9]+").isEqualTo(value.asText());
            } else {
                assertThat(m.element().expectation()).as(name).isEqualTo(Expectation.QUARANTINED);
            }
        });
    }

    @Test
    void lengthensStringsAThousandTimesAndQuarantinesTheIdsThatGetTooLong() throws Exception {
        Map<String, CorpusRecords.Line> bySource = CorpusRecords.all().stream()
                .collect(Collectors.toMap(CorpusRecords.Line::source, Function.identity()));
        assertThat(of(Kind.STRING_LENGTHENED)).isNotEmpty().allSatisfy(m -> {
            String value = JSON.readTree(m.element().bytes()).get(m.field()).textValue();
            if (m.field().equals("Id")) {
                assertThat(value).hasSize(36 * 1000);
                assertThat(m.element().expectation()).isEqualTo(Expectation.QUARANTINED);
            } else {
                String original = JSON.readTree(bySource.get(m.source()).json()).get(m.field()).textValue();
                assertThat(value).isEqualTo(original.repeat(1000));
                assertThat(m.element().expectation()).as(m.element().name()).isEqualTo(Expectation.STORED);
            }
        });
    }

    @Test
    void invalidUtf8IsInvalidAndQuarantined() {
        assertThat(of(Kind.INVALID_UTF8)).isNotEmpty().allSatisfy(m -> {
            assertThatThrownBy(() -> HostileRecordsTest.strictUtf8(m.element().bytes())).isInstanceOf(CharacterCodingException.class);
            assertThat(m.element().expectation()).isEqualTo(Expectation.QUARANTINED);
        });
    }

    @Test
    void elementsThatAreNotObjectsAreQuarantined() {
        assertThat(of(Kind.NOT_AN_OBJECT)).hasSize(5 * CorpusRecords.all().size()).allSatisfy(m -> {
            assertThat(JSON.readTree(m.element().bytes()).isObject()).isFalse();
            assertThat(m.element().expectation()).isEqualTo(Expectation.QUARANTINED);
        });
    }

    @Test
    void storedMutationsHaveFreshIdsThatNeverCollide() {
        List<String> ids = all.stream().map(m -> m.element().storedId()).filter(id -> id != null).toList();
        assertThat(ids).hasSizeGreaterThan(1000).doesNotHaveDuplicates().doesNotContainAnyElementsOf(corpusIds());
        assertThat(all).filteredOn(m -> m.source().contains("wrapped")).filteredOn(m -> m.kind() == Kind.FIELD_DROPPED)
                .filteredOn(m -> !"Id".equals(m.field()))
                .allSatisfy(m -> assertThat(m.element().storedId()).as("the wrapped row is given an Id").isNotNull());
    }

    private static List<Mutation> of(Kind kind) {
        return all.stream().filter(m -> m.kind() == kind).toList();
    }

    private static Set<String> corpusIds() {
        Set<String> ids = new HashSet<>();
        for (CorpusRecords.Line line : CorpusRecords.all()) {
            ids.add(line.object().path("Id").asText());
        }
        return ids;
    }

    private static String typeOf(JsonNode value) {
        return value.isTextual() ? "STRING" : value.isNumber() ? "NUMBER" : value.isObject() ? "OBJECT"
                : value.isArray() ? "ARRAY" : "NULL";
    }
}
