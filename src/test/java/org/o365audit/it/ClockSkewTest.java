package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.o365audit.simulator.RecordedRequest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;

/**
 * This host's clock runs two hours late. By our clock the backfill would start 7 days and 1 h 50 min
 * back by Microsoft's, which the API refuses (AF20030); the collector follows the server's Date header
 * (seen on the first answer) so every window is valid and ends at the server's now.
 */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:skew;DB_CLOSE_DELAY=-1")
@Import(ClockSkewTest.LateClock.class)
class ClockSkewTest extends CollectorTestBase {

    @TestConfiguration
    static class LateClock {
        @Bean
        @Primary
        Clock lateClock() {
            return Clock.offset(Clock.systemUTC(), Duration.ofHours(-2));
        }
    }

    @Test
    void followsTheServersClockWhenOursRunsLate() {
        TestTenant t = tenant();
        t.sim().addBlob(blob(t, "skew", 0, minutesAgo(30), 2));
        start(t);
        awaitStored(t, 2);
        List<RecordedRequest> listings = apiCalls(t, "/subscriptions/content");
        assertThat(listings).isNotEmpty().allMatch(r -> r.status() == 200, "no window refused");
        RecordedRequest first = listings.get(0);
        assertThat(LocalDateTime.parse(first.query().get("startTime")).toInstant(ZoneOffset.UTC))
                .as("the backfill starts within 7 days by the server's clock").isAfter(first.at().minus(Duration.ofDays(7)));
        RecordedRequest last = listings.get(listings.size() - 1);
        assertThat(LocalDateTime.parse(last.query().get("endTime")).toInstant(ZoneOffset.UTC))
                .as("windows end at the server's now").isAfter(last.at().minus(Duration.ofMinutes(5)));
    }
}
