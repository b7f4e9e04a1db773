package org.o365audit.simulator;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * How long after it happened a Power BI or Dynamics 365 event reaches the APIs in the demo feed:
 * 1 to 72 hours, mostly a few hours, sometimes close to the 72 hours Defender for Cloud Apps warns
 * of (o365-api.md sections 3 and 4.1). A collector that moves a watermark by event time loses these.
 */
final class ReportingDelay {

    static final Duration MIN = Duration.ofHours(1);
    static final Duration MAX = Duration.ofHours(72);

    private static final long HOUR = 3600;

    private ReportingDelay() {
    }

    static Duration sample(SplittableRandom random) {
        double p = random.nextDouble();
        long seconds;
        if (p < 0.75) {
            seconds = HOUR + random.nextLong(3 * HOUR); // 1-4 h: most events
        } else if (p < 0.92) {
            seconds = 4 * HOUR + random.nextLong(44 * HOUR); // 4-48 h
        } else {
            seconds = 60 * HOUR + random.nextLong(12 * HOUR + 1); // 60-72 h: the worst case
        }
        return Duration.ofSeconds(seconds);
    }
}
