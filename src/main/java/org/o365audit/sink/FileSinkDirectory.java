package org.o365audit.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One files sink's directory. Records are appended to an active file per tenant, app and day (of the event)
 * under .active/, which shippers must not read. A file is rolled when it is big or old enough: gzipped (or
 * copied) to a temporary name beside its final place, then renamed atomically to
 * {@code <tenant>/<app>/<day>/<tenant>_<app>_<day>.<part>.ndjson.gz}, so a shipper only ever sees whole files.
 * <p>
 * Exactly once across kill -9: .active/state.json (replaced atomically after every batch) holds the last
 * batch written and each active file's length after it. On start, active files are cut back to those
 * lengths and files no batch recorded are removed; a batch the state already holds is not written again.
 */
final class FileSinkDirectory {
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.sink");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The part number of a rolled file: {@code <tenant>_<app>_<day>.<part>.ndjson[.gz]} (names may hold dots). */
    /** The directories' lock files this JVM is using (a file lock is held once per JVM, not per thread). */
    private static final Map<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();
    private static final Pattern PART = Pattern.compile("\\.(\\d{1,9})\\.ndjson(\\.gz)?$");

    private final String sink;
    private final Path root;
    private final Path active;
    private final Path stateFile;
    private String lastBatch;
    private final Map<String, Entry> open = new TreeMap<>();

    FileSinkDirectory(String sink, Path root) throws IOException {
        this(sink, root, false);
    }

    /**
     * {@code shared}: nodes of a cluster write the directory in turn (a shared volume), so nothing is read at
     * construction; each use goes through {@link #exclusively}, which reads the state from disk under a lock.
     */
    FileSinkDirectory(String sink, Path root, boolean shared) throws IOException {
        this.sink = sink;
        this.root = root.toAbsolutePath().normalize();
        this.active = this.root.resolve(".active");
        this.stateFile = active.resolve("state.json");
        Files.createDirectories(active);
        if (!shared) {
            recover();
        }
    }

