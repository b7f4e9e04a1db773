package org.o365audit.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The time as Microsoft's servers see it, per tenant. Listing windows must start at most 7 days back
 * by the server's clock: a host clock that runs late makes every listing fail with AF20030/AF20055
 * (shared/docs/o365-api.md 7.14). Every answer's {@code Date} header is compared with our clock; an
 * offset of a minute or more is applied to the windows and logged when it changes.
 */
@Component
public class ServerClock {
    static final Duration IGNORED_SKEW = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(ServerClock.class);

    private final ConcurrentMap<String, Duration> offsets = new ConcurrentHashMap<>();
    /** The last Date header seen per tenant, parsed: answers within the same second repeat it (no parse per blob). */
    private final ConcurrentMap<String, Seen> lastSeen = new ConcurrentHashMap<>();
    private final Clock clock;

    public ServerClock(Clock clock) {
        this.clock = clock;
    }

    /** Notes the server's {@code Date} header (RFC 1123) of an answer for the tenant. */
    public void observe(String tenantId, String tenantName, String dateHeader) {
        if (dateHeader == null || dateHeader.isBlank()) {
            return;
        }
        Seen seen = lastSeen.get(tenantId);
        Instant server;
        if (seen != null && seen.header().equals(dateHeader)) {
            server = seen.at();
        } else {
            try {
                server = ZonedDateTime.parse(dateHeader.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (RuntimeException unparseable) {
                return;
            }
            lastSeen.put(tenantId, new Seen(dateHeader, server));
        }
        Duration skew = Duration.between(clock.instant(), server);
        Duration applied = skew.abs().compareTo(IGNORED_SKEW) < 0 ? Duration.ZERO : skew;
        Duration before = offsets.put(tenantId, applied);
        if (before == null ? !applied.isZero() : before.minus(applied).abs().compareTo(Duration.ofSeconds(30)) > 0) {
            LOG.warn("tenant {}: Microsoft's clock is {} {} ours; listing windows follow the server's time "
                    + "(check NTP on this host)", tenantName, applied.abs(), applied.isNegative() ? "behind" : "ahead of");
        }
    }

    /** Now, by the tenant's servers' clock as last seen. */
    public Instant now(String tenantId) {
        return clock.instant().plus(offsets.getOrDefault(tenantId, Duration.ZERO));
    }

    private record Seen(String header, Instant at) {
    }
}
