package io.streaminference.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabelerTests {

    @Test
    void comparesASingleScoreWithTheThreshold() {
        Labeler labeler = new Labeler(List.of("human", "bot"), 0.5);
        assertThat(labeler.label(new float[] {0.5f})).isEqualTo("bot");
        assertThat(labeler.label(new float[] {0.49f})).isEqualTo("human");
    }

    @Test
    void takesTheLabelOfTheHighestOfSeveralScores() {
        Labeler labeler = new Labeler(List.of("a", "b", "c"), 0.5);
        assertThat(labeler.label(new float[] {0.2f, 0.7f, 0.1f})).isEqualTo("b");
        assertThat(labeler.label(new float[] {0.1f, 0.1f, 0.1f, 0.7f})).isNull();
    }
}
