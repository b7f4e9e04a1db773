package org.o365audit.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Subscription states of one tenant, and the start calls made against them. */
final class SubscriptionBook {

    /**
     * The real service requires a 15-minute wait after a start request before another one
     * (Management Activity API reference); Elastic saw it answer "Too many frequent subscription
     * start requests. Please retry again after 14m 56s" when it started on every poll.
     */
    static final Duration START_INTERVAL = Duration.ofMinutes(15);

    enum StartOutcome { STARTED, ALREADY_ENABLED, TOO_SOON }

    record StartResult(StartOutcome outcome, Duration retryAfter) {
    }

    /** A subscription's webhook as /subscriptions/list shows it; status enabled, disabled or expired. */
    record Webhook(String address, String authId, String expiration, String status) {
        Webhook withStatus(String s) {
            return new Webhook(address, authId, expiration, s);
        }

        boolean sameAs(Webhook o) {
            return o != null && address.equals(o.address) && java.util.Objects.equals(authId, o.authId)
                    && java.util.Objects.equals(expiration, o.expiration);
        }
    }

    private final Map<String, Webhook> webhooks = new HashMap<>();
    private final Map<String, SubscriptionState> states = new HashMap<>();
    private final Map<String, Integer> startCalls = new HashMap<>();
    private final Map<String, Instant> lastAcceptedStart = new HashMap<>();

    synchronized void set(String contentType, SubscriptionState state) {
        states.put(contentType, state);
    }

    synchronized SubscriptionState get(String contentType) {
        return states.getOrDefault(contentType, SubscriptionState.NONE);
    }

    synchronized int startCalls(String contentType) {
        return startCalls.getOrDefault(contentType, 0);
    }

    synchronized void countStartCall(String contentType) {
        startCalls.merge(contentType, 1, Integer::sum);
    }

    synchronized Webhook webhook(String contentType) {
        return webhooks.get(contentType);
    }

    synchronized void webhook(String contentType, Webhook hook) {
        if (hook == null) {
            webhooks.remove(contentType);
        } else {
            webhooks.put(contentType, hook);
        }
    }

    /** A start request that counts (for the 15-minute rule): null, or how long to wait (and nothing is recorded). */
    synchronized Duration acceptStart(String contentType, Instant now) {
        Instant last = lastAcceptedStart.get(contentType);
        if (last != null && now.isBefore(last.plus(START_INTERVAL))) {
            return Duration.between(now, last.plus(START_INTERVAL));
        }
        lastAcceptedStart.put(contentType, now);
        return null;
    }

    /** Tests: the last start request is forgotten, as if 15 minutes had passed. */
    synchronized void forgetStarts() {
        lastAcceptedStart.clear();
    }

    /** Applies a start request; a throttled start does not restart the 15-minute wait. */
    synchronized StartResult start(String contentType, Instant now) {
        Instant last = lastAcceptedStart.get(contentType);
        if (last != null && now.isBefore(last.plus(START_INTERVAL))) {
            return new StartResult(StartOutcome.TOO_SOON, Duration.between(now, last.plus(START_INTERVAL)));
        }
        lastAcceptedStart.put(contentType, now);
        if (get(contentType) == SubscriptionState.ENABLED) {
            return new StartResult(StartOutcome.ALREADY_ENABLED, Duration.ZERO);
        }
        states.put(contentType, SubscriptionState.ENABLED);
        return new StartResult(StartOutcome.STARTED, Duration.ZERO);
    }
}
