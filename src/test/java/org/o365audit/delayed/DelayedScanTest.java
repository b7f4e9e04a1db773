package org.o365audit.delayed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.o365audit.collect.ListingWindow;

class DelayedScanTest {

    @Test
    void windowsStayInsideOneUtcDayAndTileTheScan() {
        Instant from = Instant.parse("2026-11-21T17:42:10Z");
        Instant now = Instant.parse("2026-11-25T09:15:00Z");
        List<ListingWindow> w = DelayedScan.windows(from, now);
        assertThat(w).hasSize(5);
        assertThat(w.get(0).start()).isEqualTo(from);
        assertThat(w.get(w.size() - 1).end()).isEqualTo(now);
        for (int i = 0; i < w.size(); i++) {
            ListingWindow x = w.get(i);
            assertThat(x.start().atZone(ZoneOffset.UTC).toLocalDate())
                    .isEqualTo(x.end().minusSeconds(1).atZone(ZoneOffset.UTC).toLocalDate());
            if (i > 0) {
                assertThat(x.start()).isEqualTo(w.get(i - 1).end());
            }
        }
    }

    @Test
    void nothingToScanWhenTheWatermarkIsNow() {
        Instant now = Instant.parse("2026-11-25T09:15:00Z");
        assertThat(DelayedScan.windows(now, now)).isEmpty();
    }
}
