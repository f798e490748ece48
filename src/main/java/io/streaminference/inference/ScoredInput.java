package io.streaminference.inference;

import com.google.protobuf.InvalidProtocolBufferException;
import io.streaminference.deadletter.Reason;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What an inference stage scores and what it writes for each scored row: events ({@link EventInput}: s1
 * {@code Features} → s2 {@code Prediction}) or sessions ({@link SessionInput}: s1-sessions {@code SessionFeatures} →
 * s2-sessions {@code SessionPrediction}).
 *
 * @param <I> the input message
 */
interface ScoredInput<I> {

    I parse(byte[] value) throws InvalidProtocolBufferException;

    /** @return why the input can never be scored, or null when it can */
    Reason check(I input);

    /** The model's input row; {@link #check} has passed. */
    float[] row(I input);

    /** The prediction record for a scored input, read from {@code from}. */
    ProducerRecord<byte[], byte[]> prediction(I input, ConsumerRecord<?, ?> from, float[] scores, String label,
            String modelName, long modelVersion, long now);

    /** The user the input belongs to: who a canary sends to the canary version. */
    String entityKey(I input);

    /** The name the input's message has in dead-letter details. */
    String messageName();
}
