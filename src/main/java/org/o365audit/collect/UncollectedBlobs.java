package org.o365audit.collect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.o365audit.api.ContentBlob;
import org.o365audit.store.BlobAttempts;
import org.o365audit.store.BlobKeys;
import org.o365audit.store.BlobLedger;
import org.springframework.stereotype.Component;

/**
 * Of a listing page, the blobs still to collect: the look-back lists recent windows again on every poll, and
 * what the ledger already holds is skipped. Two queries per page, whatever its size (one to the ledger, one for
 * the failed attempts of the rest), instead of two per blob. A contentId listed twice on a page is kept once.
 */
@Component
public class UncollectedBlobs {
    private final BlobLedger ledger;
    private final BlobAttempts attempts;

    public UncollectedBlobs(BlobLedger ledger, BlobAttempts attempts) {
        this.ledger = ledger;
        this.attempts = attempts;
    }

    public List<ListedBlob> of(String tenantId, List<ContentBlob> page) {
        if (page.isEmpty()) {
            return List.of();
        }
        Map<String, ContentBlob> byKey = new LinkedHashMap<>();
        page.forEach(b -> byKey.putIfAbsent(BlobKeys.of(b.contentId()), b));
        byKey.keySet().removeAll(ledger.collectedAmong(tenantId, byKey.keySet()));
        if (byKey.isEmpty()) {
            return List.of();
        }
        Map<String, BlobAttempts.Attempt> failed = attempts.of(tenantId, byKey.keySet());
        List<ListedBlob> todo = new ArrayList<>(byKey.size());
        byKey.forEach((key, blob) -> {
            BlobAttempts.Attempt a = failed.get(key);
            todo.add(a == null ? ListedBlob.fresh(blob) : new ListedBlob(blob, a.attempts(), a.lastError()));
        });
        return todo;
    }
}
