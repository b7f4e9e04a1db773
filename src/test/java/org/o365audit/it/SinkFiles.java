package org.o365audit.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** What a files sink has written, as a log shipper would see it. */
final class SinkFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SinkFiles() {
    }

    /** A directory of its own for the files sinks of one database's run, empty at the start. */
    static String emptyDirectory(String name) {
        Path d = Path.of("target", name).toAbsolutePath();
        try {
            if (Files.exists(d)) {
                try (Stream<Path> s = Files.walk(d)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d.toString();
    }

    /** Every NDJSON line of a tenant in the files a shipper would see (not .active/), gzipped or not. */
    static List<JsonNode> lines(Path root, String tenantId) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !root.relativize(f).startsWith(".active")).toList()) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".ndjson") && !name.endsWith(".ndjson.gz")) {
                    continue;
                }
                try (InputStream in = name.endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(f)) : Files.newInputStream(f)) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        if (!line.isEmpty()) {
                            JsonNode n = JSON.readTree(line);
                            if (n.path("tenantId").asText().equals(tenantId)) {
                                out.add(n);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
