package org.o365audit.simulator;

/** How a throttled Management Activity API call is answered. */
public enum ThrottleStyle {
    /** HTTP 429 with the AF429 body, optionally with a Retry-After header. */
    HTTP_429,
    /** HTTP 403 with the AF429 body and no Retry-After: the form shown in Microsoft's troubleshooting page. */
    HTTP_403_AF429,
    /** Not a throttle but the other transient answer a collector must retry: HTTP 500 AF50000 (internal error). */
    HTTP_500_AF50000
}
