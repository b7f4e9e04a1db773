package org.o365audit.collect;

/**
 * An operator paused the tenant while one of its polls was under way (possibly on another node): the poll ends
 * before its next listing page. Blobs already started finish; the window is not completed, so the cursor stays
 * where it was and the poll after the resume goes on from there.
 */
public class TenantPausedException extends RuntimeException {
    public TenantPausedException(String tenantName) {
        super("tenant " + tenantName + " was paused by an operator");
    }
}
