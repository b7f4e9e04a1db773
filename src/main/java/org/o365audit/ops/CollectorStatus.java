package org.o365audit.ops;

import com.microsoft.aad.msal4j.MsalServiceException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.o365audit.api.GraphErrors;
import org.o365audit.api.ManagementApiException;
import org.o365audit.api.TenantBackingOffException;
import org.o365audit.auth.TokenException;
import org.o365audit.collect.CollectorEvents;
import org.o365audit.collect.DelayedFeed;
import org.o365audit.collect.ListingWindow;
import org.o365audit.config.Tenant;
import org.o365audit.config.TenantComponent;
import org.o365audit.record.BlobStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The state of every collecting component (tenant × content type, tenant × delayed feed), fed by the poll
 * routes' steps, and the same figures as Micrometer meters tagged tenant and content_type.
 */
@Component("collectorStatus")
public class CollectorStatus implements CollectorEvents {
    public static final String CONTENT_TYPE = "content-type";
    public static final String DELAYED_FEED = "delayed-feed";
    /** accounts, apps, signins: read from Microsoft Graph (o365.tenants[i].components). */
    public static final String GRAPH = "graph";
    private static final Logger PROGRESS = LoggerFactory.getLogger("org.o365audit.progress");

    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<String, ComponentStatus> components = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public CollectorStatus(MeterRegistry meters, Clock clock) {
        this.meters = meters;
        this.clock = clock;
    }

    /** The tenant's components, created (with their meters) the first time. */
    @Override
    public void register(Tenant t) {
        for (String ct : t.contentTypes()) {
            components.computeIfAbsent(key(t.tenantId(), ct), k -> create(t, CONTENT_TYPE, ct));
        }
        for (DelayedFeed f : DelayedFeed.of(t)) {
            components.computeIfAbsent(key(t.tenantId(), f.describe()), k -> create(t, DELAYED_FEED, f.describe()));
        }
        for (TenantComponent g : t.components()) {
            if (g.template() != null) {
                components.computeIfAbsent(key(t.tenantId(), g.key()), k -> create(t, GRAPH, g.key())).permissions(g.permissions());
            }
        }
    }

    @Override
    public void summary(String tenantId, String name, String summary) {
        with(tenantId, name, c -> c.summary(summary));
    }

    @Override
    public void cursorFrom(String tenantId, String name, Instant cursor) {
        with(tenantId, name, c -> c.cursorFrom(cursor));
    }

    public List<ComponentStatus> of(String tenantId) {
        return components.values().stream().filter(c -> c.tenantId().equals(tenantId))
                .sorted((a, b) -> a.kind().equals(b.kind()) ? a.name().compareTo(b.name()) : a.kind().compareTo(b.kind()))
                .toList();
    }

    public ComponentStatus get(String tenantId, String name) {
        return components.get(key(tenantId, name));
    }

    @Override
    public void pollStarted(String tenantId, String name) {
        with(tenantId, name, c -> c.attempt(clock.instant()));
    }

    /** A poll with more than one window is catching up (the first week, or after a pause): track its progress. */
    @Override
    public void planned(String tenantId, String name, List<ListingWindow> windows) {
        with(tenantId, name, c -> c.backfill(windows.size() > 1
                ? new ComponentStatus.Backfill(0, windows.size(), clock.instant(), null) : null));
    }

