package org.o365audit.it.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The fault suite's results as one markdown table, a row per scenario, in {@code target/fault-suite/report.md}.
 * Surefire and failsafe run in different JVMs that append in turn, so every append holds an exclusive file
 * lock while it checks whether the header is there and writes its row; a lock within this JVM comes first,
 * since a JVM may not hold two locks on one file. Each row is also printed to stdout.
 */
public final class FaultReport {
    static final String HEADER = "| scenario | runs | records | lost | duplicated | recovered within (s) | note |\n"
            + "|---|---|---|---|---|---|---|\n";
    private static final Object IN_THIS_JVM = new Object();
    private final Path file;

    public FaultReport(Path file) {
        this.file = file;
    }

    public static FaultReport standard() {
        return new FaultReport(Path.of("target", "fault-suite", "report.md"));
    }

    public void append(Row row) {
        String line = row.markdown();
        System.out.println(line);
        synchronized (IN_THIS_JVM) {
            try {
                Path parent = file.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock lock = channel.lock()) {
                    String text = (channel.size() == 0 ? HEADER : "") + line + "\n";
                    ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                    channel.position(channel.size());
                    while (bytes.hasRemaining()) {
                        channel.write(bytes);
                    }
                    channel.force(false);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to " + file, e);
            }
        }
    }

    /** One scenario's result; {@code recoveredWithinSeconds} is empty where recovery does not apply. */
    public record Row(String scenario, int runs, int records, int lost, int duplicated,
                      OptionalDouble recoveredWithinSeconds, String note) {

        /** A row from a tally; Ids stored that should not be are named in the note, as the table has no column for them. */
        public static Row of(String scenario, int runs, Tally tally, OptionalDouble recoveredWithinSeconds, String note) {
            String extra = tally.unexpected() == 0 ? note
                    : (note.isEmpty() ? "" : note + "; ") + tally.unexpected() + " unexpected Id(s) stored";
            return new Row(scenario, runs, tally.expected(), tally.lost(), tally.duplicated(), recoveredWithinSeconds, extra);
        }

        String markdown() {
            String recovered = recoveredWithinSeconds.isPresent()
                    ? String.format(Locale.ROOT, "%.1f", recoveredWithinSeconds.getAsDouble()) : "-";
            return "| " + cell(scenario) + " | " + runs + " | " + records + " | " + lost + " | " + duplicated
                    + " | " + recovered + " | " + cell(note) + " |";
        }

        /** A pipe would end the cell and a line break the row. */
        private static String cell(String text) {
            return text.replace("|", "\\|").replaceAll("\\R", " ");
        }
    }
}
