package io.streaminference.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.streaminference.contract.Prediction;
import io.streaminference.contract.SourcePosition;
import io.streaminference.sink.DeadLetterEntry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JourneyViewTests {

    static final Prediction PREDICTION = Prediction.newBuilder().setEventId("e-1").setEntityKey("u-1")
            .addScores(0.9f).setLabel("bot").setModelName("m").setModelVersion(3)
            .setIngestedAtMs(1_000).setPreprocessedAtMs(1_100).setPredictedAtMs(1_300)
            .setSource(SourcePosition.newBuilder().setTopic("s0").setPartition(2).setOffset(40))
            .setFeaturesSource(SourcePosition.newBuilder().setTopic("s1").setPartition(2).setOffset(41)).build();

    @Test
    void aStoredEventShowsEachStageWithItsTimeAndRecord() {
        JourneyView view = JourneyView.of("e-1", new JourneyReader.Stored(PREDICTION, 1_500, "s2:1:42"), null);

        assertThat(view.status()).isEqualTo("stored");
        assertThat(view.entityKey()).isEqualTo("u-1");
        assertThat(view.stages()).containsExactly(
                new JourneyView.Stage("ingested", Instant.ofEpochMilli(1_000), "s0", 2, 40L),
                new JourneyView.Stage("preprocessed", Instant.ofEpochMilli(1_100), "s1", 2, 41L),
                new JourneyView.Stage("predicted", Instant.ofEpochMilli(1_300), "s2", 1, 42L),
                new JourneyView.Stage("stored", Instant.ofEpochMilli(1_500), null, null, null));
        assertThat(view.prediction().modelVersion()).isEqualTo(3);
    }

    @Test
    void aDeadLetterEndsTheJourneyUnlessTheEventWasStoredAfterIt() {
        DeadLetterEntry letter = new DeadLetterEntry("e-1", "u-1", "s0-dlt", 0, 7, "s0", 0, 40L, "preprocess",
                "not_json", "detail", "{", 1, 2_000);

        JourneyView dead = JourneyView.of("e-1", null, letter);
        assertThat(dead.status()).isEqualTo("dead_lettered");
        assertThat(dead.entityKey()).isEqualTo("u-1");
        assertThat(dead.stages()).extracting(JourneyView.Stage::stage).containsExactly("dead_lettered");

        // Redriven after its cause was fixed, then stored: stored, with the dead letter kept as history.
        JourneyView redriven = JourneyView.of("e-1", new JourneyReader.Stored(PREDICTION, 3_000, "s2:1:42"), letter);
        assertThat(redriven.status()).isEqualTo("stored");
        assertThat(redriven.deadLetter()).isEqualTo(letter);
    }

    @Test
    void predictionsFromBeforeTheJourneyFieldsStillShowTheirStages() {
        Prediction old = PREDICTION.toBuilder().clearFeaturesSource().build();
        JourneyView view = JourneyView.of("e-1", new JourneyReader.Stored(old, 0, ""), null);

        assertThat(view.stages()).extracting(JourneyView.Stage::topic).containsExactly("s0", null, null, null);
        assertThat(view.stages().get(3).at()).isNull();
    }
}
