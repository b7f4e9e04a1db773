package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.o365audit.it.faults.FaultReport;
import org.o365audit.it.faults.Tally;
import org.o365audit.it.receivers.WebhookReceiver;
import org.o365audit.simulator.SimBlob;
import org.o365audit.simulator.SimulatedTenant;

/**
 * Fault suite, "kill -9 at random moments": the packaged collector is killed with SIGKILL {@code faults.kills}
 * times (default 3, one per moment below; the full suite runs {@code -Dfaults.kills=20}) while it backfills 30 hours of blobs, collects
 * blobs that keep arriving (a new one every 0.5-1 s) and delivers to a files sink and a webhook sink; then it is
 * started once more and left to catch up. Each run is killed 2-8 s (seeded by {@code faults.seed}) after it first
 * stored or delivered something; the kills take turns at three moments: right then, while the webhook receiver
 * holds back its answer to a batch it has taken, and the moment a files sink file grows. Counted: the store, the
 * files and the webhook, each against every record Id the simulator served, for records lost and records there
 * more than once; one row each in the fault report.
 */
class KillNineFaultIT extends PackagedCollectorIT {
    static final int BACKFILL_BLOBS = 300;
    static final int RECORDS_PER_BLOB = 30;
    static final int LIVE_RECORDS_PER_BLOB = 10;
    static final long DEFAULT_SEED = 20261125L;
    static final String HOOK_SECRET = "whsec_a2lsbC1uaW5lLWZhdWx0LXRlc3Qtc2VjcmV0";
    static final String FILES_SINK = "kn-files";
    static final String HOOK_SINK = "kn-hook";
    static final String BACKFILL_TAG = "killnine";
    static final String LIVE_TAG = "killnine-live";
    /** Live blobs keep coming this long into the final run, then stop so the expected set is fixed. */
    static final Duration LIVE_TAIL = Duration.ofSeconds(5);
    static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(5);
    /** How long a kill waits for its moment (a held webhook answer, a file growing) before it kills anyway. */
    static final Duration TRIGGER_TIMEOUT = Duration.ofSeconds(10);

    /** When, after the random wait, the kill lands; the kills take these in turn. */
    enum Moment {
        /** right away. */
        RANDOM("at a random moment"),
        /** while the webhook receiver has taken a batch and holds back its 200: the sink must send it again, same id. */
        WEBHOOK_ANSWER_HELD("with a webhook batch received but not yet answered"),
        /** the moment a file under the files sink's .active/ grows: mid-write or before the position is confirmed. */
        FILE_GROWING("the moment a files sink file grew");

        final String text;

        Moment(String text) {
            this.text = text;
        }
    }

    record Kill(Moment moment, boolean triggered, Snapshot at) {
        @Override
        public String toString() {
            return moment + (moment == Moment.RANDOM ? "" : triggered ? " (hit)" : " (missed, killed anyway)") + ": " + at;
        }
    }

    @Override
    String schema() {
        return "o365_killnine";
    }

    @Test
    void killedAtRandomMomentsItLosesNothingAndRepeatsNothing() throws Exception {
        int kills = Integer.getInteger("faults.kills", 3);
        String seedProperty = System.getProperty("faults.seed", "");
        long seed = seedProperty.isBlank() ? DEFAULT_SEED : Long.parseLong(seedProperty.trim());
        System.out.println("KillNineFaultIT: faults.kills=" + kills + ", faults.seed=" + seed
                + " (repeat these moments with -Dfaults.seed=" + seed + ")");
        assertThat(kills).as("faults.kills").isPositive();
        Random moments = new Random(seed);

        String tenantId = UUID.randomUUID().toString();
        String clientId = UUID.randomUUID().toString();
        String secret = UUID.randomUUID().toString();
        SimulatedTenant sim = microsoft.tenant(tenantId);
        sim.registerSecret(clientId, secret);
        sim.pageSize(50);

        Set<String> expected = ConcurrentHashMap.newKeySet();
        List<String> previous = List.of();
        Instant base = Instant.now().minus(Duration.ofHours(30)).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < BACKFILL_BLOBS; i++) {
            Instant created = base.plusSeconds(360L * i);
            List<String> records = new ArrayList<>(TestRecords.records(RECORDS_PER_BLOB, tenantId, created));
            if (i % 10 == 0 && !previous.isEmpty()) {
                records.add(previous.get(0));   // repeated across blobs, as the API does
            }
            records.forEach(r -> expected.add(idOf(r)));
            sim.addBlob(SimBlob.ofRecords("Audit.Exchange", TestRecords.contentId(BACKFILL_TAG, i), created, created, records));
            previous = records;
        }
        LiveFeed live = new LiveFeed(sim, tenantId, expected, new Random(seed + 1), previous.get(0));

