package org.o365audit.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The pages of one activity-events listing, cut from a snapshot taken at the first call, so events
 * that become visible while a client pages neither shift nor repeat the pages.
 *
 * <p>The service walks the window and cannot tell that a page with events was the last one: every
 * page carries a continuation token, and the listing ends with an empty page whose token is null,
 * as in Microsoft's example (page 2: no entities, null token, {@code lastResultSet: false}). With
 * {@code emptyPageEvery} set, every n-th page is an empty page that still carries a token, as the
 * reference warns a call may return.
 */
final class ActivityEventsListing {

    private final List<List<String>> pages;

    ActivityEventsListing(List<PowerBiEvent> snapshot, int pageSize, int emptyPageEvery) {
        List<List<String>> cut = new ArrayList<>();
        int next = 0;
        while (next < snapshot.size()) {
            if (emptyPageEvery > 0 && (cut.size() + 1) % emptyPageEvery == 0) {
                cut.add(List.of());
                continue;
            }
            int to = Math.min(snapshot.size(), next + pageSize);
            cut.add(snapshot.subList(next, to).stream().map(PowerBiEvent::json).toList());
            next = to;
        }
        cut.add(List.of()); // the closing page, with a null token
        this.pages = List.copyOf(cut);
    }

    List<String> page(int index) {
        return pages.get(index);
    }

    /** True for the closing page, the only one without a continuation token. */
    boolean isLast(int index) {
        return index == pages.size() - 1;
    }
}
