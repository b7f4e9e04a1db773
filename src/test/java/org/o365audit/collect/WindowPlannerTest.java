package org.o365audit.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.o365audit.config.O365Properties;

class WindowPlannerTest {
    private static final Instant NOW = TestRecords.NOW;
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration SEVEN_DAYS = Duration.ofDays(7);

    private static WindowPlanner planner(Duration backfill, Duration lookBack) {
        O365Properties props = new O365Properties();
        props.setBackfill(backfill);
        props.setLookBack(lookBack);
        return new WindowPlanner(null, props, new org.o365audit.api.ServerClock(TestRecords.clock()), null, null, null);
    }

    /** Windows of at most 24 h, none empty, each starting where the one before ended, the last ending now. */
    private static void assertTiles(List<ListingWindow> windows, Instant start, Instant end) {
        assertThat(windows).isNotEmpty();
        assertThat(windows.get(0).start()).isEqualTo(start);
        assertThat(windows.get(windows.size() - 1).end()).isEqualTo(end);
        for (int i = 0; i < windows.size(); i++) {
            ListingWindow w = windows.get(i);
            assertThat(w.start()).as("window %d %s", i, w).isBefore(w.end());
            assertThat(Duration.between(w.start(), w.end())).as("window %d %s", i, w).isLessThanOrEqualTo(DAY);
            if (i > 0) {
                assertThat(w.start()).as("window %d starts where %d ended", i, i - 1).isEqualTo(windows.get(i - 1).end());
            }
        }
    }

    @Test
    void firstRunBackfillsSevenDaysInContiguousWindowsOfAtMost24Hours() {
        List<ListingWindow> windows = planner(SEVEN_DAYS, Duration.ofHours(6)).windows(null, NOW);

        Instant start = windows.get(0).start();
        assertTiles(windows, start, NOW);
        assertThat(start).isAfterOrEqualTo(NOW.minus(SEVEN_DAYS));
        assertThat(start).as("backfill reaches (almost) the full 7 days").isBefore(NOW.minus(SEVEN_DAYS).plus(Duration.ofHours(1)));
        assertThat(windows).hasSize(7);
    }

    @Test
    void startIsNeverEarlierThanSevenDaysBeforeNow() {
        for (Duration backfill : List.of(Duration.ofDays(6), SEVEN_DAYS, Duration.ofDays(7).plusMinutes(1), Duration.ofDays(8))) {
            List<ListingWindow> windows = planner(backfill, Duration.ofHours(6)).windows(null, NOW);

            assertThat(windows.get(0).start()).as("backfill %s", backfill).isAfterOrEqualTo(NOW.minus(SEVEN_DAYS));
        }
    }

    @Test
    void backfillLongerThanSevenDaysIsClamped() {
        List<ListingWindow> clamped = planner(Duration.ofDays(30), Duration.ofHours(6)).windows(null, NOW);
        List<ListingWindow> sevenDays = planner(SEVEN_DAYS, Duration.ofHours(6)).windows(null, NOW);

        assertThat(clamped.get(0).start()).isAfterOrEqualTo(NOW.minus(SEVEN_DAYS));
        assertThat(clamped).isEqualTo(sevenDays);
        assertTiles(clamped, clamped.get(0).start(), NOW);
    }

    @Test
    void shortBackfillIsOneWindow() {
        List<ListingWindow> windows = planner(Duration.ofHours(3), Duration.ofHours(6)).windows(null, NOW);

        assertThat(windows).containsExactly(new ListingWindow(NOW.minus(Duration.ofHours(3)), NOW));
    }

    @Test
    void recentCursorStillRelistsTheLookBack() {
        Instant cursor = NOW.minus(Duration.ofMinutes(2));

        List<ListingWindow> windows = planner(SEVEN_DAYS, Duration.ofHours(12)).windows(cursor, NOW);

        assertThat(windows).containsExactly(new ListingWindow(NOW.minus(Duration.ofHours(12)), NOW));
    }

    @Test
    void cursorOlderThanTheLookBackStartsFromTheCursor() {
        Instant cursor = NOW.minus(Duration.ofHours(30));

        List<ListingWindow> windows = planner(SEVEN_DAYS, Duration.ofHours(6)).windows(cursor, NOW);

        assertTiles(windows, cursor, NOW);
        assertThat(windows).containsExactly(
                new ListingWindow(cursor, cursor.plus(DAY)),
                new ListingWindow(cursor.plus(DAY), NOW));
    }

    @Test
    void cursorNineDaysOldIsClampedToTheSevenDayHorizon() {
        Instant cursor = NOW.minus(Duration.ofDays(9));

        List<ListingWindow> windows = planner(SEVEN_DAYS, Duration.ofHours(6)).windows(cursor, NOW);

        Instant start = windows.get(0).start();
        assertThat(start).isAfterOrEqualTo(NOW.minus(SEVEN_DAYS));
        assertThat(start).isBefore(NOW.minus(SEVEN_DAYS).plus(Duration.ofHours(1)));
        assertTiles(windows, start, NOW);
    }

    @Test
    void lookBackLongerThanSevenDaysIsClamped() {
        List<ListingWindow> windows = planner(SEVEN_DAYS, Duration.ofDays(10)).windows(NOW.minus(Duration.ofMinutes(1)), NOW);

        assertThat(windows.get(0).start()).isAfterOrEqualTo(NOW.minus(SEVEN_DAYS));
        assertTiles(windows, windows.get(0).start(), NOW);
    }

    @Test
    void cursorAheadOfTheClockStillRelistsTheLookBack() {
        List<ListingWindow> windows = planner(SEVEN_DAYS, Duration.ofHours(6)).windows(NOW.plus(Duration.ofMinutes(5)), NOW);

        assertThat(windows).containsExactly(new ListingWindow(NOW.minus(Duration.ofHours(6)), NOW));
    }
}
