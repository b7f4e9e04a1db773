package org.o365audit.simulator;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Errors a test asks the simulated API to answer for chosen requests (a blob that expired or vanished, a
 * burst of 5xx on one blob, a listing that fails for one window, a stale nextPage), each a given number
 * of times. The answers are the documented ones (status, AF code, message). A request can also be made slow
 * (a blob the API takes seconds to serve), a given number of times.
 */
final class FaultBook {
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<Delay> delays = new CopyOnWriteArrayList<>();

    void delay(String operation, Predicate<SimRequest> when, int times, Duration delay) {
        delays.add(new Delay(operation, when, new AtomicInteger(times), delay));
    }

    void add(String operation, Predicate<SimRequest> when, int times, int status, String code, String message) {
        faults.add(new Fault(operation, when, new AtomicInteger(times), status, code, message));
    }

    /** Throws the first pending fault that matches the request, using one of its times. */
    void apply(String operation, SimRequest request) {
        for (Delay d : delays) {
            if (d.operation.equals(operation) && d.when.test(request) && d.left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                try {
                    Thread.sleep(d.delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (Fault f : faults) {
            if (f.operation.equals(operation) && f.when.test(request) && f.left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new ApiError(f.status, f.code, f.message);
            }
        }
    }

    private record Delay(String operation, Predicate<SimRequest> when, AtomicInteger left, Duration delay) {
    }

    private record Fault(String operation, Predicate<SimRequest> when, AtomicInteger left, int status, String code,
            String message) {
    }
}
