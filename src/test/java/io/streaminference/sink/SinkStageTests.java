package io.streaminference.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streaminference.contract.Prediction;
import io.streaminference.deadletter.DeadLetters;
import io.streaminference.delivery.StageMetrics;
import io.streaminference.topics.TopicsProperties;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class SinkStageTests {

    private final SinkStage<Prediction> stage = new SinkStage<>("sink", StoredInput.EVENTS,
            new DeadLetters(new TopicsProperties("s0", "s1", "s2", "s1-sessions", "s2-sessions", "labels", "evaluations", "s2-shadow", "-dlt", 1, (short) 1, null),
                    1_048_576),
            new StageMetrics(new SimpleMeterRegistry(), "sink"));

    @Test
    void storesTheExactRecordBytesOfValidPredictionsAndDeadLettersTheRest() {
        byte[] good = Prediction.newBuilder().setEventId("e1").setEntityKey("u").addScores(0.3f).build().toByteArray();
        byte[] noScores = Prediction.newBuilder().setEventId("e2").setEntityKey("u").build().toByteArray();
        byte[] noEntity = Prediction.newBuilder().setEventId("e3").addScores(1).build().toByteArray();
        byte[] garbage = "not protobuf \u00ff".getBytes(StandardCharsets.ISO_8859_1);

        SinkStage.Split split = stage.split(List.of(record(0, good), record(1, noScores), record(2, noEntity),
                record(3, garbage), record(4, null)));

        assertThat(split.stored()).singleElement().satisfies(p -> {
            assertThat(p.bytes()).isSameAs(good);
            assertThat(p.id()).isEqualTo("e1");
        });
        assertThat(split.output().records()).extracting(r -> new String(r.headers()
                        .lastHeader(DeadLetters.REASON_HEADER).value(), StandardCharsets.UTF_8))
                .containsExactly("missing_scores", "missing_entity_key", "undecodable", "missing_event_id");
        assertThat(split.output().records()).allSatisfy(r -> assertThat(r.topic()).isEqualTo("s2-dlt"));
    }

    @Test
    void deadLettersThePredictionsRedisDidNotStoreBecauseTheirEventIdBelongsToAnotherEntity() {
        byte[] first = Prediction.newBuilder().setEventId("e1").setEntityKey("u").addScores(0.3f).build().toByteArray();
        byte[] clash = Prediction.newBuilder().setEventId("e2").setEntityKey("v").addScores(0.3f).build().toByteArray();
        SinkStage.Split split = stage.split(List.of(record(0, first), record(1, clash)));

        var output = stage.stored(split, List.of(1));

        assertThat(output.emitted()).isEqualTo(1);
        assertThat(output.deadLettered()).containsExactly(java.util.Map.entry("event_id_clash", 1));
        assertThat(output.records()).singleElement().satisfies(letter -> assertThat(letter.value()).isEqualTo(clash));
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, byte[] value) {
        return new ConsumerRecord<>("s2", 0, offset, null, value);
    }
}
