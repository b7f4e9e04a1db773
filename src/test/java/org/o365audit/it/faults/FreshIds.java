package org.o365audit.it.faults;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Record Ids that are deterministic (the same namespace and key give the same Id, so a failing run can be
 * repeated) yet unique per key, and distinct between namespaces (tenant, seed), so two runs on one tenant
 * never collide on the {@code (tenant_id, id)} key.
 */
final class FreshIds {
    private final String namespace;

    FreshIds(String namespace) {
        this.namespace = namespace;
    }

    String uuid(String key) {
        return name(key).toString();
    }

    /** A non-negative Id of at most 53 bits, so every JSON reader keeps it exact. */
    long number(String key) {
        return name(key).getMostSignificantBits() >>> 11;
    }

    private UUID name(String key) {
        return UUID.nameUUIDFromBytes((namespace + "/" + key).getBytes(StandardCharsets.UTF_8));
    }
}
