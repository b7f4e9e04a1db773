package org.o365audit.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchPartTest {

    @Test
    void withNothingTakenThePartIsTheWholeBatchUnderItsOwnId() {
        BatchPart p = BatchPart.startingAt(0, 25);

        assertThat(p).isEqualTo(new BatchPart(0, 25, 25));
        assertThat(p.whole()).isTrue();
        assertThat(p.id("b1")).isEqualTo("b1");
    }

    @Test
    void halvesKeepTheLargerHalfFirstAndCarryTheirRangeInTheId() {
        BatchPart half = BatchPart.startingAt(0, 25).firstHalf();

        assertThat(half).isEqualTo(new BatchPart(0, 13, 25));
        assertThat(half.id("b1")).isEqualTo("b1-part-0-13");
        assertThat(half.firstHalf().firstHalf().firstHalf().firstHalf()).isEqualTo(new BatchPart(0, 1, 25));
    }

    @Test
    void nothingIsLeftOnceEveryRecordIsTaken() {
        assertThat(BatchPart.startingAt(25, 25)).isNull();
        assertThat(BatchPart.startingAt(26, 25)).isNull();
    }

    @Test
    void afterAnyPointTheNextPartIsTheLargestOfTheTreeStartingThere() {
        assertThat(BatchPart.startingAt(13, 25)).isEqualTo(new BatchPart(13, 25, 25));
        assertThat(BatchPart.startingAt(7, 25)).isEqualTo(new BatchPart(7, 13, 25));
        // after a record set aside in the middle (HEC code 6): small parts up to the next boundary, then larger
        assertThat(BatchPart.startingAt(6, 25)).isEqualTo(new BatchPart(6, 7, 25));
    }

    @Test
    void aReceiverTakingFiveAtMostGetsEveryRecordOnceInContiguousParts() {
        List<BatchPart> accepted = new ArrayList<>();
        List<String> refusedIds = new ArrayList<>();
        int done = 0;
        while (done < 25) {
            // what the sink sends once done records are taken, also right after a restart
            BatchPart p = BatchPart.startingAt(done, 25);
            while (p.size() > 5) {
                refusedIds.add(p.id("b"));
                p = p.firstHalf();
            }
            accepted.add(p);
            done = p.to();
        }
        assertThat(accepted).extracting(BatchPart::size).containsExactly(4, 3, 3, 3, 3, 3, 3, 3);
        assertThat(accepted.get(0).from()).isZero();
        for (int i = 1; i < accepted.size(); i++) {
            assertThat(accepted.get(i).from()).isEqualTo(accepted.get(i - 1).to());
        }
        assertThat(refusedIds).containsExactly("b", "b-part-0-13", "b-part-0-7", "b-part-7-13", "b-part-13-25",
                "b-part-13-19", "b-part-19-25");
    }
}
