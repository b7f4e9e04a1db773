package org.o365audit.sink;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.o365audit.config.NodeIdentity;
import org.springframework.stereotype.Component;

/** The files sink's writer: NDJSON per tenant, app and day, rolled atomically (see FileSinkDirectory). */
@Component("ndjsonFiles")
public class NdjsonFiles {
    public static final String DIRECTORY = "O365FilesDirectory";
    public static final String ROLL_BYTES = "O365FilesRollBytes";
    public static final String ROLL_MILLIS = "O365FilesRollMillis";
    public static final String GZIP = "O365FilesGzip";

    private final Map<String, FileSinkDirectory> directories = new ConcurrentHashMap<>();
    private final boolean shared;

    /**
     * In a cluster the sink's job moves between nodes, which write the same (shared) directory in turn: each
     * write and roll then starts from the state on disk, under a file lock. One process alone trusts its memory.
     */
    public NdjsonFiles(NodeIdentity node) {
        this.shared = node.clustered();
    }

    /** Writes the kept records of the batch (body), then rolls what is due; an empty batch only rolls. */
    public void write(Exchange ex) throws IOException {
        SinkBatch batch = ex.getIn().getBody(SinkBatch.class);
        if (batch == null || batch.isEmpty()) {
            rollDue(ex);
        } else {
            FileSinkDirectory d = directory(ex);
            if (shared) {
                d.exclusively(() -> {
                    d.write(batch);
                    return d.rollDue(rollBytes(ex), rollMillis(ex), gzip(ex));
                });
            } else {
                d.write(batch);
                rollDue(ex);
            }
        }
    }

    /** Rolls the files that are big or old enough. */
    public int rollDue(Exchange ex) throws IOException {
        FileSinkDirectory d = directory(ex);
        if (shared) {
            return d.exclusively(() -> d.rollDue(rollBytes(ex), rollMillis(ex), gzip(ex)));
        }
        return d.rollDue(rollBytes(ex), rollMillis(ex), gzip(ex));
    }

    private static long rollBytes(Exchange ex) {
        return ex.getProperty(ROLL_BYTES, 64L * 1024 * 1024, Long.class);
    }

    private static long rollMillis(Exchange ex) {
        return ex.getProperty(ROLL_MILLIS, 300_000L, Long.class);
    }

    private static boolean gzip(Exchange ex) {
        return ex.getProperty(GZIP, true, Boolean.class);
    }

    private FileSinkDirectory directory(Exchange ex) throws IOException {
        String sink = ex.getProperty(SinkExchange.SINK, String.class);
        Path dir = Path.of(ex.getProperty(DIRECTORY, String.class));
        String key = sink + "\u0000" + dir.toAbsolutePath().normalize();
        FileSinkDirectory d = directories.get(key);
        if (d == null) {
            // one object per directory in this JVM: its monitor orders this JVM's threads before the file lock
            synchronized (directories) {
                d = directories.get(key);
                if (d == null) {
                    d = new FileSinkDirectory(sink, dir, shared);
                    directories.put(key, d);
                }
            }
        }
        return d;
    }
}
