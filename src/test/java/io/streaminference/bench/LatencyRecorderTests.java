package io.streaminference.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyRecorderTests {

    @Test
    void quantilesAreTheSmallestLatencyCoveringTheirShare() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int millis = 1; millis <= 100; millis++) {
            recorder.record(millis);
        }
        assertThat(recorder.quantileMs(0.50)).isEqualTo(50);
        assertThat(recorder.quantileMs(0.99)).isEqualTo(99);
        assertThat(recorder.quantileMs(1.0)).isEqualTo(100);
    }

    @Test
    void clampsNegativeAndVeryLongLatenciesIntoTheEndBuckets() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(-3);
        recorder.record(Long.MAX_VALUE);
        assertThat(recorder.quantileMs(0.5)).isZero();
        assertThat(recorder.quantileMs(1.0)).isEqualTo(120_000);
    }

    @Test
    void resetForgetsTheWarmUp() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(5_000);
        recorder.reset();
        assertThat(recorder.count()).isZero();
        assertThat(recorder.quantileMs(0.99)).isNaN();
    }
}
