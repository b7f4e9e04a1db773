package org.o365audit.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The Graph sign-in log of one simulated tenant (auditLogs/signIns). Thread-safe; tests add while the collector reads. */
public final class SimulatedSignIns {
    private final List<SimSignIn> log = new ArrayList<>();

    public synchronized void add(SimSignIn... signIns) {
        log.addAll(List.of(signIns));
    }

    /** Those created in [from, to] (either end may be null), newest first as Graph answers. */
    synchronized List<SimSignIn> between(Instant from, Instant to) {
        return log.stream()
                .filter(s -> (from == null || !s.createdDateTime().isBefore(from)) && (to == null || !s.createdDateTime().isAfter(to)))
                .sorted(Comparator.comparing(SimSignIn::createdDateTime).reversed().thenComparing(SimSignIn::id))
                .toList();
    }
}
