package org.o365audit.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files sink's directory: whole files only, and exactly once across a crash at any point of a batch. */
class FileSinkDirectoryTest {
    static final Instant DAY = Instant.parse("2026-11-24T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void rollsGzippedFilesWithIncreasingPartsEvenForDottedTenantNames() throws IOException {
        FileSinkDirectory d = new FileSinkDirectory("t", dir);
        d.write(batch(3));
        assertThat(d.rollDue(1, Long.MAX_VALUE, true)).isEqualTo(1);
        d.write(batch(2));
        d.rollDue(1, Long.MAX_VALUE, true);
        Path day = dir.resolve("contoso.com").resolve("Exchange").resolve("2026-11-24");
        assertThat(names(day)).containsExactly("contoso.com_Exchange_2026-11-24.1.ndjson.gz",
                "contoso.com_Exchange_2026-11-24.2.ndjson.gz");
        assertThat(gunzipLines(day.resolve("contoso.com_Exchange_2026-11-24.1.ndjson.gz"))).hasSize(3);
        assertThat(names(dir.resolve(".active"))).containsExactly("state.json");
    }

    @Test
    void aBatchWrittenBeforeACrashIsNotWrittenAgain() throws IOException {
        SinkBatch b = batch(4);
        new FileSinkDirectory("t", dir).write(b);
        // restart: the same batch comes again because its confirmation never reached the database
        FileSinkDirectory again = new FileSinkDirectory("t", dir);
        assertThat(again.write(b)).isFalse();
        again.rollDue(1, Long.MAX_VALUE, false);
        assertThat(allLines()).hasSize(4);
    }

    @Test
    void linesOfABatchCutOffByACrashAreRemovedAndWrittenOnce() throws IOException {
        new FileSinkDirectory("t", dir).write(batch(2));
        Path active;
        try (Stream<Path> s = Files.list(dir.resolve(".active"))) {
            active = s.filter(p -> p.toString().endsWith(".ndjson")).findFirst().orElseThrow();
        }
        // the next batch got half a line out before the process died; its state was never saved
        Files.writeString(active, "{\"tenantId\":\"half" + "x".repeat(20_000), StandardOpenOption.APPEND);
        Files.writeString(dir.resolve(".active").resolve("other_Teams_2026-11-24.ndjson"), "{\"written\":\"by no batch\"}\n");
        FileSinkDirectory restarted = new FileSinkDirectory("t", dir);
        assertThat(Files.exists(dir.resolve(".active").resolve("other_Teams_2026-11-24.ndjson"))).isFalse();
        restarted.write(batch(3));
        restarted.rollDue(1, Long.MAX_VALUE, false);
        List<String> lines = allLines();
        assertThat(lines).hasSize(5).allMatch(l -> l.startsWith("{\"tenantId\":\"tenant-1\"") && l.endsWith("}"));
    }

    static SinkBatch batch(int n) {
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = UUID.randomUUID().toString();
            records.add(new SinkRecord(1, i, "tenant-1", "contoso.com", "Audit.Exchange", id, DAY, DAY, 60L, "Exchange",
                    1, "ExchangeAdmin", "Set-Mailbox", "a@contoso.com", null, "Exchange", "management-api",
                    "{\"Id\":\"" + id + "\",\"Operation\":\"Set-Mailbox\"}"));
        }
        return new SinkBatch("t", UUID.randomUUID().toString(), records, false, 0);
    }

    private List<String> allLines() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).filter(f -> !f.toString().contains(".active")).toList()) {
                out.addAll(f.toString().endsWith(".gz") ? gunzipLines(f) : Files.readAllLines(f));
            }
        }
        return out;
    }

    private static List<String> gunzipLines(Path f) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
