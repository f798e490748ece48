package io.streaminference.evaluation;

import com.google.protobuf.InvalidProtocolBufferException;
import io.streaminference.contract.Evaluation;
import io.streaminference.contract.PendingPrediction;
import io.streaminference.contract.Prediction;
import io.streaminference.contract.SessionPrediction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.Stores;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * s2 + s2-sessions + s2-shadow + labels → evaluations, as a Kafka Streams sub-topology: labels pass {@link LabelCheck} (the
 * others go to labels-dlt with their reason, in the same transaction), predictions become {@link PendingPrediction}s,
 * and {@link LabelJoinProcessor} joins the two by subject id. All three inputs are keyed by entity with the same
 * partition count, so a label and its prediction meet in one task without a repartition.
 *
 * @see EvaluationWindows for what is computed from the evaluations
 */
final class EvaluationTopology {

    static final String STAGE = "evaluation";

    /**
     * The window store's changelog ages by record time; stamped on append, a replay of old predictions keeps its
     * state (as the session store's, {@code SessionTopology}).
     */
    private static final Map<String, String> APPEND_TIME = Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
            "LogAppendTime");

    /**
     * @param sessionPredictions null when the session stage is off
     * @param shadowPredictions  the shadow's predictions of events
     */
    record Settings(String predictions, String sessionPredictions, String shadowPredictions, String labels,
            String labelsDeadLetters, String evaluations, Duration joinWindow) {
    }

    private EvaluationTopology() {
    }

    static void build(StreamsBuilder builder, Settings settings, LabelCheck check, JoinCounters counters) {
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(LabelJoinProcessor.PREDICTIONS,
                settings.joinWindow().multipliedBy(2), Duration.ofMillis(1), false), Serdes.String(),
                Serdes.ByteArray()).withLoggingEnabled(APPEND_TIME));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LabelJoinProcessor.LABELS),
                Serdes.String(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(LabelJoinProcessor.LABEL_TIMES), Serdes.Bytes(), Serdes.ByteArray()));

        KStream<String, Joinable> joinable = builder.stream(settings.predictions(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .flatMapValues(value -> eventPrediction(value, false));
        if (settings.shadowPredictions() != null) {
            joinable = joinable.merge(builder.stream(settings.shadowPredictions(),
                    Consumed.with(Serdes.String(), Serdes.ByteArray())).flatMapValues(
                    value -> eventPrediction(value, true)));
        }
        if (settings.sessionPredictions() != null) {
            joinable = joinable.merge(builder.stream(settings.sessionPredictions(),
                    Consumed.with(Serdes.String(), Serdes.ByteArray())).flatMapValues(
                    EvaluationTopology::sessionPrediction));
        }
        Map<String, KStream<String, Checked>> labels = builder.stream(settings.labels(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .mapValues((key, value) -> new Checked(value, check.check(key, value)))
                .split(Named.as("labels-"))
                .branch((key, checked) -> checked.outcome().valid(), Branched.as("valid"))
                .defaultBranch(Branched.as("dead"));
        labels.get("labels-dead").processValues(() -> new DeadLetterHeaders(settings.labels(), counters))
                .to(settings.labelsDeadLetters(), Produced.with(Serdes.String(), Serdes.ByteArray()));
        joinable = joinable.merge(labels.get("labels-valid").mapValues(checked -> (Joinable) new Joinable.Labelled(
                subjectOf(checked), checked.outcome().label())));

        String positiveEvent = check.eventLabels().get(1);
        String positiveSession = check.sessionLabels().get(1);
        joinable.process(() -> new LabelJoinProcessor(settings.joinWindow(), positiveEvent, positiveSession, counters),
                        LabelJoinProcessor.PREDICTIONS, LabelJoinProcessor.LABELS, LabelJoinProcessor.LABEL_TIMES)
                .to(settings.evaluations(), Produced.with(Serdes.String(),
                        Serdes.serdeFrom((topic, evaluation) -> evaluation.toByteArray(), (topic, bytes) -> {
                            throw new UnsupportedOperationException("written only");
                        })));
    }

    /** A labels record with what the check said of it. */
    record Checked(byte[] value, LabelCheck.Outcome outcome) {
    }

    private static String subjectOf(Checked checked) {
        var label = checked.outcome().label();
        return label.hasSessionId() ? Joinable.sessionSubject(label.getSessionId())
                : Joinable.eventSubject(label.getEventId());
    }

    /**
     * A prediction worth waiting for; a value that is not a {@code Prediction} is the sink's to dead-letter, here it
     * is only left out.
     */
    private static List<Joinable> eventPrediction(byte[] value, boolean shadow) {
        try {
            Prediction prediction = Prediction.parseFrom(value);
            if (prediction.getEventId().isEmpty() || prediction.getScoresCount() == 0) {
                return List.of();
            }
            return List.of(new Joinable.Scored(Joinable.eventSubject(prediction.getEventId()),
                    pending(prediction.getModelName(), prediction.getModelVersion(), prediction.getScoresList(),
                            prediction.getLabel(), prediction.getPredictedAtMs(), Evaluation.Kind.EVENT)
                            .toBuilder().setShadow(shadow).build()));
        } catch (InvalidProtocolBufferException | NullPointerException e) {
            return List.of();
        }
    }

    /** Only a session's final prediction is evaluated: early ones judge part of it. */
    private static List<Joinable> sessionPrediction(byte[] value) {
        try {
            SessionPrediction prediction = SessionPrediction.parseFrom(value);
            if (!prediction.getFinal() || prediction.getSessionId().isEmpty() || prediction.getScoresCount() == 0) {
                return List.of();
            }
            return List.of(new Joinable.Scored(Joinable.sessionSubject(prediction.getSessionId()),
                    pending(prediction.getModelName(), prediction.getModelVersion(), prediction.getScoresList(),
                            prediction.getLabel(), prediction.getPredictedAtMs(), Evaluation.Kind.SESSION)));
        } catch (InvalidProtocolBufferException | NullPointerException e) {
            return List.of();
        }
    }

    /** The score a threshold applies to: the only one, or the positive class's (index 1). */
    private static PendingPrediction pending(String model, long version, List<Float> scores, String label,
            long predictedAt, Evaluation.Kind kind) {
        return PendingPrediction.newBuilder().setKind(kind).setModelName(model).setModelVersion(version)
                .setScore(scores.size() == 1 ? scores.get(0) : scores.get(1)).setPredictedLabel(label)
                .setPredictedAtMs(predictedAt).build();
    }

    /** The dead-letter headers the other stages write (Spring Kafka's {@code kafka_dlt-*} plus stage and reason). */
    private static final class DeadLetterHeaders implements FixedKeyProcessor<String, Checked, byte[]> {

        private final String source;
        private final JoinCounters counters;
        private FixedKeyProcessorContext<String, byte[]> context;

        DeadLetterHeaders(String source, JoinCounters counters) {
            this.source = source;
            this.counters = counters;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, byte[]> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, Checked> record) {
            LabelCheck.Outcome outcome = record.value().outcome();
            var headers = record.headers();
            headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, utf8(source));
            context.recordMetadata().ifPresent(metadata -> {
                headers.add(KafkaHeaders.DLT_ORIGINAL_PARTITION,
                        ByteBuffer.allocate(Integer.BYTES).putInt(metadata.partition()).array());
                headers.add(KafkaHeaders.DLT_ORIGINAL_OFFSET,
                        ByteBuffer.allocate(Long.BYTES).putLong(metadata.offset()).array());
            });
            headers.add(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP,
                    ByteBuffer.allocate(Long.BYTES).putLong(record.timestamp()).array());
            headers.add(KafkaHeaders.DLT_EXCEPTION_FQCN, utf8(IllegalArgumentException.class.getName()));
            headers.add(KafkaHeaders.DLT_EXCEPTION_MESSAGE, utf8(outcome.detail()));
            headers.add(io.streaminference.deadletter.DeadLetters.STAGE_HEADER, utf8(STAGE));
            headers.add(io.streaminference.deadletter.DeadLetters.REASON_HEADER, utf8(outcome.reason()));
            counters.deadLetter(outcome.reason());
            context.forward(record.withValue(record.value().value()));
        }

        private static byte[] utf8(String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }
}
