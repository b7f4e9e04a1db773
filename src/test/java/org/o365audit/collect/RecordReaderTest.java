package org.o365audit.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordReaderTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final RecordReader reader = new RecordReader(mapper.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS));

    private RecordFields tree(String json) throws IOException {
        return RecordFields.of((ObjectNode) mapper.readTree(json));
    }

    @Test
    void everyCorpusRecordReadsAsTheTreeShowsIt() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String file : List.of("records/ms-office-365-management-api-docs", "records/otrf-security-datasets-m365",
                "records/otrf-security-datasets-officeactivity-wrapped", "records/panther-analysis-rule-tests-yaml",
                "records/panther-analysis-schema-tests", "simulator/corpus/otrf-security-datasets-m365",
                "simulator/corpus/synthetic-templates", "simulator/corpus/synthetic-dataverse-audits",
                "simulator/corpus/synthetic-powerbi-activity-events")) {
            try (InputStream in = getClass().getResourceAsStream("/" + file + ".ndjson");
                 BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                r.lines().filter(l -> l.startsWith("{")).forEach(lines::add);
            }
        }
        assertThat(lines).hasSizeGreaterThan(70);
        for (String line : lines) {
            assertThat(reader.read(line)).as(line).isNotNull().isEqualTo(tree(line));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // every JSON type in every field read, numbers as the tree prints them
            "{\"Id\":1.50,\"RecordType\":-0,\"Workload\":1E2,\"CreationTime\":99999999999,\"Operation\":123456789012345678901234567890,"
                    + "\"UserId\":true,\"ClientIP\":false,\"ClientIPAddress\":null,\"ActorIpAddress\":-2147483648}",
            "{\"Id\":{\"a\":[1.50,\"\\u00e9\\/\\u0001\",{\"b\":null}]},\"RecordType\":[15],\"Workload\":{},\"Operation\":[]}",
            "{\"RecordType\":2147483648,\"Workload\":-1.0e-3,\"UserId\":\"\\\"quoted\\\" \\\\ \\ud83d\\udcce\"}",
            // a key given twice counts with its last value, even null; nested keys of the same name do not count
            "{\"Id\":\"first\",\"Workload\":\"Exchange\",\"Id\":\"second\",\"Workload\":null,\"x\":{\"Id\":\"nested\",\"UserId\":\"n\"}}",
            "{\"Id\":{\"a\":1},\"Id\":\"scalar-last\",\"Operation\":\"op\",\"Operation\":[\"array-last\"]}",
            // keys differing in case are other keys
            "{\"id\":\"lower\",\"clientip\":\"1.2.3.4\",\"CLIENTIP\":\"5.6.7.8\"}",
            // text PostgreSQL cannot store, anywhere; the path names the first
            "{\"Id\":\"a\",\"Deep\":{\"x\":[\"ok\",{\"y\":[0,\"\\ud800\"]}]},\"Operation\":\"a\\u0000b\"}",
            "{\"Id\":\"a\",\"k\\u0000\":1}",
            "{\"Id\":\"a\",\"Arr\":[[],[\"\\uDC00x\"]]}",
            "{\"Id\":\"a\",\"UserId\":[\"ok\",\"\\udfff\"]}",
            "{\"Id\":\"a\",\"Operation\":\"\\u0000\"}",
            "{\"Id\":\"\\u0000\"}",
            "{\"Id\":\"a\",\"Obj\":{\"\\ud800\":\"key\"}}",
            // paired surrogates are fine; an escaped backslash before u0000 is text, not an escape
            "{\"Id\":\"a\",\"Operation\":\"\\uD83D\\uDCCE\",\"x\":\"\\\\u0000 \\\\ud800\"}",
            "{}"
    })
    void streamingPassReadsWhatTheTreeShows(String json) throws IOException {
        assertThat(reader.read(json)).isNotNull().isEqualTo(tree(json));
    }

    @Test
    void pathOfTheFirstUnstorableTextIsNamedAsTheTreeWalkNamesIt() throws IOException {
        assertThat(reader.read("{\"Id\":\"a\",\"Deep\":{\"x\":[\"ok\",{\"y\":[0,\"\\ud800\"]}]},\"Operation\":\"a\\u0000b\"}")
                .unstorableAt()).isEqualTo(".Deep.x[1].y[1]");
        assertThat(reader.read("{\"Id\":\"a\",\"Obj\":{\"k\\u0000\":[\"\\u0000\"]}}").unstorableAt()).isEqualTo(".Obj.k\u0000");
        assertThat(reader.read("{\"Id\":\"a\",\"UserId\":{\"z\":[\"\\ud800\"]}}").unstorableAt()).isEqualTo(".UserId.z[0]");
        assertThat(reader.read("{\"Id\":\"a\",\"Operation\":\"\\uD83D\\uDCCE\"}").unstorableAt()).isNull();
    }

    @Test
    void unstorableTextInAValueALaterKeyReplacesIsStillFound() throws IOException {
        // PostgreSQL refuses the whole text ('{"a":"\u0000","a":1}'::jsonb fails), though the tree keeps only the last value
        assertThat(reader.read("{\"Id\":\"a\",\"Operation\":\"\\u0000\",\"Operation\":\"ok\"}").unstorableAt())
                .isEqualTo(".Operation");
        assertThat(reader.read("{\"Id\":\"a\",\"x\":{\"y\":\"\\ud800\"},\"x\":1}").unstorableAt()).isEqualTo(".x.y");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"Id\":\"a\"} 2", "{\"Id\":\"a\"}{}", "[{\"Id\":\"a\"}]", "\"text\"", "42", "null", "\uFEFF{\"Id\":\"a\"}",
            "{\"Id\" \"no-colon\"}", "{\"Id\":\"a\",}", "{\"Id\":\"a\"", "{\"Id\":\"a\"]", "{\"Id\":01}", "{\"x\":NaN}",
            "{\"x\":\"a\\qb\"}", "{\"x\":\"\\u12g4\"}", "{\"x\":\"a\u0001b\"}", "{\"a\u0000\":1}", "{'Id':'a'}", ""
    })
    void whatIsNotOneJsonObjectAloneIsLeftToTheTreeReader(String json) {
        RecordFields streamed;
        try {
            streamed = reader.read(json);
        } catch (IOException | RuntimeException refused) {
            streamed = null;
        }
        assertThat(streamed).isNull();
    }

    @Test
    void theLimitsOfTheParserHoldForSkippedValuesToo() {
        for (String json : List.of("{\"x\":" + "1".repeat(1001) + "}", "{\"x\":" + "[".repeat(1000) + "]".repeat(1000) + "}",
                "{\"" + "n".repeat(50_001) + "\":1}")) {
            RecordFields streamed;
            try {
                streamed = reader.read(json);
            } catch (IOException | RuntimeException refused) {
                streamed = null;
            }
            assertThat(streamed).as(json.substring(0, 20)).isNull();
        }
    }

    @Test
    void onlyEscapesOfU0000OrASurrogateAskForStringsToBeLookedInto() {
        assertThat(RecordReader.mayEscapeUnstorable("{\"a\":\"\\u0000\"}")).isTrue();
        assertThat(RecordReader.mayEscapeUnstorable("{\"a\":\"\\ud800\"}")).isTrue();
        assertThat(RecordReader.mayEscapeUnstorable("{\"a\":\"\\uDFFF\"}")).isTrue();
        assertThat(RecordReader.mayEscapeUnstorable("{\"a\":\"\\u")).isTrue();
        assertThat(RecordReader.mayEscapeUnstorable("{\"a\":\"\\u00e9 \\u0027 \\uD7FF \\uE000 \\/\"}")).isFalse();
        assertThat(RecordReader.mayEscapeUnstorable("{\"a\":\"plain\"}")).isFalse();
    }
}
