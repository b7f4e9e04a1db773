package org.o365audit.it.faults;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * What a fault scenario lost and duplicated: the expected Ids against the Ids the database or a sink gave
 * back, repeats included. {@code duplicated} counts every copy beyond the first of any Id; {@code unexpected}
 * counts distinct Ids that should not be there at all (a quarantined record stored anyway).
 */
public record Tally(int expected, int lost, int duplicated, int unexpected) {

    public static Tally of(Collection<String> expectedIds, Collection<String> storedIds) {
        Set<String> expected = new HashSet<>(expectedIds);
        Set<String> seen = new HashSet<>(storedIds);
        int lost = (int) expected.stream().filter(id -> !seen.contains(id)).count();
        int unexpected = (int) seen.stream().filter(id -> !expected.contains(id)).count();
        return new Tally(expected.size(), lost, storedIds.size() - seen.size(), unexpected);
    }

    /** Nothing lost, nothing twice, nothing extra. */
    public boolean clean() {
        return lost == 0 && duplicated == 0 && unexpected == 0;
    }
}
