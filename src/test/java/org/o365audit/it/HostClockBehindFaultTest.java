package org.o365audit.it;

import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;

/** Fault suite: this host's clock 10 minutes behind Microsoft's, on PostgreSQL. */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_skew_behind",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_skew_behind",
        "spring.flyway.create-schemas=true"})
@Import(HostClockBehindFaultTest.Behind.class)
class HostClockBehindFaultTest extends SkewedHostClockFaults {
    static {
        Postgres.dropSchema("o365_skew_behind");
    }

    @TestConfiguration
    static class Behind {
        @Bean
        @Primary
        Clock behindClock() {
            return offset(Duration.ofMinutes(-10));
        }
    }

    @Override
    Duration skew() {
        return Duration.ofMinutes(-10);
    }
}
