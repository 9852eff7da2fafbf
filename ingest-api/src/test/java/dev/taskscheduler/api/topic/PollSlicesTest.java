package dev.taskscheduler.api.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PollSlicesTest {

    private final PollSlices threeOf500 = PollSlices.forPoll(3, 1500);

    @Test
    void aPollThatFitsOneSliceIsOneTransaction() {
        assertThat(threeOf500.cut(1)).containsExactly(new PollSlices.Slice(0, 1));
        assertThat(threeOf500.cut(500)).containsExactly(new PollSlices.Slice(0, 500));
    }

    @Test
    void aBacklogPollIsCutIntoSlicesOfAboutEqualSize() {
        assertThat(threeOf500.cut(501)).containsExactly(new PollSlices.Slice(0, 251), new PollSlices.Slice(251, 501));
        assertThat(threeOf500.cut(1500)).containsExactly(new PollSlices.Slice(0, 500), new PollSlices.Slice(500, 1000),
                new PollSlices.Slice(1000, 1500));
    }

    @Test
    void anEmptyPollHasNoSlice() {
        assertThat(threeOf500.cut(0)).isEmpty();
    }

    @Test
    void oneWriterMakesEveryPollOneTransaction() {
        assertThat(PollSlices.forPoll(1, 1500).cut(1500)).containsExactly(new PollSlices.Slice(0, 1500));
    }

    @Test
    void refusesSettingsThatAllowNoSlice() {
        assertThatThrownBy(() -> new PollSlices(0, 500)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PollSlices(3, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void slicesCoverEachRecordOnceInOrder(@ForAll @IntRange(min = 0, max = 20_000) int size,
            @ForAll @IntRange(min = 1, max = 16) int writers, @ForAll @IntRange(min = 1, max = 5_000) int maxPoll) {
        List<PollSlices.Slice> slices = PollSlices.forPoll(writers, maxPoll).cut(size);

        int next = 0;
        for (PollSlices.Slice slice : slices) {
            assertThat(slice.from()).isEqualTo(next);
            assertThat(slice.size()).isPositive();
            next = slice.to();
        }
        assertThat(next).isEqualTo(size);
    }

    @Property
    void aPollUsesNoMoreSlicesThanWritersNorMoreThanItNeeds(@ForAll @IntRange(min = 1, max = 20_000) int size,
            @ForAll @IntRange(min = 1, max = 16) int writers, @ForAll @IntRange(min = 1, max = 5_000) int maxPoll) {
        PollSlices rule = PollSlices.forPoll(writers, maxPoll);
        List<PollSlices.Slice> slices = rule.cut(size);

        assertThat(slices).hasSizeLessThanOrEqualTo(writers);
        // One slice fewer would have to hold more than rowsPerSlice somewhere.
        assertThat((long) (slices.size() - 1) * rule.rowsPerSlice()).isLessThan(size);
        int smallest = slices.stream().mapToInt(PollSlices.Slice::size).min().orElseThrow();
        int largest = slices.stream().mapToInt(PollSlices.Slice::size).max().orElseThrow();
        assertThat(largest - smallest).isLessThanOrEqualTo(1);
    }
}
