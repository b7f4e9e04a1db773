package org.o365audit.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TallyTest {

    @Test
    void everyIdOnceIsClean() {
        Tally t = Tally.of(Set.of("a", "b", "c"), List.of("c", "a", "b"));
        assertThat(t).isEqualTo(new Tally(3, 0, 0, 0));
        assertThat(t.clean()).isTrue();
    }

    @Test
    void countsIdsNeverStoredAsLost() {
        assertThat(Tally.of(Set.of("a", "b", "c"), List.of("b"))).isEqualTo(new Tally(3, 2, 0, 0));
        assertThat(Tally.of(Set.of("a"), List.of())).isEqualTo(new Tally(1, 1, 0, 0));
    }

    @Test
    void countsEveryCopyBeyondTheFirstAsDuplicated() {
        Tally t = Tally.of(Set.of("a", "b"), List.of("a", "a", "a", "b", "b"));
        assertThat(t).isEqualTo(new Tally(2, 0, 3, 0));
        assertThat(t.clean()).isFalse();
    }

    @Test
    void countsIdsThatShouldNotBeThereAsUnexpected() {
        assertThat(Tally.of(Set.of("a"), List.of("a", "q", "q"))).isEqualTo(new Tally(1, 0, 1, 1));
    }

    @Test
    void anExpectedIdListedTwiceIsExpectedOnce() {
        assertThat(Tally.of(List.of("a", "a"), List.of("a"))).isEqualTo(new Tally(1, 0, 0, 0));
    }
}
