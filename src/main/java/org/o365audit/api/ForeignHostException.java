package org.o365audit.api;

/** A URL from a listing points outside the tenant's API host; the token is never sent there. */
public class ForeignHostException extends RuntimeException {
    public ForeignHostException(String message) {
        super(message);
    }
}
