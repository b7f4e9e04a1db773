package org.o365audit.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.o365audit.config.NodeIdentity;

/**
 * A files sink in a cluster: its job moves between nodes, which write one shared directory in turn. Two
 * NdjsonFiles stand for the writers of two nodes (each with the memory a JVM would have).
 */
class SharedFilesDirectoryTest {

    @TempDir
    Path dir;

    private final DefaultCamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    @Test
    void eachNodeContinuesFromTheStateTheOtherLeftOnDisk() throws IOException {
        NdjsonFiles nodeA = new NdjsonFiles(new NodeIdentity("a", true));
        NdjsonFiles nodeB = new NdjsonFiles(new NodeIdentity("b", true));
        List<String> written = new ArrayList<>();
        for (NdjsonFiles node : List.of(nodeA, nodeB, nodeA, nodeB, nodeA)) {
            SinkBatch b = FileSinkDirectoryTest.batch(3);
            b.records().forEach(r -> written.add(r.getId()));
            node.write(exchange(b));
        }
        assertThat(activeIds()).containsExactlyElementsOf(written);
    }

    @Test
    void writersOfTwoNodesAtOnceNeverInterleaveOrLoseLines() throws Exception {
        NdjsonFiles nodeA = new NdjsonFiles(new NodeIdentity("a", true));
        NdjsonFiles nodeB = new NdjsonFiles(new NodeIdentity("b", true));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<List<String>>> runs = new ArrayList<>();
        for (NdjsonFiles node : List.of(nodeA, nodeB)) {
            runs.add(pool.submit(() -> {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    SinkBatch b = FileSinkDirectoryTest.batch(5);
                    node.write(exchange(b));
                    b.records().forEach(r -> ids.add(r.getId()));
                }
                return ids;
            }));
        }
        List<String> all = new ArrayList<>();
        for (Future<List<String>> f : runs) {
            all.addAll(f.get());
        }
        pool.shutdown();
        assertThat(activeIds()).hasSize(all.size()).containsExactlyInAnyOrderElementsOf(all);
    }

    private Exchange exchange(SinkBatch b) {
        Exchange ex = new DefaultExchange(camel);
        ex.setProperty(SinkExchange.SINK, "t");
        ex.setProperty(NdjsonFiles.DIRECTORY, dir.toString());
        ex.getIn().setBody(b);
        return ex;
    }

    private List<String> activeIds() throws IOException {
        List<String> ids = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve(".active"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".ndjson")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    int at = line.indexOf("\"Id\":\"") + 6;
                    ids.add(line.substring(at, line.indexOf('"', at)));
                }
            }
        }
        return ids;
    }
}
