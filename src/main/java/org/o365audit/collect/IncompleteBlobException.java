package org.o365audit.collect;

/**
 * A blob's body broke off or is not an array of records on an attempt that is not its last: the blob fails
 * (its transaction rolls back, the attempt is counted) and is fetched again on the next poll.
 */
public class IncompleteBlobException extends RuntimeException {
    public IncompleteBlobException(String message) {
        super(message);
    }
}
