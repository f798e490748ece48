package io.streaminference.evaluation;

import io.streaminference.delivery.StreamsHealth;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Health contributor {@code evaluation}: the evaluation stage's Kafka Streams state, as {@code sessions} reports the
 * session stage's. Not in a probe group: online metrics that stop must not restart or unready a pod that scores.
 */
final class EvaluationHealthIndicator extends AbstractHealthIndicator {

    private final EvaluationStreams streams;

    EvaluationHealthIndicator(EvaluationStreams streams) {
        super("Evaluation stage health check failed");
        this.streams = streams;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        KafkaStreams kafkaStreams = streams.kafkaStreams();
        KafkaStreams.State state = kafkaStreams == null ? KafkaStreams.State.CREATED : kafkaStreams.state();
        boolean healthy = StreamsHealth.healthy(state, streams.isRunning());
        (healthy ? builder.up() : builder.down()).withDetail("state", state.name());
    }
}
