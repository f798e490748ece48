package io.streaminference.evaluation;

import com.google.protobuf.InvalidProtocolBufferException;
import io.streaminference.contract.Evaluation;
import io.streaminference.contract.Label;
import io.streaminference.contract.PendingPrediction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The evaluation join: predictions (s2, s2-sessions, and the shadow's) meet their labels by subject id within the
 * join window, on three Kafka Streams stores. Predictions wait in {@value #PREDICTIONS} (a window store: most are never
 * labelled and leave with their segment, so the store costs one write per prediction); every label waits in
 * {@value #LABELS} for the window — the served prediction or the shadow's may come after it — indexed by time in
 * {@value #LABEL_TIMES}, and is counted as unmatched when the stream time has passed it by the window without a
 * match. Each match goes out once as an {@link Evaluation}, keyed {@code model:version}; with
 * exactly_once_v2 the output, the stores' changelogs and the input offsets commit together.
 */
final class LabelJoinProcessor implements Processor<String, Joinable, String, Evaluation> {

    static final String PREDICTIONS = "evaluation-predictions";
    static final String LABELS = "evaluation-labels";
    static final String LABEL_TIMES = "evaluation-label-times";
    private static final byte[] NOTHING = new byte[0];

    private final long windowMs;
    private final String positiveEvent;
    private final String positiveSession;
    private final JoinCounters counters;
    private ProcessorContext<String, Evaluation> context;
    private WindowStore<String, byte[]> predictions;
    private KeyValueStore<String, byte[]> labels;
    private KeyValueStore<Bytes, byte[]> labelTimes;

    /** @param positiveEvent the event model's positive label; {@code positiveSession} the session model's */
    LabelJoinProcessor(Duration window, String positiveEvent, String positiveSession, JoinCounters counters) {
        this.windowMs = window.toMillis();
        this.positiveEvent = positiveEvent;
        this.positiveSession = positiveSession;
        this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<String, Evaluation> context) {
        this.context = context;
        this.predictions = context.getStateStore(PREDICTIONS);
        this.labels = context.getStateStore(LABELS);
        this.labelTimes = context.getStateStore(LABEL_TIMES);
        // Stream time, not wall-clock: after downtime the backlog's labels still meet its predictions.
        context.schedule(Duration.ofMillis(Math.max(1_000, Math.min(windowMs / 10, 10_000))),
                PunctuationType.STREAM_TIME, this::expireLabels);
    }

    @Override
    public void process(Record<String, Joinable> record) {
        String subject = record.value().subject();
        long time = record.timestamp();
        if (record.value() instanceof Joinable.Scored scored) {
            counters.prediction();
            byte[] waiting = labels.get(subject);
            if (waiting != null) {
                emit(record, subject, scored.prediction(), parseLabel(Arrays.copyOfRange(waiting, 9, waiting.length)));
                if (waiting[8] == 0) {
                    waiting[8] = 1;
                    labels.put(subject, waiting);
                }
            } else {
                predictions.put(role(subject, scored.prediction().getShadow()), scored.prediction().toByteArray(),
                        time);
            }
        } else if (record.value() instanceof Joinable.Labelled labelled) {
            counters.label();
            boolean matched = false;
            for (boolean shadow : new boolean[] {false, true}) {
                PendingPrediction found = null;
                try (WindowStoreIterator<byte[]> candidates = predictions.fetch(role(subject, shadow),
                        time - windowMs, time + windowMs)) {
                    while (candidates.hasNext()) {
                        found = parsePrediction(candidates.next().value);
                    }
                }
                if (found != null) {
                    emit(record, subject, found, labelled.label());
                    matched = true;
                }
            }
            // It waits out the window either way: the served prediction or the shadow's may still come.
            byte[] label = labelled.label().toByteArray();
            labels.put(subject, ByteBuffer.allocate(9 + label.length).putLong(time).put((byte) (matched ? 1 : 0))
                    .put(label).array());
            labelTimes.put(timeKey(time, subject), NOTHING);
        }
    }

    /** The served and the shadow's prediction of a subject wait under keys of their own. */
    private static String role(String subject, boolean shadow) {
        return shadow ? subject + "#shadow" : subject;
    }

    private void emit(Record<String, Joinable> record, String subject, PendingPrediction prediction, Label label) {
        boolean session = subject.startsWith("s:");
        Evaluation evaluation = Evaluation.newBuilder()
                .setKind(session ? Evaluation.Kind.SESSION : Evaluation.Kind.EVENT)
                .setSubjectId(subject.substring(2))
                .setEntityKey(record.key() == null ? "" : record.key())
                .setModelName(prediction.getModelName())
                .setModelVersion(prediction.getModelVersion())
                .setScore(prediction.getScore())
                .setPredictedLabel(prediction.getPredictedLabel())
                .setLabel(label.getLabel())
                .setPositive(label.getLabel().equals(session ? positiveSession : positiveEvent))
                .setPredictedAtMs(prediction.getPredictedAtMs())
                .setLabelledAtMs(label.getLabelledAtMs())
                .setLabelSource(label.getSource())
                .setShadow(prediction.getShadow())
                .build();
        counters.matched();
        context.forward(new Record<>(prediction.getModelName() + ":" + prediction.getModelVersion(), evaluation,
                record.timestamp()));
    }

    /** Lets go of the labels the stream time has passed by the window: their prediction is not coming. */
    private void expireLabels(long streamTime) {
        long before = streamTime - windowMs;
        if (before <= 0) {
            return;
        }
        List<KeyValue<Bytes, String>> expired = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> old = labelTimes.range(timeKey(0, ""), timeKey(before, ""))) {
            while (old.hasNext()) {
                Bytes key = old.next().key;
                byte[] raw = key.get();
                expired.add(KeyValue.pair(key, new String(raw, 8, raw.length - 8, StandardCharsets.UTF_8)));
            }
        }
        for (KeyValue<Bytes, String> entry : expired) {
            labelTimes.delete(entry.key);
            byte[] label = labels.delete(entry.value);
            if (label != null && label[8] == 0) {
                counters.unmatchedLabel();
            }
        }
    }

    /** Big-endian time, then subject: RocksDB orders keys by bytes, so a range scan walks labels by time. */
    private static Bytes timeKey(long time, String subject) {
        byte[] name = subject.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(8 + name.length).putLong(time).put(name).array());
    }

    private static PendingPrediction parsePrediction(byte[] value) {
        try {
            return PendingPrediction.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("The store " + PREDICTIONS + " holds a value that is not a "
                    + "PendingPrediction", e);
        }
    }

    private static Label parseLabel(byte[] value) {
        try {
            return Label.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("The store " + LABELS + " holds a value that is not a Label", e);
        }
    }
}