        Path files = Path.of(SinkFiles.emptyDirectory("killnine-files"));
        Path log = Path.of("target", "kill-nine-fault.log");
        Files.deleteIfExists(log);

        try (WebhookReceiver hook = WebhookReceiver.start("/o365", HOOK_SECRET)) {
            List<String> args = new ArrayList<>(tenantArgs("killnine", tenantId, clientId, "KILLNINE_TEST_SECRET", "Audit.Exchange"));
            args.addAll(List.of("--o365.poll-interval=2s",
                    "--o365.sinks." + FILES_SINK + ".type=files",
                    "--o365.sinks." + FILES_SINK + ".directory=" + files,
                    "--o365.sinks." + FILES_SINK + ".roll-millis=1000",
                    "--o365.sinks." + FILES_SINK + ".batch-size=200",
                    "--o365.sinks." + HOOK_SINK + ".type=webhook",
                    "--o365.sinks." + HOOK_SINK + ".url=" + hook.url(),
                    "--o365.sinks." + HOOK_SINK + ".secret=${KILLNINE_HOOK_SECRET}",
                    "--o365.sinks." + HOOK_SINK + ".batch-size=100",
                    "--o365.sinks." + HOOK_SINK + ".linger-millis=500"));
            Map<String, String> env = Map.of("KILLNINE_TEST_SECRET", secret, "KILLNINE_HOOK_SECRET", HOOK_SECRET);

            Thread feeder = new Thread(live, "killnine-live-feed");
            feeder.setDaemon(true);
            feeder.start();

            List<Kill> atKills = new ArrayList<>();
            for (int k = 1; k <= kills; k++) {
                Moment moment = Moment.values()[(k - 1) % Moment.values().length];
                Snapshot before = snapshot(tenantId);
                Process collector = CollectorProcess.start(List.of("-Xmx512m"), args, env, log);
                long startedAt = System.nanoTime();
                boolean triggered = false;
                WebhookReceiver.HeldAnswer held = null;
                try {
                    awaitProgress(collector, before, tenantId, log);
                    Thread.sleep(2000 + moments.nextInt(6001));   // 2-8 s after the first progress of this run
                    assertThat(collector.isAlive()).as("collector run %d ended by itself before its kill; log:%n%s", k, tail(log))
                            .isTrue();
                    if (moment == Moment.WEBHOOK_ANSWER_HELD) {
                        held = hook.holdNextAnswer();
                        triggered = held.awaitHeld(TRIGGER_TIMEOUT);
                    } else if (moment == Moment.FILE_GROWING) {
                        triggered = awaitActiveFileGrowth(files);
                    }
                } finally {
                    collector.destroyForcibly();   // SIGKILL: no shutdown hook, transactions and deliveries cut mid-way
                    collector.waitFor();
                    if (held != null) {
                        held.release();
                    }
                }
                Kill kill = new Kill(moment, triggered, snapshot(tenantId));   // what was committed when it died
                atKills.add(kill);
                System.out.printf("KillNineFaultIT: kill %d/%d after %.1f s: %s%n", k, kills, (System.nanoTime() - startedAt) / 1e9, kill);
            }

            // the final run: live blobs keep coming for a few seconds more, then stop; everything must arrive
            Instant finalStart = Instant.now();
            long finalStartNanos = System.nanoTime();
            Process last = CollectorProcess.start(List.of("-Xmx512m"), args, env, log);
            Recovery done;
            try {
                Thread.sleep(LIVE_TAIL.toMillis());
                live.stop();
                feeder.join(10_000);
                assertThat(feeder.isAlive()).as("live feed stopped").isFalse();
                done = awaitEverything(last, tenantId, Set.copyOf(expected), BACKFILL_BLOBS + live.blobs(), files, hook,
                        finalStartNanos, log);
            } finally {
                last.destroy();
                if (!last.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    last.destroyForcibly();
                    last.waitFor();
                }
            }
            System.out.println("KillNineFaultIT: final run from " + finalStart + ": " + done);

            Set<String> all = Set.copyOf(expected);
            List<String> stored = db.queryForList("SELECT id FROM audit_event WHERE tenant_id = ?", String.class, tenantId);
            int quarantined = db.queryForObject("SELECT COUNT(*) FROM quarantine WHERE tenant_id = ?", Integer.class, tenantId);
            int ledgered = db.queryForObject("SELECT COUNT(*) FROM blob_ledger WHERE tenant_id = ?", Integer.class, tenantId);
            int ledgeredNotCollected = db.queryForObject(
                    "SELECT COUNT(*) FROM blob_ledger WHERE tenant_id = ? AND status <> 'collected'", Integer.class, tenantId);
            int setAside = db.queryForObject("SELECT COUNT(*) FROM sink_set_aside", Integer.class);
            List<String> inFiles = SinkFiles.lines(files, tenantId).stream()
                    .map(n -> n.path("record").path("Id").asText()).toList();
            Set<String> atHook = hook.distinctRecordIds(tenantId);

            Tally store = Tally.of(all, stored);
            Tally fileTally = Tally.of(all, inFiles);
            Tally hookSeen = Tally.of(all, atHook);
            Tally hookTally = new Tally(hookSeen.expected(), hookSeen.lost(), hook.duplicateRecordArrivals(), hookSeen.unexpected());

            String logText = Files.readString(log);
            logText.lines().filter(l -> l.contains(" ERROR ") || l.contains(" WARN "))
                    .forEach(l -> System.out.println("KillNineFaultIT: collector log: " + l));
            long filesResent = logText.lines().filter(l -> l.contains("sink " + FILES_SINK + ": sending batch ") && l.contains(" again ")).count();
            long filesCut = logText.lines().filter(l -> l.contains("sink " + FILES_SINK + ": cutting ")).count();
            long hookResent = logText.lines().filter(l -> l.contains("sink " + HOOK_SINK + ": sending batch ") && l.contains(" again ")).count();
            String phases = phases(atKills);
            String runs = "seed " + seed + "; " + live.blobs() + " live blob(s) added during the runs";
            OptionalDouble within = done.failure == null ? OptionalDouble.of(done.seconds) : OptionalDouble.empty();
            FaultReport report = FaultReport.standard();
            report.append(FaultReport.Row.of("kill -9 ×" + kills + " (store)", kills, store, within,
                    phases + "; " + quarantined + " quarantined, " + ledgered + " of " + (BACKFILL_BLOBS + live.blobs())
                            + " blobs ledgered; " + runs));
            report.append(FaultReport.Row.of("kill -9 ×" + kills + " (files sink)", kills, fileTally, within,
                    behind(atKills, FILES_SINK) + "; after restarts the collector wrote " + filesResent + " pending batch(es) again and cut "
                            + filesCut + " file(s) back to the last confirmed length; " + inFiles.size() + " line(s) in rolled files; " + runs));
            report.append(FaultReport.Row.of("kill -9 ×" + kills + " (webhook sink)", kills, hookTally, within,
                    behind(atKills, HOOK_SINK) + "; after restarts the collector sent " + hookResent + " pending batch(es) again; retries: "
                            + hook.redeliveries() + " batch(es) (" + hook.redeliveredRecords()
                            + " record(s)) sent again under the same webhook-id, deduplicated by the receiver"
                            + (hook.alteredRedeliveries().isEmpty() ? "" : ", " + hook.alteredRedeliveries().size()
                            + " of them with other records than the first time")
                            + "; " + hook.rejectedSignatures() + " bad signature(s); " + runs));

            assertSoftly(soft -> {
                soft.assertThat(done.failure).as("final run").isNull();
                soft.assertThat(store.lost()).as("records lost by the store: %s", sample(missing(all, stored))).isZero();
                soft.assertThat(store.duplicated()).as("records stored twice").isZero();
                soft.assertThat(store.unexpected()).as("records stored that were never served").isZero();
                soft.assertThat(quarantined).as("quarantine rows (no blob was bad)").isZero();
                soft.assertThat(ledgered).as("blobs in blob_ledger").isEqualTo(BACKFILL_BLOBS + live.blobs());
                soft.assertThat(ledgeredNotCollected).as("ledgered blobs not 'collected'").isZero();
                soft.assertThat(setAside).as("records set aside by a sink").isZero();
                soft.assertThat(fileTally.lost()).as("records missing from the files: %s", sample(missing(all, inFiles))).isZero();
                soft.assertThat(fileTally.duplicated()).as("records written to the files more than once: %s", sample(repeated(inFiles)))
                        .isZero();
                soft.assertThat(fileTally.unexpected()).as("unexpected records in the files").isZero();
                soft.assertThat(hookTally.lost()).as("records the webhook never got: %s", sample(missing(all, atHook))).isZero();
                soft.assertThat(hook.duplicates()).as("records the webhook got again under another webhook-id").isEmpty();
                soft.assertThat(hookTally.unexpected()).as("unexpected records at the webhook").isZero();
                soft.assertThat(hook.alteredRedeliveries()).as("resends under a webhook-id with other records").isEmpty();
                soft.assertThat(hook.rejectedSignatures()).as("webhook requests with a bad signature: %s", hook.lastRejection()).isZero();
                soft.assertThat(hook.internalErrors()).as("errors inside the webhook receiver").isEmpty();
                soft.assertThat(hook.malformedBatches()).as("malformed webhook batches: %s", hook.lastRejection()).isZero();
                soft.assertThat(logText).as("log").doesNotContain(secret).doesNotContain(HOOK_SECRET);
            });
        } finally {
            live.stop();
        }
    }

    /**
     * Polls the files sink's open NDJSON files (not its state.json) until one grows (true), or gives up after
     * {@link #TRIGGER_TIMEOUT}: a kill right then lands while the batch is written or before it is confirmed.
     */
    private static boolean awaitActiveFileGrowth(Path files) throws InterruptedException {
        long deadline = System.nanoTime() + TRIGGER_TIMEOUT.toNanos();
        long size = activeBytes(files);
        while (System.nanoTime() < deadline) {
            long now = activeBytes(files);
            if (now > size) {
                return true;
            }
            size = now;   // a roll moves bytes out of .active/: count growth from here on
            Thread.sleep(1);
        }
        return false;
    }

    private static long activeBytes(Path files) {
        Path active = files.resolve(".active");
        if (!Files.isDirectory(active)) {
            return 0;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(active)) {
            return walk.mapToLong(f -> {
                try {
                    return f.getFileName().toString().endsWith(".ndjson") && Files.isRegularFile(f) ? Files.size(f) : 0;
                } catch (java.io.IOException goneMeanwhile) {
                    return 0;
                }
            }).sum();
        } catch (java.io.IOException | java.io.UncheckedIOException goneMeanwhile) {
            return 0;
        }
    }

    /** Waits until this run stored, ledgered or delivered something, so the kill lands mid-work. */
    private void awaitProgress(Process collector, Snapshot before, String tenantId, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            Snapshot now = snapshot(tenantId);
            if (now.stored > before.stored || now.ledgered() > before.ledgered()
                    || now.delivered(FILES_SINK) > before.delivered(FILES_SINK)
                    || now.delivered(HOOK_SINK) > before.delivered(HOOK_SINK)) {
                return;
            }
            if (!collector.isAlive()) {
                throw new AssertionError("the collector ended before doing anything; log:\n" + tail(log));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no progress within 120 s (" + now + "); log:\n" + tail(log));
            }
            Thread.sleep(100);
        }
    }

    /** Waits until everything is stored and delivered; on a time-out or a crash the failure says how far it got. */
    private Recovery awaitEverything(Process collector, String tenantId, Set<String> all, int blobs, Path files,
                                     WebhookReceiver hook, long startNanos, Path log) throws Exception {
        long deadline = startNanos + RECOVERY_TIMEOUT.toNanos();
        while (true) {
            Progress p = progress(tenantId, all, files, hook);
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            if (p.ledgered == blobs && p.stored == all.size() && p.inFiles == all.size() && p.atHook == all.size()) {
                return new Recovery(p, seconds, null);
            }
            if (!collector.isAlive()) {
                return new Recovery(p, seconds, "the final run ended by itself after " + seconds + " s: " + p + " of "
                        + all.size() + " records and " + blobs + " blobs; log:\n" + tail(log));
            }
            if (System.nanoTime() > deadline) {
                return new Recovery(p, seconds, "not everything stored and delivered within " + RECOVERY_TIMEOUT
                        + " of the final start: " + p + " of " + all.size() + " records and " + blobs + " blobs; " + hook
                        + "; log:\n" + tail(log));
            }
            Thread.sleep(500);
        }
    }

    record Recovery(Progress progress, double seconds, String failure) {
        @Override
        public String toString() {
            return failure == null ? String.format(java.util.Locale.ROOT, "caught up in %.1f s: %s", seconds, progress) : failure;
        }
    }

    /** Expected records stored / in rolled files / at the webhook, and blobs ledgered. */
    private Progress progress(String tenantId, Set<String> all, Path files, WebhookReceiver hook) {
        Set<String> stored = new HashSet<>(db.queryForList("SELECT id FROM audit_event WHERE tenant_id = ?", String.class, tenantId));
        stored.retainAll(all);
        Set<String> inFiles = SinkFiles.lines(files, tenantId).stream()
                .map(n -> n.path("record").path("Id").asText()).collect(Collectors.toCollection(HashSet::new));
        inFiles.retainAll(all);
        Set<String> atHook = new HashSet<>(hook.distinctRecordIds(tenantId));
        atHook.retainAll(all);
        return new Progress(count("blob_ledger"), stored.size(), inFiles.size(), atHook.size());
    }

    record Progress(int ledgered, int stored, int inFiles, int atHook) {
        @Override
        public String toString() {
            return ledgered + " blobs ledgered, " + stored + " records stored, " + inFiles + " in files, " + atHook + " at the webhook";
        }
    }

    /** Where the collector was when it was killed, read from its database (0 before the schema exists). */
    private Snapshot snapshot(String tenantId) {
        try {
            int stored = db.queryForObject("SELECT COUNT(*) FROM audit_event WHERE tenant_id = ?", Integer.class, tenantId);
            int backfill = db.queryForObject("SELECT COUNT(*) FROM blob_ledger WHERE tenant_id = ? AND content_id LIKE ?",
                    Integer.class, tenantId, "%$" + BACKFILL_TAG);
            int liveBlobs = db.queryForObject("SELECT COUNT(*) FROM blob_ledger WHERE tenant_id = ? AND content_id LIKE ?",
                    Integer.class, tenantId, "%$" + LIVE_TAG);
            Map<String, SinkAt> sinks = new java.util.HashMap<>();
            for (String sink : List.of(FILES_SINK, HOOK_SINK)) {
                List<SinkAt> at = db.query("""
                        SELECT p.delivered, p.pending_batch IS NOT NULL AS pending,
                          (SELECT COUNT(*) FROM audit_event a WHERE a.delivery_epoch IS NULL
                             OR a.delivery_epoch > p.epoch OR (a.delivery_epoch = p.epoch AND a.seq > p.seq)) AS behind
                        FROM sink_position p WHERE p.sink = ?""",
                        (rs, i) -> new SinkAt(rs.getLong("delivered"), rs.getBoolean("pending"), rs.getLong("behind")), sink);
                sinks.put(sink, at.isEmpty() ? new SinkAt(0, false, stored) : at.get(0));
            }
            return new Snapshot(stored, backfill, liveBlobs, sinks);
        } catch (RuntimeException notYetMigrated) {
            return new Snapshot(0, 0, 0, Map.of());
        }
    }

    record SinkAt(long delivered, boolean pending, long behind) {
    }

    record Snapshot(int stored, int backfillLedgered, int liveLedgered, Map<String, SinkAt> sinks) {
        int ledgered() {
            return backfillLedgered + liveLedgered;
        }

        long delivered(String sink) {
            SinkAt at = sinks.get(sink);
            return at == null ? 0 : at.delivered;
        }

        SinkAt sink(String sink) {
            return sinks.getOrDefault(sink, new SinkAt(0, false, stored));
        }

        @Override
        public String toString() {
            return stored + " records stored, backfill " + backfillLedgered + "/" + BACKFILL_BLOBS + " blobs, "
                    + liveLedgered + " live blobs; files sink " + sink(FILES_SINK) + "; webhook sink " + sink(HOOK_SINK);
        }
    }

    private static String phases(List<Kill> kills) {
        int duringBackfill = (int) kills.stream().filter(k -> k.at.backfillLedgered < BACKFILL_BLOBS).count();
        int liveCollecting = (int) kills.stream().filter(k -> k.at.liveLedgered > 0).count();
        int sinkBehind = (int) kills.stream()
                .filter(k -> k.at.sink(FILES_SINK).behind > 0 || k.at.sink(HOOK_SINK).behind > 0).count();
        String backfillAt = kills.stream().map(k -> String.valueOf(k.at.backfillLedgered)).collect(Collectors.joining(", "));
        return duringBackfill + " kill(s) during backfill (backfill blobs ledgered at each kill: " + backfillAt + " of "
                + BACKFILL_BLOBS + "), " + liveCollecting + " after live collection had begun, " + sinkBehind + " with a sink behind; "
                + moments(kills);
    }

    private static String moments(List<Kill> kills) {
        List<String> parts = new ArrayList<>();
        for (Moment m : Moment.values()) {
            long n = kills.stream().filter(k -> k.moment == m).count();
            long hit = kills.stream().filter(k -> k.moment == m && k.triggered).count();
            if (n > 0) {
                parts.add(m == Moment.RANDOM ? n + " " + m.text : n + " " + m.text + " (" + hit + " hit, " + (n - hit) + " missed)");
            }
        }
        return String.join(", ", parts);
    }

    private static String behind(List<Kill> kills, String sink) {
        int behind = (int) kills.stream().filter(k -> k.at.sink(sink).behind > 0).count();
        int pending = (int) kills.stream().filter(k -> k.at.sink(sink).pending).count();
        String records = kills.stream().map(k -> String.valueOf(k.at.sink(sink).behind)).collect(Collectors.joining(", "));
        int duringBackfill = (int) kills.stream().filter(k -> k.at.backfillLedgered < BACKFILL_BLOBS).count();
        return kills.size() + " kill(s): " + duringBackfill + " during backfill, " + behind + " with this sink behind (records behind: "
                + records + "), " + pending + " with a batch claimed and not confirmed; " + moments(kills);
    }

    private static String idOf(String record) {
        int at = record.indexOf("\"Id\":\"") + 6;
        return record.substring(at, at + 36);
    }

    private static List<String> missing(Set<String> all, java.util.Collection<String> seen) {
        Set<String> s = new HashSet<>(seen);
        return all.stream().filter(id -> !s.contains(id)).sorted().toList();
    }

    private static List<String> repeated(List<String> ids) {
        Set<String> seen = new HashSet<>();
        return ids.stream().filter(id -> !seen.add(id)).distinct().sorted().toList();
    }

    private static String sample(List<String> ids) {
        return ids.size() + " " + ids.subList(0, Math.min(20, ids.size())) + (ids.size() > 20 ? "…" : "");
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }

    /** Adds a new blob every 0.5-1 s, dated now, until stopped; every fifth repeats a record of the one before. */
    static final class LiveFeed implements Runnable {
        private final SimulatedTenant sim;
        private final String tenantId;
        private final Set<String> expected;
        private final Random random;
        private final AtomicInteger added = new AtomicInteger();
        private volatile boolean running = true;
        private String lastRecord;

        LiveFeed(SimulatedTenant sim, String tenantId, Set<String> expected, Random random, String lastRecord) {
            this.sim = sim;
            this.tenantId = tenantId;
            this.expected = expected;
            this.random = random;
            this.lastRecord = lastRecord;
        }

        @Override
        public void run() {
            while (running) {
                try {
                    Thread.sleep(500 + random.nextInt(501));
                } catch (InterruptedException e) {
                    return;
                }
                if (!running) {
                    return;
                }
                int i = added.get();
                Instant created = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                List<String> records = new ArrayList<>(TestRecords.records(LIVE_RECORDS_PER_BLOB, tenantId, created));
                if (i % 5 == 0) {
                    records.add(lastRecord);   // repeated across blobs, as the API does
                }
                records.forEach(r -> expected.add(idOf(r)));   // expected before the simulator can serve it
                sim.addBlob(SimBlob.ofRecords("Audit.Exchange", TestRecords.contentId(LIVE_TAG, i), created, created, records));
                lastRecord = records.get(0);
                added.incrementAndGet();
            }
        }

        void stop() {
            running = false;
        }

        int blobs() {
            return added.get();
        }
    }
}
