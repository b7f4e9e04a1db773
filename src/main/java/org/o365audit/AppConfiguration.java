package org.o365audit;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class AppConfiguration {
    /** All time decisions (windows, back-off, lag) read this clock, in UTC. */
    @Bean
    public Clock clock() {
        return Clock.systemUTC();
    }
}