    @Override
    public void windowDone(String tenantId, String name, ListingWindow window, boolean cursorMoved) {
        with(tenantId, name, c -> {
            if (cursorMoved) {
                c.cursor(window.end());
            }
            ComponentStatus.Backfill b = c.backfill();
            if (b != null) {
                int done = b.windowsDone() + 1;
                Instant now = clock.instant();
                Duration perWindow = Duration.between(b.startedAt(), now).dividedBy(done);
                Instant eta = now.plus(perWindow.multipliedBy(b.windowsTotal() - done));
                c.backfill(new ComponentStatus.Backfill(done, b.windowsTotal(), b.startedAt(), eta));
                PROGRESS.info("tenant {} {}: catching up, {}/{} windows ({}%), ETA {}", c.tenantName(), name, done,
                        b.windowsTotal(), c.backfill().percent(), eta.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            }
        });
    }

    @Override
    public void collected(String tenantId, String name, BlobStats stats, boolean blob) {
        ComponentStatus c = get(tenantId, name);
        if (c == null) {
            return;
        }
        c.collected(blob ? 1 : 0, stats.storedCount(), stats.quarantinedCount(), stats.newestEvent());
        if (blob) {
            counter(c, "o365.collector.blobs", null).increment();
        }
        stats.storedByApp().forEach((app, n) -> counter(c, "o365.collector.records", app).increment(n));
        if (stats.quarantinedCount() > 0) {
            counter(c, "o365.collector.quarantined", null).increment(stats.quarantinedCount());
        }
    }

    /** The component's counter, looked up once: every blob of every poll counts on it. */
    private Counter counter(ComponentStatus c, String name, String app) {
        String key = key(c.tenantId(), c.name()) + "|" + name + "|" + app;
        return counters.computeIfAbsent(key, k -> meters.counter(name, app == null ? tags(c) : tags(c).and("app", app)));
    }

    @Override
    public void succeeded(String tenantId, String name) {
        with(tenantId, name, c -> {
            c.succeeded(clock.instant());
            ComponentStatus.Backfill b = c.backfill();
            if (b != null && b.windowsDone() >= b.windowsTotal()) {
                c.backfill(null);
            }
        });
    }

    @Override
    public void settled(String tenantId, String name, Instant settledUntil) {
        with(tenantId, name, c -> c.settledUntil(settledUntil));
    }

    @Override
    public void newestEvent(String tenantId, String name, Instant newest) {
        with(tenantId, name, c -> c.newestEvent(newest));
    }

    /** A poll ended with an error: classify it into a state, an error code and advice. */
    @Override
    public void failed(String tenantId, String name, Throwable e) {
        ComponentStatus c = get(tenantId, name);
        if (c == null || e == null) {
            return;
        }
        if (c.kind().equals(GRAPH) && (e instanceof TenantBackingOffException
                || e instanceof ManagementApiException m && m.throttled())) {
            c.throttled();
            c.failed(ComponentStatus.State.BACKING_OFF, "throttled",
                    Troubleshooting.graphAdvice(c.name(), "throttled", c.permissions(), e.getMessage()));
            meters.counter("o365.collector.throttled", tags(c)).increment();
            return;
        }
        String code;
        ComponentStatus.State state;
        if (e instanceof TenantBackingOffException) {
            code = "AF429";
            state = ComponentStatus.State.BACKING_OFF;
        } else if (c.kind().equals(GRAPH) && (GraphErrors.missingPermission(e) || GraphErrors.licenceMissing(e))) {
            ManagementApiException api = (ManagementApiException) e;
            code = GraphErrors.licenceMissing(e) ? "licence" : "permission";
            state = ComponentStatus.State.ERROR;
            c.failed(state, code, Troubleshooting.graphAdvice(c.name(), code, c.permissions(), api.getMessage()));
            meters.counter("o365.collector.poll.failures", tags(c).and("code", code)).increment();
            return;
        } else if (e instanceof ManagementApiException api) {
            code = api.code() != null ? api.code() : "HTTP_" + api.status();
            if (api.throttled()) {
                code = "AF429";
                c.throttled();
                meters.counter("o365.collector.throttled", tags(c)).increment();
                state = ComponentStatus.State.BACKING_OFF;
            } else if (api.retriable() && c.consecutiveFailures() < 2) {
                state = ComponentStatus.State.BACKING_OFF;
            } else {
                state = ComponentStatus.State.ERROR;
            }
        } else if (e instanceof TokenException) {
            code = tokenErrorCode(e);
            state = ComponentStatus.State.ERROR;
            meters.counter("o365.token.failures", Tags.of("tenant", c.tenantName())).increment();
        } else {
            code = e.getClass().getSimpleName();
            state = c.consecutiveFailures() < 2 ? ComponentStatus.State.BACKING_OFF : ComponentStatus.State.ERROR;
        }
        c.failed(state, code, Troubleshooting.advice(code, e.getMessage()));
        meters.counter("o365.collector.poll.failures", tags(c).and("code", code)).increment();
    }

    @Override
    public void paused(String tenantId, boolean paused) {
        components.values().stream().filter(c -> c.tenantId().equals(tenantId)).forEach(c -> c.paused(paused));
    }

    /** invalid_client, unauthorized_client, ... from msal4j's answer; "token" when there was no answer. */
    static String tokenErrorCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MsalServiceException m && m.errorCode() != null) {
                return m.errorCode();
            }
        }
        return "token";
    }

    private ComponentStatus create(Tenant t, String kind, String name) {
        ComponentStatus c = new ComponentStatus(t.tenantId(), t.name(), kind, name);
        Tags tags = tags(c);
        gauge("o365.collector.last.success.seconds", tags, c, s -> epoch(s.lastSuccess()));
        gauge("o365.collector.newest.event.seconds", tags, c, s -> epoch(s.newestEvent()));
        gauge("o365.collector.cursor.seconds", tags, c, s -> epoch(s.cursor()));
        gauge("o365.collector.lag.seconds", tags, c, s -> {
            Long lag = s.lagSeconds(clock.instant());
            return lag == null ? Double.NaN : lag;
        });
        gauge("o365.backfill.progress.ratio", tags, c, s -> s.backfill() == null ? 1.0 : s.backfill().percent() / 100.0);
        gauge("o365.backfill.eta.seconds", tags, c, s -> s.backfill() == null ? Double.NaN : epoch(s.backfill().eta()));
        for (ComponentStatus.State st : ComponentStatus.State.values()) {
            gauge("o365.collector.state", tags.and("state", st.name().toLowerCase()), c, s -> s.state() == st ? 1 : 0);
        }
        if (kind.equals(DELAYED_FEED)) {
            gauge("o365.delayed.settled.seconds", Tags.of("tenant", t.name(), "feed", name), c, s -> epoch(s.settledUntil()));
        }
        Counter.builder("o365.token.failures").tags("tenant", t.name()).register(meters);
        return c;
    }

    private void gauge(String name, Tags tags, ComponentStatus c, ToDoubleFunction<ComponentStatus> f) {
        Gauge.builder(name, c, f).tags(tags).strongReference(true).register(meters);
    }

    private static double epoch(Instant t) {
        return t == null ? Double.NaN : t.getEpochSecond();
    }

    private static Tags tags(ComponentStatus c) {
        return Tags.of("tenant", c.tenantName(), "content_type", c.name());
    }

    private void with(String tenantId, String name, java.util.function.Consumer<ComponentStatus> f) {
        ComponentStatus c = get(tenantId, name);
        if (c != null) {
            f.accept(c);
        }
    }

    private static String key(String tenantId, String name) {
        return tenantId + "|" + name;
    }
}
