package org.o365audit.sink.format;

import java.util.Set;

/**
 * What {@code _bulk} said about one action, in request order.
 *
 * @param index the action's position in the request, 0-based
 * @param action create, index, update or delete
 * @param errorType e.g. version_conflict_engine_exception, mapper_parsing_exception; null without an error
 */
public record BulkItemResult(int index, String action, String id, int status, String errorType,
                             String errorReason, Disposition disposition) {

    public enum Disposition {
        /** In the index: 2xx, or 409 on create, which means an earlier attempt already stored it. */
        STORED,
        /** The cluster could not take it now (429, 5xx): resend this item alone, with backoff. */
        RETRY,
        /** The document itself was refused (a mapping error, other 4xx): resending cannot help, set it aside. */
        REJECTED,
        /**
         * The cluster refused the action for a reason of its own (401/403 privileges, 404 index missing, index
         * closed or its name invalid): not about the document. Keep the batch and resend once that is fixed.
         */
        REFUSED
    }

    private static final Set<String> CONFIG_ERRORS = Set.of("index_not_found_exception",
            "index_closed_exception", "invalid_index_name_exception", "security_exception",
            "cluster_block_exception");

    static Disposition classify(String action, int status, String errorType) {
        if (status >= 200 && status < 300 || status == 409 && "create".equals(action)) {
            return Disposition.STORED;
        }
        if (status == 429 || status >= 500) {
            return Disposition.RETRY;
        }
        if (status == 401 || status == 403 || status == 404 || errorType != null && CONFIG_ERRORS.contains(errorType)) {
            return Disposition.REFUSED;
        }
        return Disposition.REJECTED;
    }
}