    /** Work on a directory other nodes also write: what this JVM remembers of it may be stale. */
    interface Work<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code work} holding an exclusive lock on .active/lock (other JVMs, other hosts on a shared volume
     * that honours locks) and starting from the state on disk, cut back as after a crash: the node that wrote
     * last may have been another one. Threads of this JVM take turns first, as a JVM holds a file lock only once.
     */
    <T> T exclusively(Work<T> work) throws IOException {
        Path lockFile = active.resolve("lock");
        ReentrantLock inJvm = IN_JVM.computeIfAbsent(lockFile, p -> new ReentrantLock());
        inJvm.lock();
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = ch.lock()) {
            synchronized (this) {
                recover();
                return work.run();
            }
        } finally {
            inJvm.unlock();
        }
    }

    /** Appends the batch; returns false when this batch was written before (a redelivery after a crash). */
    boolean write(SinkBatch batch) throws IOException {
        if (batch.id().equals(lastBatch)) {
            return false;
        }
        try {
            append(batch);
        } catch (IOException | RuntimeException e) {
            // back to the last state on disk, so the retry neither repeats nor loses a line
            recover();
            throw e;
        }
        return true;
    }

    private void append(SinkBatch batch) throws IOException {
        Map<String, List<SinkRecord>> byFile = new LinkedHashMap<>();
        for (SinkRecord r : batch.records()) {
            byFile.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<SinkRecord>> e : byFile.entrySet()) {
            Entry entry = open.computeIfAbsent(e.getKey(), k -> new Entry(k, nextPart(k), 0, Instant.now().toEpochMilli()));
            try (FileChannel ch = FileChannel.open(activeFile(entry), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ch.position(entry.length);
                ByteBuffer buf = ByteBuffer.wrap(RecordEnvelope.lines(e.getValue()));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
                entry.length = ch.position();
            }
        }
        lastBatch = batch.id();
        saveState();
    }

    /** Rolls every active file at least {@code maxBytes} big or opened at least {@code maxAgeMillis} ago. */
    int rollDue(long maxBytes, long maxAgeMillis, boolean gzip) throws IOException {
        long now = Instant.now().toEpochMilli();
        int rolled = 0;
        for (Entry e : List.copyOf(open.values())) {
            if (e.length > 0 && (e.length >= maxBytes || now - e.opened >= maxAgeMillis)) {
                roll(e, gzip);
                rolled++;
            }
        }
        return rolled;
    }

    private void roll(Entry e, boolean gzip) throws IOException {
        Path target = finalFile(e, gzip);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (InputStream in = Files.newInputStream(activeFile(e));
             OutputStream raw = Files.newOutputStream(tmp);
             OutputStream out = gzip ? new GZIPOutputStream(raw, 65536) : raw) {
            in.transferTo(out);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        open.remove(e.key);
        saveState();
        Files.deleteIfExists(activeFile(e));
        LOG.debug("sink {}: rolled {}", sink, root.relativize(target));
    }

    private void recover() throws IOException {
        open.clear();
        lastBatch = null;
        if (Files.exists(stateFile)) {
            ObjectNode s = (ObjectNode) JSON.readTree(stateFile.toFile());
            lastBatch = s.path("batch").isNull() ? null : s.path("batch").asText(null);
            s.path("files").fields().forEachRemaining(f -> open.put(f.getKey(), new Entry(f.getKey(),
                    f.getValue().path("part").asInt(), f.getValue().path("length").asLong(),
                    f.getValue().path("opened").asLong())));
        }
        for (Entry e : List.copyOf(open.values())) {
            Path file = activeFile(e);
            if (Files.exists(finalFile(e, true)) || Files.exists(finalFile(e, false))) {
                // rolled just before a crash, the state not yet updated
                open.remove(e.key);
                Files.deleteIfExists(file);
            } else if (Files.exists(file)) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    if (ch.size() > e.length) {
                        LOG.info("sink {}: cutting {} back to its last confirmed length ({} bytes)", sink,
                                file.getFileName(), e.length);
                        ch.truncate(e.length);
                        ch.force(true);
                    }
                }
            } else if (e.length > 0) {
                LOG.warn("sink {}: active file {} is missing ({} bytes recorded); starting it again", sink, file, e.length);
                e.length = 0;
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(active, "*.ndjson")) {
            for (Path f : files) {
                if (open.values().stream().noneMatch(e -> activeFile(e).equals(f))) {
                    // written by a batch that never reached the state file: it is sent again
                    Files.delete(f);
                }
            }
        }
        saveState();
    }

    private void saveState() throws IOException {
        ObjectNode s = JSON.createObjectNode();
        s.put("batch", lastBatch);
        ObjectNode files = s.putObject("files");
        open.values().forEach(e -> files.putObject(e.key).put("part", e.part).put("length", e.length).put("opened", e.opened));
        Path tmp = active.resolve("state.json.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(JSON.writeValueAsBytes(s)));
            ch.force(true);
        }
        Files.move(tmp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The next free part number of a tenant/app/day: one above the highest rolled one. */
    private int nextPart(String key) {
        String[] k = key.split("/");
        Path dir = root.resolve(k[0]).resolve(k[1]).resolve(k[2]);
        int max = 0;
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    Matcher m = PART.matcher(f.getFileName().toString());
                    if (m.find()) {
                        max = Math.max(max, Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return max + 1;
    }

    private Path activeFile(Entry e) {
        return active.resolve(e.key.replace('/', '_') + ".ndjson");
    }

    private Path finalFile(Entry e, boolean gzip) {
        String[] k = e.key.split("/");
        String name = k[0] + "_" + k[1] + "_" + k[2] + "." + e.part + (gzip ? ".ndjson.gz" : ".ndjson");
        return root.resolve(k[0]).resolve(k[1]).resolve(k[2]).resolve(name);
    }

    /** tenant/app/day of the event (of collection when the record had no readable time). */
    private static String key(SinkRecord r) {
        Instant t = r.getCreationTime() != null ? r.getCreationTime() : r.getCollectedAt();
        return safe(r.getTenantName()) + "/" + safe(r.getApp()) + "/" + t.atZone(ZoneOffset.UTC).toLocalDate();
    }

    static String safe(String s) {
        String v = s == null || s.isBlank() ? "unknown" : portable(s);
        return v.startsWith(".") ? "_" + v.substring(1) : v;
    }

    /** Every code point outside A-Z a-z 0-9 . _ - as '_' (per record, so no regex). */
    private static String portable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.append(c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-')
                ? (char) c : '_'));
        return b.toString();
    }

    private static final class Entry {
        final String key;
        final int part;
        long length;
        final long opened;

        Entry(String key, int part, long length, long opened) {
            this.key = key;
            this.part = part;
            this.length = length;
            this.opened = opened;
        }
    }
}
