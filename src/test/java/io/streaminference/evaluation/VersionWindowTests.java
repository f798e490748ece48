package io.streaminference.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class VersionWindowTests {

    @Test
    void scoresThatOrderEveryPositiveFirstHaveAnAucOfOne() {
        VersionWindow window = new VersionWindow(10);
        window.add(0.9f, true, true);
        window.add(0.8f, true, true);
        window.add(0.3f, false, true);
        window.add(0.1f, false, true);

        assertThat(window.metrics().auc()).isEqualTo(1.0);
        assertThat(window.metrics().accuracy()).isEqualTo(1.0);
    }

    @Test
    void aucCountsEachPairAndTiesAsHalf() {
        VersionWindow window = new VersionWindow(10);
        // Pairs (positive, negative): (0.6, 0.4) right, (0.6, 0.7) wrong, (0.4, 0.4) tie, (0.4, 0.7) wrong → 1.5 / 4.
        window.add(0.6f, true, true);
        window.add(0.4f, true, false);
        window.add(0.4f, false, true);
        window.add(0.7f, false, false);

        assertThat(window.metrics().auc()).isCloseTo(0.375, within(1e-12));
        assertThat(window.metrics().accuracy()).isEqualTo(0.5);
    }

    @Test
    void logLossIsTheMeanCrossEntropyClampedAwayFromZeroAndOne() {
        VersionWindow window = new VersionWindow(10);
        window.add(0.8f, true, true);
        window.add(0.0f, false, true);
        window.add(0.0f, true, false);

        double expected = -(Math.log(0.8f) + Math.log(1 - VersionWindow.EPSILON) + Math.log(VersionWindow.EPSILON)) / 3;
        assertThat(window.metrics().logLoss()).isCloseTo(expected, within(1e-9));
    }

    @Test
    void coversOnlyTheLastCapacityLabelledPredictions() {
        VersionWindow window = new VersionWindow(3);
        window.add(0.1f, true, false);
        window.add(0.9f, true, true);
        window.add(0.2f, false, true);
        window.add(0.8f, true, true);

        OnlineMetrics metrics = window.metrics();
        assertThat(metrics.labelled()).isEqualTo(4);
        assertThat(metrics.window()).isEqualTo(3);
        assertThat(metrics.positives()).isEqualTo(2);
        assertThat(metrics.auc()).isEqualTo(1.0);
        assertThat(metrics.histogram()).containsExactly(0, 0, 1, 0, 0, 0, 0, 0, 1, 1);
    }

    @Test
    void hasNoAucWhileTheWindowHoldsOneClassAndNothingWhileEmpty() {
        VersionWindow window = new VersionWindow(5);
        assertThat(window.metrics().accuracy()).isNull();
        assertThat(window.metrics().logLoss()).isNull();

        window.add(0.7f, true, true);
        window.add(0.2f, true, false);

        assertThat(window.metrics().auc()).isNull();
        assertThat(window.metrics().accuracy()).isEqualTo(0.5);
    }
}
