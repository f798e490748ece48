package io.streaminference.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedrivenRangesTests {

    @Test
    void mergesOverlappingAndAdjacentRanges() {
        RedrivenRanges ranges = new RedrivenRanges();
        ranges.add(10, 19);
        ranges.add(30, 39);
        ranges.add(20, 25);
        ranges.add(26, 29);
        assertThat(ranges.format()).isEqualTo("10-39");
        ranges.add(0, 3);
        ranges.add(2, 5);
        assertThat(ranges.format()).isEqualTo("0-5,10-39");
        assertThat(ranges.next()).isEqualTo(40);
    }

    @Test
    void findsWhatIsNotRedrivenYetInARequestedRange() {
        RedrivenRanges ranges = RedrivenRanges.parse("10-19,30-39");
        assertThat(ranges.missing(0, 50)).containsExactly(new long[] {0, 9}, new long[] {20, 29}, new long[] {40, 50});
        assertThat(ranges.missing(12, 35)).containsExactly(new long[] {20, 29});
        assertThat(ranges.missing(10, 19)).isEmpty();
        assertThat(ranges.missing(19, 30)).containsExactly(new long[] {20, 29});
        assertThat(ranges.coveredWithin(0, 50)).isEqualTo(20);
        assertThat(new RedrivenRanges().missing(5, 7)).containsExactly(new long[] {5, 7});
    }

    @Test
    void readsWhatItWrites() {
        RedrivenRanges ranges = RedrivenRanges.parse("0-4,7-7,100-200");
        assertThat(RedrivenRanges.parse(ranges.format()).format()).isEqualTo("0-4,7-7,100-200");
        assertThat(RedrivenRanges.parse(null).format()).isEmpty();
        assertThat(RedrivenRanges.parse("").missing(0, 1)).hasSize(1);
        assertThatThrownBy(() -> RedrivenRanges.parse("garbage")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRangeRequestedTwiceIsMissingOnlyTheFirstTime() {
        RedrivenRanges ranges = new RedrivenRanges();
        List<long[]> first = ranges.missing(120, 180);
        first.forEach(gap -> ranges.add(gap[0], gap[1]));
        assertThat(ranges.missing(120, 180)).isEmpty();
        assertThat(ranges.missing(100, 200)).containsExactly(new long[] {100, 119}, new long[] {181, 200});
    }
}
