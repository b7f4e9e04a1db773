package org.o365audit.collect;

import org.o365audit.api.ContentBlob;

/**
 * A listed blob that is not in the ledger yet, with its failed attempts so far (0 and null when none), read for
 * its whole listing page at once so that collecting it asks the database nothing before its transaction.
 */
public record ListedBlob(ContentBlob blob, int failedAttempts, String lastError) {

    public static ListedBlob fresh(ContentBlob blob) {
        return new ListedBlob(blob, 0, null);
    }
}
