package org.o365audit.sink;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** The files sink's writer: NDJSON per tenant, app and day, rolled atomically (see FileSinkDirectory). */
@Component("ndjsonFiles")
public class NdjsonFiles {
    public static final String DIRECTORY = "O365FilesDirectory";
    public static final String ROLL_BYTES = "O365FilesRollBytes";
    public static final String ROLL_MILLIS = "O365FilesRollMillis";
    public static final String GZIP = "O365FilesGzip";

    private final Map<String, FileSinkDirectory> directories = new ConcurrentHashMap<>();

    /** Writes the kept records of the batch (body). */
    public void write(Exchange ex) throws IOException {
        SinkBatch batch = ex.getIn().getBody(SinkBatch.class);
        if (batch != null && !batch.isEmpty()) {
            directory(ex).write(batch);
            rollDue(ex);
        }
    }

    /** Rolls the files that are big or old enough; called on every tick, also when nothing new came. */
    public int rollDue(Exchange ex) throws IOException {
        long bytes = ex.getProperty(ROLL_BYTES, 64L * 1024 * 1024, Long.class);
        long millis = ex.getProperty(ROLL_MILLIS, 300_000L, Long.class);
        boolean gzip = ex.getProperty(GZIP, true, Boolean.class);
        return directory(ex).rollDue(bytes, millis, gzip);
    }

    private FileSinkDirectory directory(Exchange ex) throws IOException {
        String sink = ex.getProperty(SinkExchange.SINK, String.class);
        Path dir = Path.of(ex.getProperty(DIRECTORY, String.class));
        String key = sink + "\u0000" + dir.toAbsolutePath().normalize();
        FileSinkDirectory d = directories.get(key);
        if (d == null) {
            d = new FileSinkDirectory(sink, dir);
            directories.put(key, d);
        }
        return d;
    }
}
