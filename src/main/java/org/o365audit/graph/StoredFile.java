package org.o365audit.graph;

import java.time.Instant;

/** A file as file_item keeps it: enough to tell what changed and to read it again. */
public record StoredFile(String driveId, String itemId, String webUrl, String siteUrl, SharingLevel level,
        boolean deleted, Instant checkedAt) {
}
