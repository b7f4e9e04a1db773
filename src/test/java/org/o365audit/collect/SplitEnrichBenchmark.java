package org.o365audit.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
 * corpus records (0.7 to 1.7 KB, about 1 KB on average) in blobs of 50, as the API serves them; each element
 * read in one streaming pass against the tree reader for every element (as before that pass), rounds
 * interleaved, CPU time of the thread so that a busy machine skews it less than the wall clock.
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
        BlobSplitter streaming = new BlobSplitter(new ObjectMapper(), props, TestRecords.clock());
        // the tree reader for every element, as before the streaming pass (which leaves all to the tree when
        // a key given twice must fail)
        BlobSplitter tree = new BlobSplitter(new ObjectMapper().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY),
                props, TestRecords.clock());
        Enricher enricher = new Enricher(TestRecords.clock());
        int records = BLOBS * PER_BLOB;
        int rounds = 12;
        double[][] cpuMicros = new double[2][rounds];
        double[][] wallRates = new double[2][rounds];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = -4; round < rounds; round++) {
            for (int mode = 0; mode < 2; mode++) {
                BlobSplitter splitter = mode == 0 ? tree : streaming;
                long cpu = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                int events = 0;
                for (byte[] blob : blobs) {
                    Iterator<RecordBatch> it = splitter.batches(TestRecords.content(new ByteArrayInputStream(blob)));
                    while (it.hasNext()) {
                        EnrichedBatch e = enricher.enrich(it.next());
                        events += e.events().size();
                    }
                }
                long wall = System.nanoTime() - start;
                cpu = threads.getCurrentThreadCpuTime() - cpu;
                assertThat(events).isEqualTo(records);
                if (round >= 0) {
                    cpuMicros[mode][round] = cpu / 1e3 / records;
                    wallRates[mode][round] = records / (wall / 1e9);
                }
            }
        }
        System.out.printf("split+enrich, %d records of %.0f bytes on average in blobs of %d, median of %d rounds:%n",
                records, (double) bytes / records, PER_BLOB, rounds);
        for (int mode = 0; mode < 2; mode++) {
            Arrays.sort(cpuMicros[mode]);
            Arrays.sort(wallRates[mode]);
            System.out.printf("  %-9s %6.2f us CPU/record = %7.0f records per CPU-second; wall clock %7.0f records/s (best %.0f)%n",
                    mode == 0 ? "tree" : "streaming", cpuMicros[mode][rounds / 2], 1e6 / cpuMicros[mode][rounds / 2],
                    wallRates[mode][rounds / 2], wallRates[mode][rounds - 1]);
        }
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
