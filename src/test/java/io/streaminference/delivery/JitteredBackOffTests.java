package io.streaminference.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.BackOffExecution;

class JitteredBackOffTests {

    @Test
    void doublesWithinTwentyPercentUpToTheCapAndNeverStops() {
        BackOffExecution execution = new JitteredBackOff(200, 5_000).start();
        long[] bases = {200, 400, 800, 1_600, 3_200, 5_000, 5_000};
        for (long base : bases) {
            assertThat(execution.nextBackOff()).isBetween(Math.round(base * 0.8), Math.round(base * 1.2));
        }
        for (int i = 0; i < 1_000; i++) {
            assertThat(execution.nextBackOff()).isNotEqualTo(BackOffExecution.STOP).isLessThanOrEqualTo(6_000);
        }
    }
}
