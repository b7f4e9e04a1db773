package org.o365audit.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;

/**
 * The opaque {@code nextPage} value of a content listing. It names the last blob of the previous page,
 * so blobs that become visible between two page calls neither shift nor repeat the pages.
 */
final class PageCursor {

    private PageCursor() {
    }

    static String after(SimBlob last) {
        String position = last.contentCreated() + "|" + last.contentId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** Index in {@code listing} (in listing order) of the first blob after the position the cursor names. */
    static int resume(String nextPage, List<SimBlob> listing) {
        Instant created;
        String contentId;
        try {
            String position = new String(Base64.getUrlDecoder().decode(nextPage), StandardCharsets.UTF_8);
            int bar = position.indexOf('|');
            if (bar < 0) {
                throw invalid(nextPage);
            }
            created = Instant.parse(position.substring(0, bar));
            contentId = position.substring(bar + 1);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw invalid(nextPage);
        }
        for (int i = 0; i < listing.size(); i++) {
            SimBlob b = listing.get(i);
            int cmp = b.contentCreated().compareTo(created);
            if (cmp > 0 || (cmp == 0 && b.contentId().compareTo(contentId) > 0)) {
                return i;
            }
        }
        return listing.size();
    }

    private static ApiError invalid(String nextPage) {
        return ApiError.badRequest("AF20031", "Invalid nextPage Input: " + nextPage + ".");
    }
}
