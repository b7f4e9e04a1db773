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

    /**
     * The files outside .active/, which the sink writes and renames while we look: .active/ is not entered, and a
     * file that went between listing and reading its attributes is passed over.
     */
    private static List<Path> shipped(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes a) {
                return dir.equals(root.resolve(".active")) ? java.nio.file.FileVisitResult.SKIP_SUBTREE
                        : java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a) {
                if (a.isRegularFile()) {
                    files.add(file);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof java.nio.file.NoSuchFileException) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return files;
    }

    /** Every NDJSON line of a tenant in the files a shipper would see (not .active/), gzipped or not. */
    static List<JsonNode> lines(Path root, String tenantId) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        try {
            for (Path f : shipped(root)) {
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
