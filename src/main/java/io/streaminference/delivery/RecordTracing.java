package io.streaminference.delivery;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;
import org.springframework.kafka.support.micrometer.KafkaRecordSenderContext;

/**
 * Carries an event's trace through the stages. Spring Kafka creates no observations for batch listeners, so each
 * stage does it per record: a receive observation whose parent is the trace context in the consumed record's headers
 * (W3C {@code traceparent}), and a send observation under it that writes its own context into the produced record's
 * headers, so s0 → s1 → s2 → the Redis write form one trace. {@link #OFF} (tracing disabled) costs nothing.
 */
public final class RecordTracing {

    public static final RecordTracing OFF = new RecordTracing(ObservationRegistry.NOOP);
    private static final String NAME = "pipeline.hop";

    private final ObservationRegistry registry;

    public RecordTracing(ObservationRegistry registry) {
        this.registry = registry;
    }

    /** Makes {@code out} carry a span of {@code stage} that continues the trace of {@code in}. */
    public void propagate(String stage, ConsumerRecord<?, ?> in, ProducerRecord<?, ?> out) {
        if (registry.isNoop()) {
            return;
        }
        Observation received = receive(stage, in).start();
        Observation sent = Observation.createNotStarted(NAME, () -> new KafkaRecordSenderContext(out, stage, () -> null),
                        registry)
                .contextualName(stage + " send " + out.topic())
                .lowCardinalityKeyValue("stage", stage)
                .parentObservation(received)
                .start();
        sent.stop();
        received.stop();
    }

    /** Starts one observation per record, each continuing that record's trace, for work done on the whole batch. */
    public Started start(String stage, String work, List<? extends ConsumerRecord<?, ?>> records) {
        if (registry.isNoop()) {
            return Started.NONE;
        }
        List<Observation> started = new ArrayList<>(records.size());
        for (ConsumerRecord<?, ?> record : records) {
            started.add(receive(stage, record).contextualName(stage + " " + work).start());
        }
        return new Started(started);
    }

    private Observation receive(String stage, ConsumerRecord<?, ?> in) {
        return Observation.createNotStarted(NAME, () -> new KafkaRecordReceiverContext(in, stage, () -> null), registry)
                .contextualName(stage + " receive " + in.topic())
                .lowCardinalityKeyValue("stage", stage);
    }

    /** Observations of one batch's records, stopped together when the batch's work ends. */
    public record Started(List<Observation> observations) {

        static final Started NONE = new Started(List.of());

        public void stop(Throwable failure) {
            for (Observation observation : observations) {
                if (failure != null) {
                    observation.error(failure);
                }
                observation.stop();
            }
        }
    }
}
