package org.o365audit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The audit records the demo feed copies, from {@code /simulator/corpus/} (see SOURCES.md there),
 * grouped by the content type the Management Activity API would publish them under.
 */
final class CorpusTemplates {

    static final String FOLDER = "/simulator/corpus/";
    static final List<String> FILES = List.of(
            "ms-office-365-management-api-docs.ndjson",
            "otrf-security-datasets-m365.ndjson",
            "panther-analysis-rule-tests-yaml.ndjson",
            "panther-analysis-schema-tests.ndjson",
            "synthetic-templates.ndjson");

    /** DLP record types, as listed for DLP.All by a Sentinel community solution (o365-api.md 2.5). */
    private static final Set<Integer> DLP_RECORD_TYPES = Set.of(11, 13, 33, 63, 99, 100, 107, 187);
    private static final Set<Integer> ENTRA_RECORD_TYPES = Set.of(8, 9, 15);
    private static final Set<Integer> EXCHANGE_RECORD_TYPES = Set.of(1, 2, 3, 50);
    private static final Set<Integer> SHAREPOINT_RECORD_TYPES = Set.of(4, 6, 7, 14, 36);

    private static final class Holder {
        static final CorpusTemplates INSTANCE = load();
    }

    private final Map<String, List<ObjectNode>> byContentType;

    private CorpusTemplates(Map<String, List<ObjectNode>> byContentType) {
        this.byContentType = byContentType;
    }

    static CorpusTemplates get() {
        return Holder.INSTANCE;
    }

    /** Templates for a content type; callers copy before changing them. */
    List<ObjectNode> forType(String contentType) {
        return byContentType.getOrDefault(contentType, List.of());
    }

    private static CorpusTemplates load() {
        Map<String, List<ObjectNode>> grouped = new LinkedHashMap<>();
        for (String file : FILES) {
            for (ObjectNode record : read(FOLDER + file)) {
                grouped.computeIfAbsent(contentTypeOf(record), k -> new ArrayList<>()).add(record);
            }
        }
        grouped.replaceAll((k, v) -> List.copyOf(v));
        for (String type : ContentTypes.ALL) {
            if (!grouped.containsKey(type)) {
                throw new IllegalStateException("simulator corpus has no record for " + type);
            }
        }
        return new CorpusTemplates(Map.copyOf(grouped));
    }

    /** Entra ID, Exchange and SharePoint/OneDrive have their own types; DLP events go to DLP.All; the rest to Audit.General. */
    static String contentTypeOf(JsonNode record) {
        int recordType = record.path("RecordType").asInt(-1); // asInt also reads a RecordType sent as a string
        String workload = record.path("Workload").asText("");
        if (DLP_RECORD_TYPES.contains(recordType) || record.path("Operation").asText("").startsWith("Dlp")) {
            return ContentTypes.DLP_ALL;
        }
        return switch (workload) {
            case "AzureActiveDirectory" -> ContentTypes.AZURE_ACTIVE_DIRECTORY;
            case "Exchange" -> ContentTypes.EXCHANGE;
            case "SharePoint", "OneDrive" -> ContentTypes.SHAREPOINT;
            case "" -> byRecordType(recordType);
            default -> ContentTypes.GENERAL;
        };
    }

    /** For records without a Workload (one Panther test log lacks it). */
    private static String byRecordType(int recordType) {
        if (ENTRA_RECORD_TYPES.contains(recordType)) {
            return ContentTypes.AZURE_ACTIVE_DIRECTORY;
        } else if (EXCHANGE_RECORD_TYPES.contains(recordType)) {
            return ContentTypes.EXCHANGE;
        } else if (SHAREPOINT_RECORD_TYPES.contains(recordType)) {
            return ContentTypes.SHAREPOINT;
        }
        return ContentTypes.GENERAL;
    }

    /** The JSON objects of an NDJSON classpath resource, one a line. */
    static List<ObjectNode> read(String resource) {
        List<ObjectNode> records = new ArrayList<>();
        try (InputStream in = CorpusTemplates.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + resource + " is missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    records.add((ObjectNode) Json.MAPPER.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        return records;
    }
}
