package org.o365audit.it;

import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;

/** Fault suite: this host's clock 10 minutes ahead of Microsoft's, on PostgreSQL. */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_skew_ahead",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_skew_ahead",
        "spring.flyway.create-schemas=true"})
@Import(HostClockAheadFaultTest.Ahead.class)
class HostClockAheadFaultTest extends SkewedHostClockFaults {
    static {
        Postgres.dropSchema("o365_skew_ahead");
    }

    @TestConfiguration
    static class Ahead {
        @Bean
        @Primary
        Clock aheadClock() {
            return offset(Duration.ofMinutes(10));
        }
    }

    @Override
    Duration skew() {
        return Duration.ofMinutes(10);
    }
}
