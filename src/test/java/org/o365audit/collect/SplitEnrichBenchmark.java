package org.o365audit.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.o365audit.config.O365Properties;
import org.o365audit.record.EnrichedBatch;

/**
 * Records per second through the blob splitter and the enricher alone (no HTTP, no database): the simulator's
 * corpus records (0.7 to 1.7 KB, about 1 KB on average) in blobs of 50, as the API serves them.
 * {@code mvn -B test -Pbenchmark -Dtest=SplitEnrichBenchmark}
 */
@Tag("benchmark")
class SplitEnrichBenchmark {
    private static final int PER_BLOB = 50;
    private static final int BLOBS = 2_000;

    @Test
    void recordsPerSecondThroughSplitterAndEnricher() {
        List<String> corpus = corpus();
        List<byte[]> blobs = new ArrayList<>();
        long bytes = 0;
        for (int b = 0; b < BLOBS; b++) {
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < PER_BLOB; i++) {
                s.append(i == 0 ? "" : ",\n").append(corpus.get((b * PER_BLOB + i) % corpus.size()));
            }
            byte[] blob = s.append(']').toString().getBytes(StandardCharsets.UTF_8);
            bytes += blob.length;
            blobs.add(blob);
        }
        O365Properties props = new O365Properties();
        BlobSplitter splitter = new BlobSplitter(new ObjectMapper(), props, TestRecords.clock());
        Enricher enricher = new Enricher(TestRecords.clock());
        int records = BLOBS * PER_BLOB;
        double[] rates = new double[8];
        for (int round = 0; round < 5 + rates.length; round++) {
            long start = System.nanoTime();
            int events = 0;
            for (byte[] blob : blobs) {
                Iterator<RecordBatch> it = splitter.batches(TestRecords.content(new ByteArrayInputStream(blob)));
                while (it.hasNext()) {
                    EnrichedBatch e = enricher.enrich(it.next());
                    events += e.events().size();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(events).isEqualTo(records);
            if (round >= 5) {
                rates[round - 5] = records / seconds;
            }
        }
        Arrays.sort(rates);
        System.out.printf("split+enrich: %d records (%d bytes, %.0f bytes/record) per round; records/s median %.0f, best %.0f%n",
                records, bytes, (double) bytes / records, rates[rates.length / 2], rates[rates.length - 1]);
    }

    /** Every record of the simulator's corpus that the enricher stores (each has an Id). */
    private static List<String> corpus() {
        List<String> out = new ArrayList<>();
        for (String file : List.of("ms-office-365-management-api-docs", "otrf-security-datasets-m365",
                "panther-analysis-rule-tests-yaml", "panther-analysis-schema-tests", "synthetic-templates")) {
            try (InputStream in = SplitEnrichBenchmark.class.getResourceAsStream("/simulator/corpus/" + file + ".ndjson");
                 BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                r.lines().filter(l -> l.startsWith("{") && l.contains("\"Id\":\"")).forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
