package org.o365audit.sink.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.o365audit.collect.AppNames;
import org.o365audit.collect.CreationTimes;
import org.o365audit.collect.RecordTypes;
import org.o365audit.sink.SinkRecord;

/** Real records from the simulator corpus, turned into SinkRecords the way the collector would store them. */
final class Corpus {
    static final String TENANT_ID = "8d4121ed-0008-406d-bff9-0d5bb312183c";
    static final String TENANT_NAME = "contoso";
    /** Used when a record has no CreationTime. */
    static final Instant COLLECTED = Instant.parse("2024-03-01T12:00:00Z");
    static final Duration LAG = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Corpus() {
    }

    /** The first line of {@code /simulator/corpus/<file>} that contains every one of {@code needles}. */
    static String line(String file, String... needles) {
        try (InputStream in = Corpus.class.getResourceAsStream("/simulator/corpus/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no corpus file " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> Arrays.stream(needles).allMatch(l::contains))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no line in " + file + " with " + Arrays.toString(needles)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SinkRecord find(String file, String... needles) {
        return record(line(file, needles));
    }

    static SinkRecord record(String raw) {
        return record(raw, TENANT_NAME);
    }

    static SinkRecord record(String raw, String tenantName) {
        JsonNode j;
        try {
            j = JSON.readTree(raw);
        } catch (IOException e) {
            j = JSON.createObjectNode();
        }
        Instant created = CreationTimes.parse(text(j, "CreationTime"));
        Instant collected = created == null ? COLLECTED : created.plus(LAG);
        Integer recordType = j.path("RecordType").canConvertToInt() ? j.get("RecordType").intValue() : null;
        String workload = text(j, "Workload");
        String contentType = switch (workload == null ? "" : workload) {
            case "AzureActiveDirectory" -> "Audit.AzureActiveDirectory";
            case "Exchange" -> "Audit.Exchange";
            case "SharePoint", "OneDrive" -> "Audit.SharePoint";
            default -> "Audit.General";
        };
        String clientIp = ClientAddress.parse(text(j, "ClientIP")).map(ClientAddress::ip).orElse(null);
        return new SinkRecord(1, 1, TENANT_ID, tenantName, contentType, text(j, "Id"), created, collected,
                created == null ? null : LAG.getSeconds(), workload, recordType, RecordTypes.name(recordType),
                text(j, "Operation"), text(j, "UserId"), clientIp, AppNames.of(workload, recordType),
                "management-api", raw);
    }

    private static String text(JsonNode j, String field) {
        JsonNode n = j.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
