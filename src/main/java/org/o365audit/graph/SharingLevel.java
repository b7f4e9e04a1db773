package org.o365audit.graph;

import java.util.Locale;

/**
 * How far a file is shared, from the narrowest (shared/docs/graph.md 3.4): private (its owner and the site's owners),
 * internal (an organisation link, or people and groups of the tenant beyond the owner), external (a guest, a person
 * outside the tenant's domains, or a specific-people link whose recipients are not all known members), public (an
 * anonymous link: anyone with the link, no sign-in).
 */
public enum SharingLevel {
    PRIVATE, INTERNAL, EXTERNAL, PUBLIC;

    /** The name stored and sent: private, internal, external, public. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SharingLevel fromKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }

    public SharingLevel max(SharingLevel other) {
        return other.compareTo(this) > 0 ? other : this;
    }
}
