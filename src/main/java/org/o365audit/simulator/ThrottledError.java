package org.o365audit.simulator;

import java.time.Duration;

/** An error answer that tells the client when to come back: Retry-After in whole seconds, rounded up. */
final class ThrottledError extends ApiError {

    private final Duration retryAfter;

    /** @param retryAfter null sends no Retry-After, as the Management API sometimes does */
    ThrottledError(int status, String code, String message, Duration retryAfter) {
        super(status, code, message);
        this.retryAfter = retryAfter;
    }

    static String seconds(Duration d) {
        return Long.toString(d.toSeconds() + (d.toNanosPart() > 0 ? 1 : 0));
    }

    @Override
    SimResponse toResponse() {
        SimResponse response = super.toResponse();
        if (retryAfter != null) {
            response.header("Retry-After", seconds(retryAfter));
        }
        return response;
    }
}
