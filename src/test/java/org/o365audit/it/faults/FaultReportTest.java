package org.o365audit.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultReportTest {
    private static final int ROWS_PER_WRITER = 40;

    @TempDir
    Path dir;

    @Test
    void writesTheHeaderOnceThenOneRowPerAppend() throws Exception {
        FaultReport report = new FaultReport(dir.resolve("fault-suite/report.md"));
        report.append(new FaultReport.Row("database cut mid-blob", 3, 1200, 0, 0, OptionalDouble.of(12.34), "3 cuts"));
        report.append(new FaultReport.Row("hostile records", 1, 58, 1, 2, OptionalDouble.empty(), "a|b\nc"));

        assertThat(Files.readString(dir.resolve("fault-suite/report.md"))).isEqualTo(FaultReport.HEADER
                + "| database cut mid-blob | 3 | 1200 | 0 | 0 | 12.3 | 3 cuts |\n"
                + "| hostile records | 1 | 58 | 1 | 2 | - | a\\|b c |\n");
    }

    @Test
    void aRowFromATallyNamesUnexpectedIdsInTheNote() {
        Tally tally = Tally.of(List.of("a", "b", "c"), List.of("a", "a", "x"));
        assertThat(FaultReport.Row.of("s", 2, tally, OptionalDouble.of(0.05), "note").markdown())
                .isEqualTo("| s | 2 | 3 | 2 | 1 | 0.1 | note; 1 unexpected Id(s) stored |");
        assertThat(FaultReport.Row.of("s", 1, Tally.of(List.of("a"), List.of("a")), OptionalDouble.empty(), "").markdown())
                .isEqualTo("| s | 1 | 1 | 0 | 0 | - |  |");
    }

    @Test
    void appendsFromSeveralThreadsKeepEveryRowWhole() throws Exception {
        Path file = dir.resolve("report.md");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            String writer = "thread-" + w;
            writers.add(pool.submit(() -> appendRows(file, writer)));
        }
        for (Future<?> f : writers) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertRows(file, 4);
    }

    @Test
    void appendsFromSeveralJvmsKeepEveryRowWhole() throws Exception {
        Path file = dir.resolve("report.md");
        List<Process> jvms = new ArrayList<>();
        for (int j = 0; j < 2; j++) {
            jvms.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), OtherJvm.class.getName(), file.toString(), "jvm-" + j)
                    .inheritIO().start());
        }
        appendRows(file, "this-jvm");
        for (Process p : jvms) {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
        assertRows(file, 3);
    }

    private static void appendRows(Path file, String writer) {
        FaultReport report = new FaultReport(file);
        for (int i = 0; i < ROWS_PER_WRITER; i++) {
            report.append(new FaultReport.Row(writer + " row " + i, 1, i, 0, 0, OptionalDouble.empty(), "x".repeat(500)));
        }
    }

    private static void assertRows(Path file, int writers) throws Exception {
        String text = Files.readString(file);
        assertThat(text).startsWith(FaultReport.HEADER);
        List<String> rows = text.substring(FaultReport.HEADER.length()).lines().toList();
        assertThat(rows).hasSize(writers * ROWS_PER_WRITER)
                .allSatisfy(r -> assertThat(r).matches("\\| \\S+ row \\d+ \\| 1 \\| \\d+ \\| 0 \\| 0 \\| - \\| x{500} \\|"));
    }

    /** Another JVM appending to the same report, as failsafe does after surefire. */
    static final class OtherJvm {
        public static void main(String[] args) {
            appendRows(Path.of(args[0]), args[1]);
        }
    }
}
